"""The secretariat app: one module per panel, each holding its model and its view; `app` holds the
page's model and view, which make the panels. `open_session` is how a page gets its model."""

from __future__ import annotations

from ...errors import PlannerError
from ...store import Store, open_store
from ..identity import Ended, Request, identify, page_lang, query_params, require_secretariat, user_lang
from ..notes import Note
from ..opening import pick_year
from .app import SecretariatModel, SecretariatView, year_for


def open_session(request: Request, store: Store | None = None, ended: Ended | None = None) -> SecretariatModel:
    """The model for whoever signed in to this request; a refused model for anyone who may not edit."""
    params = query_params(request.query_string)
    lang = page_lang(params)
    try:
        store = store if store is not None else open_store()
        user = require_secretariat(store, identify(store, request.session, ended))
        lang = user_lang(store, user, params)
        fy = year_for(store, user.consortium, pick_year(params, store, user.consortium))
        return SecretariatModel(store, user, fy, lang)
    except PlannerError as exc:
        return SecretariatModel.refused(Note.of(exc), lang)


__all__ = ["SecretariatModel", "SecretariatView", "open_session"]
