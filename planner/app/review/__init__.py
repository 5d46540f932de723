"""The review app (programme officer, contractor, analyst): one module per panel, each holding its
model and its view; `app` holds the page's model and view. `open_review` is how a page gets its model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...access import User
from ...desk import Desk, Ended
from ...errors import AccessDenied, PlannerError
from ..identity import Request, page_lang, query_params, user_lang
from ..notes import Note
from ..opening import pick_year
from .app import REVIEW_ROLES, ReviewModel, ReviewView

if TYPE_CHECKING:
    from ...api import Store


def require_reviewer(desk: Desk) -> User:
    """Officers, the contractor and analysts review; a secretariat has its own app."""
    user = desk.user
    if user.role in REVIEW_ROLES:
        return user
    raise desk.refuse(AccessDenied(
        "この画面はプログラム担当（JETRO）と受託者のためのレビュー画面です。事務局の方は計画入力画面"
        "（/voila/render/secretariat.ipynb）をお使いください。",
        "This is the review app for the programme officer and the contractor. Secretariats, please use "
        "the plan app (/voila/render/secretariat.ipynb).",
    ), "open_review_app", user.consortium or "-")


def open_review(request: Request, store: Store | None = None, ended: Ended | None = None) -> ReviewModel:
    """The review model for whoever signed in to this request; a refused model for anyone else."""
    params = query_params(request.query_string)
    lang = page_lang(params)
    try:
        desk = Desk.for_session(store, request.session, ended)
        require_reviewer(desk)
        model = ReviewModel(desk, pick_year(params, desk), user_lang(desk, params))
        # a mail's link names the plan (`?fy=2025&consortium=kansai`): the page opens on it
        if params.get("consortium") in model.fy.consortia:
            model.open_plan(params["consortium"])
        return model
    except PlannerError as exc:
        return ReviewModel.refused(Note.of(exc), lang)


__all__ = ["ReviewModel", "ReviewView", "open_review"]
