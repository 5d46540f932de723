"""Key links: the address a person opens to sign in, with their access key after `#`.

Browsers never send what follows `#`, so the key is in no request line, no proxy's or web server's
log and no Referer; the sign-in page reads it and posts it (planner.server.pages)."""

from __future__ import annotations

from urllib.parse import urlsplit


def public_url(text: str) -> str | None:
    """`https://planner.example.jp/planner` or with a final slash -> the same with one final slash;
    None for anything else than an http(s) address with a host and no query or fragment."""
    text = (text or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or not text.isascii() or any(c.isspace() for c in text):
        return None
    return text.rstrip("/") + "/"


def key_link(base: str, key: str) -> str:
    """The sign-in address that carries `key`: the sign-in page of the server at `base` (a public URL
    as `public_url` gives it), which sends the person on to their role's app."""
    return f"{base}login#key={key}"
