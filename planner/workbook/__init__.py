"""The Excel bridge: plan and consolidated workbooks out, plan workbooks back in (whole or refused)."""

from .consolidated import consolidated_workbook
from .export import plan_workbook
from .importing import ImportOutcome, import_workbook
from .read import ReadResult, WorkbookMeta, read_workbook

__all__ = ["ImportOutcome", "ReadResult", "WorkbookMeta", "consolidated_workbook", "import_workbook",
           "plan_workbook", "read_workbook"]
