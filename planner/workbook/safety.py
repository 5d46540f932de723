"""Checks on an uploaded file before openpyxl ever parses it.

An .xlsx is a zip of XML parts. Everything here works on the zip directory and on bounded reads of
the parts, so a hostile file (a zip bomb, an entity bomb, a renamed .xls or .xlsm, a forged sheet
size) is refused in milliseconds and with little memory. defusedxml is installed as well, so openpyxl
refuses entity declarations even if one slipped past the scan.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET

from ..findings import Finding
from ..text import Text
from .layout import MAX_FILE_BYTES

MAX_PARTS = 500
MAX_TOTAL_UNCOMPRESSED = 60 * 1024 * 1024  # a plan workbook is well under 1 MB unpacked
MAX_PART_UNCOMPRESSED = 40 * 1024 * 1024
MAX_RATIO = 100  # typical XML packs 5–20 times; a bomb packs hundreds to millions of times
RATIO_FLOOR = 1024 * 1024  # small parts may pack as tightly as they like
MAX_SHEET_ROWS = 5000  # the largest sheet of a plan workbook is a few hundred rows
MAX_SHEET_COLUMNS = 200
SCAN_CHUNK = 1 << 16

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DANGEROUS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension[^>]*\sref="([^"]*)"')
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")
MACRO_TYPES = ("macroEnabled", "vbaProject", "vnd.ms-office.activeX", "vnd.ms-excel.sheet.binary")


@dataclass(frozen=True)
class Inspection:
    findings: list[Finding]
    sheet_parts: dict[str, str]  # sheet name -> part name, for the reader's messages


def _not_a_workbook(detail_ja: str, detail_en: str) -> Finding:
    return Finding.of("NOT_A_WORKBOOK", detail=Text(detail_ja, detail_en))


def _unsafe(ja: str, en: str, sheet: str | None = None) -> Finding:
    return Finding.of("UNSAFE_CONTENT", sheet=sheet, what=Text(ja, en))


def too_large(size: int) -> Finding:
    return Finding.of("FILE_TOO_LARGE", mb=size / 1024 / 1024)


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet names and their XML parts, from workbook.xml and its relationships (parsed safely)."""
    try:
        wb = SafeET.fromstring(z.read("xl/workbook.xml"))
        rels = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - any parse failure means: not a workbook we can read
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for el in wb.iter():
        if el.tag.endswith("}sheet"):
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            out[el.get("name", "")] = part
    return out


def _scan_part(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bool, int]:
    """(declares a DOCTYPE or ENTITY, number of <row> elements), read in chunks bounded by the declared size.

    Rows are counted here because openpyxl, when a sheet declares no dimension, parses the whole
    sheet to find its size before we could stop it.
    """
    tail = b""
    rows = 0
    with z.open(info) as fh:
        head = fh.read(4)
        if b"\x00" in head or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            # UTF-16/32 XML: drop the zero bytes so a declaration cannot hide between them
            data = (head + fh.read(MAX_PART_UNCOMPRESSED)).replace(b"\x00", b"")
            return bool(_DANGEROUS.search(data)), len(_ROW.findall(data))
        buf = head
        while True:
            window = tail + buf
            if _DANGEROUS.search(window):
                return True, rows
            # count rows that end in this window but not in the overlap already counted
            rows += sum(1 for m in _ROW.finditer(window) if m.end() > len(tail))
            tail = window[-32:]
            buf = fh.read(SCAN_CHUNK)
            if not buf:
                return False, rows


def _dimension(z: zipfile.ZipFile, part: str) -> tuple[int, int] | None | str:
    """(rows, columns) the sheet declares, None when it declares nothing, 'bad' when unreadable."""
    try:
        with z.open(part) as fh:
            head = fh.read(4096)
    except KeyError:
        return None
    m = _DIMENSION.search(head)
    if not m:
        return None
    ref = m.group(1).decode("ascii", errors="replace").strip().upper()
    mm = _REF.match(ref)
    if not mm:
        return "bad"
    from openpyxl.utils import column_index_from_string

    c1, r1, c2, r2 = mm.groups()
    try:
        cols = column_index_from_string(c2 or c1)
    except ValueError:
        return "bad"
    rows = int(r2 or r1)
    if rows > 1_048_576 or cols > 16_384:
        return "bad"
    return rows, cols


