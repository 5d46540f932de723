"""Numbers as people type them: one reader for the app's forms and the workbook's columns.

Full-width digits and signs are read as what they are, a count may carry its unit (30名, 18社),
and a comma only separates thousands: 「1,500」 is 1500, but 「1,5」 could be 1.5 or 15, so it is not
read at all. What the reader cannot read is said, never guessed. Pure functions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# what may follow a count or a share as typed: people, companies, times, schools, a per cent sign
UNITS = ("名", "人", "社", "件", "回", "校", "%", "％")
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_PLAIN = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class Reading:
    """What a typed text holds: `value` (an int when whole, else a float), or None with `problem`:
    "blank", "comma" (a comma that is no thousands separator) or "text" (not a number)."""

    value: int | float | None
    problem: str | None = None

    @property
    def whole(self) -> int | None:
        """The value if it is a whole number (3.0 counts), else None."""
        v = self.value
        return int(v) if isinstance(v, int | float) and float(v).is_integer() else None


def half_width(text: str) -> str:
    """Full-width forms (３０, －, ．, ，, ％, ／) as the ASCII they stand for. Only those: NFKC would
    also turn ² or ⑤ into digits, which nobody types as a number. (The date reader uses it too.)"""
    return "".join(unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" or ch == "\u3000" else ch
                   for ch in text)


def read_number(text: str) -> Reading:
    t = half_width(text).strip().replace("−", "-").replace("ー", "-")
    for unit in UNITS:
        if t.endswith(unit):
            t = t[: -len(unit)].rstrip()
            break
    if not t:
        return Reading(None, "blank")
    if "," in t:
        if not _THOUSANDS.fullmatch(t):
            return Reading(None, "comma")
        t = t.replace(",", "")
    if not _PLAIN.fullmatch(t):
        return Reading(None, "text")
    f = float(t)
    return Reading(int(f) if f.is_integer() else f)
