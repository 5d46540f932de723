"""What an action says to the person (`Note`, data the models hold) and how a note or a finding is shown.

Internal codes stay out of these: a finding's code belongs in the workbook findings and the CLI; on
screen a person reads what is wrong and where."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..errors import PlannerError
from ..findings import Finding
from .text import t


@dataclass(frozen=True)
class Note:
    """A message for the person, in both languages; kind is info, success, warning or error."""

    kind: str
    ja: str
    en: str
    details: tuple[tuple[str, str], ...] = ()

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja

    def detail_texts(self, lang: str) -> list[str]:
        return [en if lang == "en" else ja for ja, en in self.details]

    @classmethod
    def of(cls, exc: PlannerError, kind: str = "error") -> Note:
        return cls(kind, exc.message_ja, exc.message_en)


def note_html(note: Note | None, lang: str, role: bool = True) -> str:
    """A note as a box of its kind. `role=False` inside a widget that is a live region itself
    (class pl-live, see the page template): a role of its own there would be announced twice."""
    if note is None:
        return ""
    details = "".join(f"<li>{escape(d)}</li>" for d in note.detail_texts(lang))
    body = escape(note.text(lang)).replace("\n", "<br>")
    aria = f' role="{"alert" if note.kind == "error" else "status"}"' if role else ""
    return (f'<div class="pl-note pl-note-{note.kind}"{aria}>{body}'
            + (f"<ul>{details}</ul>" if details else "") + "</div>")


def finding_html(f: Finding, lang: str) -> str:
    kind = "error" if f.is_error else "warning"
    return f'<div class="pl-note pl-note-{kind}"><b>{t(kind, lang)}</b> {escape(f.message(lang))}</div>'


def findings_html(findings: list[Finding], lang: str) -> str:
    """The rules' findings of a plan under a heading that counts them."""
    errors = sum(f.is_error for f in findings)
    head = (f'<h3>{t("findings", lang)} <small>'
            f'{t("findings_count", lang, e=errors, w=len(findings) - errors)}</small></h3>')
    return head + ("".join(finding_html(f, lang) for f in findings) or f'<p>{t("no_findings", lang)}</p>')
