"""An e-mail address as a person may be given one: checked before it is kept, so no address can carry a
line break (a header of its own) or anything a mail server would take for two addresses."""

from __future__ import annotations

import re

MAX_CHARS = 254  # RFC 5321's limit for a path
# one local part, one domain of dot-separated labels; printable ASCII only, no spaces, quotes or brackets
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def address_problem(address: str) -> tuple[str, str] | None:
    """None if `address` is a plain address (name@example.jp), else why not (Japanese, English)."""
    address = address if isinstance(address, str) else repr(address)
    shown = address if len(address) <= 80 else address[:80] + "…"
    local = address.partition("@")[0]
    if len(address) > MAX_CHARS or not _ADDRESS.fullmatch(address) or ".." in local or local.startswith(".") \
            or local.endswith("."):
        return (f"メールアドレス {shown!r} は使えません。name@example.jp の形で、空白や全角文字を含めずに"
                "書いてください。",
                f"{shown!r} is not a usable e-mail address. Write it as name@example.jp, without spaces or "
                "full-width characters.")
    return None
