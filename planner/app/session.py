"""Opening the secretariat app: store, identity, fiscal year. Refusals come back as a refused model."""

from __future__ import annotations

from ..errors import PlannerError
from ..fiscal_year import available_years
from ..store import Store, open_store
from .identity import Ended, Request, identify, page_lang, query_params, require_secretariat
from .models import Note, SecretariatModel, year_for


def pick_year(params: dict[str, str], store: Store, consortium: str | None = None) -> int:
    """The year the URL names if it has data; else the newest year this consortium has a plan in;
    else the newest year any consortium plans in (the programme's current round); else the newest file.

    A data file for next year may be published before anyone plans in it; it is not the default then.
    """
    years = available_years()
    asked = params.get("fy", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    for planned in (store.plan_years(consortium) if consortium else [], store.plan_years()):
        usable = [y for y in planned if y in years]
        if usable:
            return usable[-1]
    return years[-1]


def warm_store() -> Store | None:
    """Open the store and read the fiscal-year files ahead of the request (preheated kernels run this
    before anyone asks); None if that fails, so the refusal is said once the page is asked for."""
    try:
        store = open_store()
        for year in available_years():
            store.fiscal_year(year)
        return store
    except PlannerError:
        return None


def open_session(request: Request, store: Store | None = None, ended: Ended | None = None) -> SecretariatModel:
    """The model for whoever signed in to this request; a refused model for anyone who may not edit."""
    params = query_params(request.query_string)
    lang = page_lang(params)
    try:
        store = store if store is not None else open_store()
        user = require_secretariat(store, identify(store, request.session, ended))
        fy = year_for(store, user.consortium, pick_year(params, store, user.consortium))
        return SecretariatModel(store, user, fy, lang)
    except PlannerError as exc:
        return SecretariatModel.refused(Note.of(exc), lang)
