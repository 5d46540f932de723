"""The base of every panel's model: what it shows of the app's model is declared, and linked once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import traitlets as tl

from .notes import Note

Say = Callable[[Note | None], None]  # put a note at the top of the page (None: clear it)


class Panel(tl.HasTraits):
    """A panel's model. `follows` names the app model's traits the panel shows as its own: "lang", or
    ("points_used", "used") for one it calls by another name. They are linked here, one way (the app
    model is the source), so no panel pushes values into another by hand. The source is used only to
    make the links: a panel never keeps the app. Whatever else it needs (the desk, who is asking, and
    the few commands it may give: set the plan, say a note, reload) is passed to it by name."""

    follows: ClassVar[tuple[str | tuple[str, str], ...]] = ("lang",)
    lang = tl.Unicode("ja")

    def __init__(self, source: tl.HasTraits, **kw: Any):
        super().__init__(**kw)
        for name in self.follows:
            src, dst = (name, name) if isinstance(name, str) else name
            tl.dlink((source, src), (self, dst))
