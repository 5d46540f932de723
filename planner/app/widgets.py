"""The widgets both apps are built of: HTML blocks with shared style models, buttons, the upload
button, a keyboard-reachable disclosure, the panel base class, a dropdown bound to a model, the page's
top bar and the refusal box. Views render a model and forward events; these hold no state of their own.

Every text that came from a person (titles, comments, file names) is escaped before it goes into an
HTML widget: a plan title is data, never markup.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as ipw
from ipywidgets.widgets.widget_string import HTMLStyle

from .notes import Note
from .text import TEXT, t

# Style and layout models shared by every widget whose look never changes: each model is one more
# message to the browser and one more object it builds before the first screen (about 40 % of them).
_SHARED: dict[tuple, ipw.Widget] = {}


def shared_layout(**kw: str) -> ipw.Layout:
    """One Layout per kernel for these settings; only for widgets whose layout is never changed."""
    key = ("layout", *sorted(kw.items()))
    if key not in _SHARED:
        _SHARED[key] = ipw.Layout(**kw)
    return _SHARED[key]  # type: ignore[return-value]


def _shared_style(kind: type[ipw.Widget]) -> Any:
    key = ("style", kind.__name__)
    if key not in _SHARED:
        _SHARED[key] = kind()
    return _SHARED[key]


def html(value: str = "", layout: ipw.Layout | None = None) -> ipw.HTML:
    """An HTML widget (nothing in the apps changes an HTML widget's layout or style)."""
    return ipw.HTML(value, style=_shared_style(HTMLStyle), layout=layout or shared_layout())


def button(cls: str, style: str = "", width: str = "auto", toggled: bool = False) -> ipw.Button:
    """A button; `toggled` ones get a layout of their own because they are shown and hidden."""
    layout = ipw.Layout(width=width, flex="0 0 auto") if toggled else shared_layout(width=width, flex="0 0 auto")
    b = ipw.Button(button_style=style, layout=layout, style=_shared_style(ipw.ButtonStyle))
    b.add_class(cls)
    return b


def upload_button() -> ipw.FileUpload:
    """One workbook at a time, without the icon font the page no longer loads from a CDN."""
    b = ipw.FileUpload(accept=".xlsx", multiple=False, icon="",
                       layout=ipw.Layout(width="auto", align_self="flex-start"))
    b.add_class("pl-upload-button")
    return b


def label_upload(upload: ipw.FileUpload, text: str) -> None:
    # the widget writes "label (number of files)" as its text; the stylesheet shows the tooltip
    # instead, since the count (always 0, the value is cleared after each file) only puzzles people
    upload.description = upload.tooltip = text


class Disclosure(ipw.VBox):
    """A section opened and closed by a button. Not an Accordion: its header cannot be reached with Tab,
    and what it hides (the notes a rule may ask for, the history) must be reachable by keyboard."""

    def __init__(self, children: list[ipw.Widget], cls: str):
        self._toggle = ipw.ToggleButton(value=False, layout=ipw.Layout(width="auto", max_width="100%",
                                                                        align_self="flex-start"))
        self._toggle.add_class(f"{cls}-toggle")
        self._body = ipw.VBox(children, layout=ipw.Layout(display="none"))
        self._body.add_class(f"{cls}-body")
        super().__init__([self._toggle, self._body])
        self.add_class(cls)
        self._title = ""
        self._toggle.observe(self._show, "value")

    @property
    def title(self) -> str:
        return self._title

    @title.setter
    def title(self, text: str) -> None:
        self._title = text
        self._show()

    @property
    def opened(self) -> bool:
        return self._toggle.value

    @opened.setter
    def opened(self, value: bool) -> None:
        self._toggle.value = value

    def _show(self, _: Any = None) -> None:
        self._toggle.description = ("▾ " if self._toggle.value else "▸ ") + self._title
        self._toggle.tooltip = self._title
        self._body.layout.display = None if self._toggle.value else "none"


class View(ipw.VBox):
    """A panel: built lazily by render(), refreshed from its model by observers."""

    def __init__(self, model: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self._model = model
        self.rendered = False

    def render(self) -> None:
        if self.rendered:
            return
        self._render()
        self.rendered = True

    def _render(self) -> None:
        raise NotImplementedError


def focus_when_shown(widget: ipw.DOMWidget) -> None:
    """Move the keyboard focus to `widget` once the browser shows it. A focus sent to a widget whose
    view is not made yet is lost, so a widget made just now waits for its first view: it must count its
    views (`_view_count = 0` set when it is made; the browser raises the count as it shows one)."""
    if widget._view_count == 0:
        def shown(change: dict) -> None:
            if change["new"]:
                widget.unobserve(shown, "_view_count")
                widget.focus()

        widget.observe(shown, "_view_count")
        return
    widget.focus()


def bind_choice(widget: ipw.Dropdown, model: Any, trait: str, options_trait: str,
                choose: Callable[[Any], bool] | None = None) -> None:
    """Keep a Dropdown on a model's value and options, the model being the source of truth.

    Replacing a Dropdown's options resets its value (ipywidgets 8); the guard keeps that reset from
    reaching the model. With `choose`, a person's pick is asked of it instead of set; if it refuses
    (unsaved changes, say), the dropdown goes back to the model's value.
    """
    guard = [False]

    def to_widget(_: Any = None) -> None:
        guard[0] = True
        try:
            opts = [tuple(o) for o in getattr(model, options_trait)]
            if list(widget.options) != opts:
                widget.options = opts
            value = getattr(model, trait)
            if any(v == value for _, v in opts):
                widget.value = value
        finally:
            guard[0] = False

    def to_model(change: dict) -> None:
        if guard[0] or change["new"] is None:
            return
        if choose is None:
            setattr(model, trait, change["new"])
        elif not choose(change["new"]):
            to_widget()

    model.observe(to_widget, [trait, options_trait])
    widget.observe(to_model, "value")
    to_widget()


def download_button(href: str, label: str, cls: str) -> str:
    """A link that looks like the apps' buttons and saves, in one click, the workbook `planner serve`
    makes for the signed-in person at `href` (planner.downloads). It opens in a new tab: a workbook comes
    as an attachment, so the browser saves it and closes that tab; a refusal (the session ended, say) is
    its bilingual page, read in that tab, while the app and its unsaved edits stay in theirs. (With
    `download`, Chromium saved the refusal page as a failed download, with no reason shown anywhere.)"""
    if not href:
        return ""
    return (f'<a class="pl-link-button {cls}" href="{escape(href)}" target="_blank" rel="noopener">'
            f'{escape(label)}</a>')


def uploaded(upload: ipw.FileUpload, change: dict) -> tuple[str, bytes] | None:
    """The file just chosen in an upload button, as (name, bytes); the button is cleared so the same
    file can be chosen again after it was fixed."""
    files = change["new"]
    if not files:
        return None
    f = files[0]
    content = f["content"]
    upload.value = ()
    return f["name"], content.tobytes() if hasattr(content, "tobytes") else bytes(content)


def refusal_box(note: Note) -> ipw.HTML:
    """The whole page of a refused session: why, in both languages (the page's language is not known
    to be trusted yet)."""
    ja, en = TEXT["refused"]
    out_ja, out_en = TEXT["refused_sign_out"]
    # signed in as the wrong person (a shared PC, a link for another app): a way out to sign in again
    href = f'{escape(os.environ.get("VOILA_BASE_URL", "/").rstrip("/"))}/logout'
    box = html(f'<div class="pl-refusal pl-note pl-note-error" role="alert"><h2>{ja} / {en}</h2>'
               f'<p lang="ja">{escape(note.ja)}</p><p lang="en">{escape(note.en)}</p>'
               f'<p><a class="pl-signout-a" href="{href}">{out_ja} / <span lang="en">{out_en}</span></a></p></div>')
    box.add_class("pl-refusal-box")
    return box


def sign_out_link(model: Any) -> ipw.HTML:
    """Both apps' sign-out: a plain link to the server's /logout, which ends the session in the store
    and drops the cookie (a widget could end the session, but only an HTTP response clears a cookie)."""
    base = os.environ.get("VOILA_BASE_URL", "/").rstrip("/")
    w = html()
    w.add_class("pl-signout")

    def show(_: Any = None) -> None:
        en = model.lang == "en"
        w.value = (f'<a class="pl-signout-a" href="{escape(base)}/logout{"?lang=en" if en else ""}">'
                   f'{t("sign_out", model.lang)}</a>')

    model.observe(show, "lang")
    show()
    return w


def top_bar(model: Any, header: ipw.Widget, *controls: ipw.Widget) -> ipw.HBox:
    """The page's title on the left; the app's controls, the language and sign-out on the right."""
    lang = ipw.ToggleButtons(options=[("日本語", "ja"), ("English", "en")], style={"button_width": "6em"})
    lang.add_class("pl-lang")
    ipw.link((model, "lang"), (lang, "value"))
    top = ipw.HBox([header, ipw.HBox([*controls, lang, sign_out_link(model)])], layout=ipw.Layout(
        justify_content="space-between", align_items="center", flex_flow="row wrap"))
    top.add_class("pl-top")
    return top
