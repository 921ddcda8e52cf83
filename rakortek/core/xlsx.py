"""XLSX workbooks, read and written safely: one place for every app.

Reading: an uploaded file is distrusted before openpyxl sees it. It must be a
zip of sane size and compression, without macros and without XML document
types (entity expansion); cells are read as stored, so a formula is just text
that starts with "=" and is never evaluated.

Writing: every text goes in as text (data type "s", with Excel's quote prefix
when it starts like a formula), so "=HYPERLINK(...)" or "+62..." stays the
words it was typed as in any spreadsheet program.

The refusals carry the codes "empty", "too_large", "macros",
"old_or_encrypted", "not_xlsx" and "too_big"; a caller with its own wording
maps the codes to its messages.
"""

import io
import re
import zipfile
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MAX_UPLOAD_SIZE = 2 * 1024 * 1024
# Limits on what the zip may expand to. A filled template is far below them;
# a zip bomb or a sheet of a million rows is far above.
MAX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_ENTRY_RATIO = 200
MAX_ENTRIES = 300

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlsb")
DOCTYPE = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
FORMULA_STARTS = ("=", "+", "-", "@")

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
WRAP = Alignment(wrap_text=True, vertical="top")


# --- Reading an uploaded workbook ---------------------------------------------


def refusal(message, code, **params):
    """The ValidationError that refuses a whole file."""
    return ValidationError(message, code=code, params=params or None)


def check_size(data, *, max_size=MAX_UPLOAD_SIZE):
    """Refuse an empty file or one over `max_size` bytes, whatever its type."""
    if not data:
        raise refusal(_("The file is empty."), "empty")
    if len(data) > max_size:
        raise refusal(
            _("The file is too large: at most %(limit)s MB."),
            "too_large",
            limit=max_size // (1024 * 1024),
        )


def looks_like_workbook(data, name=""):
    """Whether a file is meant as an Excel workbook (to be checked as one) rather than text."""
    return name.lower().endswith(MACRO_SUFFIXES) or data.startswith((OLE_MAGIC, ZIP_MAGIC))


def check_container(data, name="", *, max_entries=MAX_ENTRIES):
    """Refuse anything but a plain, reasonably sized XLSX before it is parsed."""
    check_size(data)
    if name.lower().endswith(MACRO_SUFFIXES):
        raise _macros()
    if data.startswith(OLE_MAGIC):
        raise refusal(
            _(
                "This is an old Excel file (.xls) or a password-protected workbook. "
                "Save it as “Excel Workbook (.xlsx)” without a password and upload it again."
            ),
            "old_or_encrypted",
        )
    if not data.startswith(ZIP_MAGIC):
        raise not_xlsx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_xlsx() from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_xlsx()
    if len(entries) > max_entries:
        raise _too_big()
    total = 0
    for entry in entries:
        if entry.filename.lower().endswith("vbaproject.bin"):
            raise _macros()
        if entry.flag_bits & 0x1:  # encrypted entry
            raise not_xlsx()
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (entry.file_size > 1024 * 1024 and ratio > MAX_ENTRY_RATIO):
            raise _too_big()
    for entry in entries:
        if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            content = _read_limited(archive, entry)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise not_xlsx() from None
        # A document type is never needed in a workbook and is how entity-expansion attacks start.
        if DOCTYPE.search(content):
            raise not_xlsx()
        if entry.filename == "[Content_Types].xml" and b"macroenabled" in content.lower():
            raise _macros()
    return archive


def _read_limited(archive, entry):
    """Read an entry, trusting its stated size no further than the bytes actually inflated."""
    with archive.open(entry) as stream:
        content = stream.read(entry.file_size + 1)
    if len(content) > entry.file_size:
        raise ValueError("entry larger than stated")
    return content


def not_xlsx():
    return refusal(
        _("This is not an Excel workbook (.xlsx). Download the template and fill that in."),
        "not_xlsx",
    )


def _macros():
    return refusal(
        _(
            "Workbooks with macros (.xlsm) are not accepted. Save the file as "
            "“Excel Workbook (.xlsx)” and upload it again."
        ),
        "macros",
    )


def _too_big():
    return refusal(
        _("This workbook is too large or too heavily compressed to be read safely."),
        "too_big",
    )


@contextmanager
def read_sheet(data, name="", *, max_columns, sheet=None, max_entries=MAX_ENTRIES):
    """The rows of one sheet of a checked workbook, as lists of `cell_text`.

    The sheet named `sheet` if the workbook has it, else the first. Rows are
    read lazily (a sheet may be long); the workbook is closed on leaving the
    block. Any error other than a ValidationError, while reading or in the
    block, means a malformed workbook: "not_xlsx".
    """
    check_container(data, name, max_entries=max_entries)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for a malformed workbook
        raise not_xlsx() from None
    try:
        worksheet = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
        rows = worksheet.iter_rows(max_col=max_columns, values_only=True)
        yield ([cell_text(value) for value in values] for values in rows)
    except ValidationError:
        raise
    except Exception:
        raise not_xlsx() from None
    finally:
        workbook.close()


def filled_rows(rows, positions, *, limit, too_many):
    """(row number, {field: text}) for every row after the header with text in a known column.

    `rows` are the lists of text after the header (row 1); `positions` maps a
    field to its column index. More than `limit` such rows is refused with the
    message `too_many` (code "too_many_rows", param "limit") as soon as the
    first row over the limit is read, not at the end of a long sheet.
    """
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {
            name: values[index]
            for name, index in positions.items()
            if index < len(values) and values[index]
        }
        if cells:
            result.append((number, cells))
            if len(result) > limit:
                raise refusal(too_many, "too_many_rows", limit=limit)
    return result


def cell_text(value):
    """A cell's value as the text a person would have typed into the web form.

    Numbers in numeric cells come out with a decimal comma and no grouping ("3,5",
    "1250000"); text cells are taken as typed and read the Indonesian way later.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        # A number from a numeric cell, written as it is typed in the Indonesian web
        # form: with a decimal comma, so 1.125 (km) stays 1,125 and is never read
        # as one thousand one hundred and twenty-five.
        text = format(Decimal(repr(value)) if isinstance(value, float) else value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    # Formulas arrive as their text ("=A1*2") and stay text.
    return str(value).replace("\r\n", "\n").strip()


# --- Writing ------------------------------------------------------------------


def text_cell(cell, value):
    """Write `value` as text that no spreadsheet program evaluates (control characters,
    which XLSX cannot hold, are left out)."""
    value = "" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def workbook_bytes(workbook):
    """The saved .xlsx file."""
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