def inspect(data: bytes) -> Inspection:
    """Every reason not to parse this file; an empty list of findings means it is safe to open."""
    if len(data) > MAX_FILE_BYTES:
        return Inspection([too_large(len(data))], {})
    if data[:8] == OLE2_MAGIC:
        return Inspection([_not_a_workbook("古い形式の .xls か、パスワードで保護されたブックです",
                                           "it is an old .xls file or a password-protected workbook")], {})
    if data[:4] != b"PK\x03\x04":
        return Inspection([_not_a_workbook("zip 形式ではありません", "it is not a zip package")], {})
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return Inspection([_not_a_workbook("ファイルが壊れています", "the file is damaged")], {})

    with z:
        if len(infos) > MAX_PARTS:
            return Inspection([_unsafe(f"部品が {len(infos)} 個あります（上限 {MAX_PARTS}）。",
                                       f"it has {len(infos)} parts (at most {MAX_PARTS}).")], {})
        names = {i.filename for i in infos}
        if any(n.lower().endswith("vbaproject.bin") or n.lower().endswith(".bin") and "activex" in n.lower()
               for n in names):
            return Inspection([_macro()], {})
        total = 0
        for i in infos:
            if i.flag_bits & 0x1:
                return Inspection([_not_a_workbook("暗号化された部品があります", "it has encrypted parts")], {})
            total += i.file_size
            if i.file_size > MAX_PART_UNCOMPRESSED or total > MAX_TOTAL_UNCOMPRESSED:
                return Inspection([_unsafe(
                    f"展開すると {max(total, i.file_size) / 1024 / 1024:.0f} MB 以上になります（zip 爆弾の疑い）。",
                    f"it unpacks to {max(total, i.file_size) / 1024 / 1024:.0f} MB or more (a zip bomb?).")], {})
            if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                return Inspection([_unsafe(
                    f"部品 {i.filename} の圧縮率が {i.file_size // max(i.compress_size, 1)} 倍です（zip 爆弾の疑い）。",
                    f"part {i.filename} packs {i.file_size // max(i.compress_size, 1)} times (a zip bomb?).")], {})
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            if "xl/workbook.bin" in names:
                return Inspection([_not_a_workbook("バイナリ形式（.xlsb）です", "it is a binary .xlsb workbook")], {})
            return Inspection([_not_a_workbook("Excel ブックの部品がありません",
                                               "it has no Excel workbook parts (a .docx, .zip or .ods?)")], {})
        row_counts: dict[str, int] = {}
        try:
            for i in infos:
                if i.filename.endswith((".xml", ".rels", ".vml")):
                    dangerous, row_counts[i.filename] = _scan_part(z, i)
                    if dangerous:
                        return Inspection([_unsafe(
                            f"部品 {i.filename} に XML の DOCTYPE/ENTITY 宣言があります。",
                            f"part {i.filename} declares an XML DOCTYPE or ENTITY.")], {})
            types = z.read("[Content_Types].xml").decode("utf-8", errors="replace")
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as e:
            return Inspection([_not_a_workbook(f"部品を展開できません: {e}", f"a part cannot be unpacked: {e}")], {})
        if any(t in types for t in MACRO_TYPES):
            return Inspection([_macro()], {})

        sheets = _sheet_parts(z)
        if not sheets:
            return Inspection([_not_a_workbook("シートの一覧を読めません", "its list of sheets cannot be read")], {})
        findings = []
        for name, part in sheets.items():
            dim = _dimension(z, part)
            if dim is None and row_counts.get(part, 0) > MAX_SHEET_ROWS:
                dim = (row_counts[part], 0)
            if dim == "bad":
                findings.append(_unsafe(f"シート「{name}」の大きさの宣言（dimension）が不正です。",
                                        f"sheet '{name}' declares an impossible size (dimension).", name))
            elif isinstance(dim, tuple) and (dim[0] > MAX_SHEET_ROWS or dim[1] > MAX_SHEET_COLUMNS):
                findings.append(Finding.of("TOO_MANY_ROWS", sheet=name, rows=dim[0], columns=dim[1],
                                           max_rows=MAX_SHEET_ROWS, max_columns=MAX_SHEET_COLUMNS))
        return Inspection(findings, sheets)


def _macro() -> Finding:
    return Finding.of("MACRO_WORKBOOK")
