"""planner: 高度外国人材活躍地域コンソーシアム 支援事業メニュー（ポイント制）の計画ツール.

The names here are the stable API that analysts use in notebooks (see SPEC's Python API).
"""

from .access import User
from .api import Store, open_store
from .desk import Desk
from .errors import AccessDenied, Conflict, FiscalYearError, InvalidAction, NotFound, PlannerError
from .findings import Finding
from .fiscal_year import FiscalYear, MenuItem, Variant, load_fiscal_year, parse_fiscal_year
from .plan import Line, Plan
from .results import Company, Result, check_result
from .rules import check, line_points, points

__all__ = [
    "AccessDenied", "Company", "Conflict", "Desk", "Finding", "FiscalYear", "FiscalYearError", "InvalidAction",
    "Line", "MenuItem",
    "NotFound", "Plan", "PlannerError", "Result", "Store", "User", "Variant", "check", "check_result",
    "line_points", "load_fiscal_year", "open_store", "parse_fiscal_year", "points",
]
