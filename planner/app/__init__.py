"""The Voilà apps. `secretariat_app()` is what notebooks/secretariat.ipynb shows.

Imports stay light (no pandas, no openpyxl until a workbook is made) because the first screen's
time counts; under preheated kernels everything before the query string is read runs ahead of time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ipywidgets

    from ..store import Store


def secretariat_app(query_string: str | None = None, store: Store | None = None) -> ipywidgets.Widget:
    """Build the secretariat app for the page's request and return its rendered root widget."""
    from .identity import read_query_string
    from .session import open_session, warm_store
    from .views import SecretariatView

    if query_string is None:
        store = store or warm_store()
        query_string = read_query_string()  # blocks here until the request, under preheating
    view = SecretariatView(open_session(query_string, store))
    view.render()
    return view


def review_app(query_string: str | None = None, store: Store | None = None) -> ipywidgets.Widget:
    """Build the review app (programme officer, contractor) for the page's request; return its root widget."""
    from .identity import read_query_string
    from .review_models import open_review
    from .review_views import ReviewView
    from .session import warm_store

    if query_string is None:
        store = store or warm_store()
        query_string = read_query_string()  # blocks here until the request, under preheating
    view = ReviewView(open_review(query_string, store))
    view.render()
    return view


__all__ = ["review_app", "secretariat_app"]
