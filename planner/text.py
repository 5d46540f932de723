"""Text said in two languages. Every label and message a person reads comes as Japanese and English;
this is the one type that holds both and the one way to pick the page's language."""

from __future__ import annotations

from typing import NamedTuple


class Text(NamedTuple):
    """Japanese and English. A pair, so `ja, en = text` and tables of (ja, en) keep working."""

    ja: str
    en: str

    def __call__(self, lang: str, **kw: object) -> str:
        """The text in `lang` ("en", else Japanese), with `{name}` fields filled from `kw`."""
        s = self.en if lang == "en" else self.ja
        return s.format(**kw) if kw else s


def texts(table: dict[str, tuple[str, str]]) -> dict[str, Text]:
    """A table of (ja, en) pairs as Texts."""
    return {k: Text(*v) for k, v in table.items()}
