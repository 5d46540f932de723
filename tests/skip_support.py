"""The skips that are by design. Under CI (`CI=true`) every other skip is a failure (conftest), so a
missing tool, a broken import or a server that did not start cannot pass as "skipped"."""

from __future__ import annotations

import os

import pytest

# Acting as another local user (runuser, setpriv) needs root; as an ordinary user there is no other
# user to act as, and the check it would make cannot be made.
ROOT_ONLY = "needs root to act as another local user"
root_only = pytest.mark.skipif(os.geteuid() != 0, reason=ROOT_ONLY)

# The SPEC is kept beside the repository, not in it: a checkout on its own has none to compare with.
SPEC_ELSEWHERE = "../shared/SPEC.md is not next to this checkout"

BY_DESIGN = frozenset({ROOT_ONLY, SPEC_ELSEWHERE})


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def unexpected_skip(report) -> str | None:
    """The reason of a skip that CI must not accept, or None (not a skip, not under CI, or by design)."""
    if not report.skipped or hasattr(report, "wasxfail") or not in_ci():
        return None
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    reason = reason.removeprefix("Skipped: ")
    return None if reason in BY_DESIGN else reason


def as_failure(report, reason: str) -> None:
    report.outcome = "failed"
    report.longrepr = (f"skipped under CI=true: {reason}\n(only the skips by design are allowed there: "
                       f"{', '.join(sorted(BY_DESIGN))}; see tests/skip_support.py)")
