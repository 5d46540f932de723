"""Open pages follow what anyone changes (in an app, a workbook, the CLI or the Python API).

One follower per page, on the kernel's own event loop (the loop the widgets' messages are handled on,
so what it changes reaches the browser like the reply to a click, never from another thread). Every
`every` seconds it asks SQLite's `data_version`, which moves only when another connection committed and
reads no table; only then it reads the latest event's number, and only when that moved, the events, and
hands them to the app's model, which reads again what it shows. Nothing unsaved is touched here: the
model decides what it may reload and what it only tells.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import PlannerError
from ..text import Text
from .notes import Note

if TYPE_CHECKING:
    from ..desk import Desk
    from ..store import Event

EVERY = 1.5  # seconds between checks: "within a few seconds", for one cheap query a check


class Follower:
    """Calls `on_events(events)` with the events after the last ones seen (those about plans the person
    may read; possibly none, when only others' plans changed) whenever the store moved on."""

    def __init__(self, desk: Desk, on_events: Callable[[list[Event]], None], every: float = EVERY):
        self._desk, self._on_events, self.every = desk, on_events, every
        self._version = desk.changed()
        self.last = desk.last_event()
        self._timer: asyncio.TimerHandle | None = None
        self.stopped = False

    def check(self) -> bool:
        """Look once; True when there were new events (the model was told)."""
        version = self._desk.changed()
        if version == self._version:
            return False
        self._version = version
        last = self._desk.last_event()
        if last == self.last:
            return False
        events = self._desk.events_since(self.last)
        self.last = last
        self._on_events(events)
        return True

    def start(self) -> bool:
        """Check every `every` seconds on the running loop (a served page's kernel); False without one (a
        test or a script calls `check` itself)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        self._timer = loop.call_later(self.every, self._tick)
        return True

    def stop(self) -> None:
        self.stopped = True
        if self._timer is not None:
            self._timer.cancel()

    def _tick(self) -> None:
        if self.stopped:
            return
        try:
            self.check()
        except PlannerError:  # the session is over: the desk has replaced the page with the sign-in link
            self.stop()
            return
        except Exception:  # a fault of ours: to the server's log; the page goes on following
            traceback.print_exc(file=sys.__stderr__)
        self._timer = asyncio.get_running_loop().call_later(self.every, self._tick)


# what a person is told someone did to the plan on their screen: 「{who}さんが{what}（版 a → b）」
DONE = {
    "save": Text("保存しました", "saved it"),
    "submit": Text("提出しました", "submitted it"),
    "withdraw": Text("提出を取り下げました", "withdrew the submission"),
    "accept": Text("承認しました", "accepted it"),
    "return": Text("差し戻しました", "returned it"),
    "reopen": Text("再開しました", "reopened it"),
    "record_result": Text("実績を記録しました", "recorded a result"),
}


# what the plan's status now says was done to it, when only the status is known (a refused move)
DONE_TO = {"returned": "return", "accepted": "accept", "submitted": "submit", "draft": "save"}


def moved_on(who: str, action: str, before: int, now: int, comment: str = "", kept: bool = False) -> Note:
    """What a person is told when the plan on their screen was moved on by someone (or by themselves in
    another tab): who did what, from which revision to which; the officer's comment with a return; and,
    when they had unsaved changes (`kept`), that these are still there and what they can do."""
    done = DONE.get(action, Text(action, action))
    rev_ja = f"（版 {before} → {now}）" if before and before != now else f"（版 {now}）"
    rev_en = f" (revision {before} → {now})" if before and before != now else f" (revision {now})"
    ja, en = f"{who}さんが{done.ja}{rev_ja}。", f"{who} {done.en}{rev_en}."
    if action == "return":
        ja += (f"差し戻し: {comment}　" if comment else "") + "計画を直して、もう一度提出してください。"
        en += (f" Returned: {comment}" if comment else "") + " Fix the plan and submit it again."
    elif comment and action in ("accept", "reopen"):
        ja += f"コメント: {comment}"
        en += f" Comment: {comment}"
    if kept:
        ja += ("あなたの未保存の変更は残っています。保存すると、相手の変更との違いが示されます。"
               "「最新の版を読み込む」で相手の版に切り替えることもできます（未保存の変更は破棄されます）。")
        en += (" Your unsaved changes are kept. Saving shows how they differ from theirs; or load "
               "the latest revision (your unsaved changes are then discarded).")
    kind = "warning" if action == "return" or kept else "info"
    return Note(kind, ja, en)
