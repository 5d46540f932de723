"""The base of every panel's model: what it shows of the app's model is declared, and linked once."""

from __future__ import annotations

from typing import Any, ClassVar

import traitlets as tl


class Panel(tl.HasTraits):
    """A panel's model. `follows` names the app model's traits the panel shows as its own: "lang", or
    ("points_used", "used") for one it calls by another name. They are linked here, one way (the app
    model is the source), so no panel pushes values into another by hand."""

    follows: ClassVar[tuple[str | tuple[str, str], ...]] = ("lang",)
    lang = tl.Unicode("ja")

    def __init__(self, app: tl.HasTraits, **kw: Any):
        super().__init__(**kw)
        self._app: Any = app
        for name in self.follows:
            src, dst = (name, name) if isinstance(name, str) else name
            tl.dlink((app, src), (self, dst))
