"""The review app (programme officer, contractor, analyst): one module per panel, each holding its
model and its view; `app` holds the page's model and view. `open_review` is how a page gets its model."""

from __future__ import annotations

from ...access import User
from ...errors import AccessDenied, PlannerError
from ...store import Store, open_store
from ..identity import Ended, Request, identify, page_lang, query_params, user_lang
from ..notes import Note
from ..opening import pick_year
from .app import REVIEW_ROLES, ReviewModel, ReviewView


def require_reviewer(store: Store, user: User) -> User:
    """Officers, the contractor and analysts review; a secretariat has its own app."""
    if user.role in REVIEW_ROLES:
        return user
    denied = AccessDenied(
        "この画面はプログラム担当（JETRO）と受託者のためのレビュー画面です。事務局の方は計画入力画面"
        "（/voila/render/secretariat.ipynb）をお使いください。",
        "This is the review app for the programme officer and the contractor. Secretariats, please use "
        "the plan app (/voila/render/secretariat.ipynb).",
    )
    store.log_refusal(denied, user.name, "open_review_app", user.consortium or "-")
    raise denied


def open_review(request: Request, store: Store | None = None, ended: Ended | None = None) -> ReviewModel:
    """The review model for whoever signed in to this request; a refused model for anyone else."""
    params = query_params(request.query_string)
    lang = page_lang(params)
    try:
        store = store if store is not None else open_store()
        user = require_reviewer(store, identify(store, request.session, ended))
        return ReviewModel(store, user, pick_year(params, store), user_lang(store, user, params))
    except PlannerError as exc:
        return ReviewModel.refused(Note.of(exc), lang)


__all__ = ["ReviewModel", "ReviewView", "open_review"]
