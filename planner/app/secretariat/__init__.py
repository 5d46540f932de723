"""The secretariat app: one module per panel, each holding its model and its view; `app` holds the
page's model and view, which make the panels. `open_session` is how a page gets its model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...desk import Desk, Ended
from ...errors import PlannerError
from ..identity import Request, page_lang, query_params, require_secretariat, user_lang
from ..notes import Note
from ..opening import pick_year
from .app import SecretariatModel, SecretariatView, year_for

if TYPE_CHECKING:
    from ...api import Store


def open_session(request: Request, store: Store | None = None, ended: Ended | None = None) -> SecretariatModel:
    """The model for whoever signed in to this request; a refused model for anyone who may not edit."""
    params = query_params(request.query_string)
    lang = page_lang(params)
    try:
        desk = Desk.for_session(store, request.session, ended)
        user = require_secretariat(desk)
        lang = user_lang(desk, params)
        fy = year_for(desk, user.consortium, pick_year(params, desk, user.consortium))
        return SecretariatModel(desk, fy, lang)
    except PlannerError as exc:
        return SecretariatModel.refused(Note.of(exc), lang)


__all__ = ["SecretariatModel", "SecretariatView", "open_session"]
