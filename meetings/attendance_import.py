"""Reading a participant list from a CSV or XLSX file, and checking every row.

The file is distrusted: an XLSX must be a plain zip of sane size and
compression, without macros or XML document types; cells are read as stored,
so a formula ("=...", "+...", "-...", "@...") is only text and never evaluated.
Nothing is saved here: `check_rows` reports each row's errors and the view
saves only a file whose every row is valid (services.participants_import).

issues/spreadsheet.py does the same for issues; the meetings app may not
import it, so this is a smaller reader of its own.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from meetings.models import AttendanceMode, Desk, Participant, Region, phone_validator
from meetings.services import person_key

MAX_UPLOAD_SIZE = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_COLUMNS = 30
MAX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_ENTRIES = 200
MAX_ENTRY_RATIO = 200
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCTYPE = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _key(text) -> str:
    """How headers and values are compared: letters and digits only, lower case."""
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as written in the template (Indonesian: it is the file format)
    aliases: tuple = ()
    example: str = ""


COLUMNS = [
    Column("name", "Nama", ("namalengkap", "name", "namapeserta"), "Budi Santoso, S.T."),
    Column("position", "Jabatan", ("position",), "Kepala Bidang Bina Marga"),
    Column(
        "office",
        "Instansi",
        ("unitkerja", "opd", "office", "instansiunitkerja", "asalinstansi"),
        "DPUPR Kabupaten Bangka",
    ),
    Column(
        "region",
        "Kabupaten/Kota",
        ("kabkota", "wilayah", "daerah", "region", "kabupaten"),
        "Kabupaten Bangka",
    ),
    Column(
        "phone",
        "No. HP",
        ("nomorhp", "hp", "telepon", "notelepon", "phone", "telp", "notelp", "nohpwa", "wa"),
        "081234567890",
    ),
    Column("email", "Email", ("surel", "email", "surat elektronik"), ""),
    Column("desk", "Desk", ("bidang", "deskbidang"), "Bina Marga"),
    Column("mode", "Kehadiran", ("mode", "luringdaring", "carahadir"), "luring"),
]
HEADERS = {}
for _column in COLUMNS:
    for _text in (_column.header, _column.field, *_column.aliases):
        HEADERS.setdefault(_key(_text), _column)


@dataclass
class TableRow:
    number: int  # as the spreadsheet or text editor shows it (the header is row 1)
    cells: dict  # field -> text


@dataclass
class Table:
    rows: list
    ignored_headers: list = field(default_factory=list)


def _refuse(message, code, **params):
    return ValidationError(message, code=code, params=params or None)


def _unreadable():
    return _refuse(
        _("This file cannot be read. Upload an Excel workbook (.xlsx) or a CSV file."),
        "unreadable",
    )


def read_table(data: bytes, name: str = "") -> Table:
    """The non-empty rows of a CSV or XLSX participant list; ValidationError if unusable."""
    if not data:
        raise _refuse(_("The file is empty."), "empty")
    if len(data) > MAX_UPLOAD_SIZE:
        raise _refuse(
            _("The file is too large: at most %(limit)s MB."),
            "too_large",
            limit=MAX_UPLOAD_SIZE // (1024 * 1024),
        )
    lower = name.lower()
    if lower.endswith((".xlsm", ".xltm", ".xlsb")) or data.startswith(OLE_MAGIC):
        raise _refuse(
            _(
                "Old Excel files (.xls), workbooks with macros and password-protected workbooks "
                "are not accepted. Save it as “Excel Workbook (.xlsx)” or as CSV."
            ),
            "not_plain_xlsx",
        )
    if data.startswith(ZIP_MAGIC):
        grid = _xlsx_grid(data)
    else:
        grid = _csv_grid(data)
    return _table(grid)


def _csv_grid(data: bytes):
    if b"\x00" in data[:4096]:
        raise _unreadable()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _unreadable()
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        for row in reader:
            yield [cell.strip() for cell in row[:MAX_COLUMNS]]
    except csv.Error:
        raise _unreadable() from None


def _check_zip(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _unreadable() from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise _unreadable()
    if len(entries) > MAX_ENTRIES:
        raise _too_big()
    total = 0
    for entry in entries:
        if entry.filename.lower().endswith("vbaproject.bin") or entry.flag_bits & 0x1:
            raise _unreadable()
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (entry.file_size > 1024 * 1024 and ratio > MAX_ENTRY_RATIO):
            raise _too_big()
    for entry in entries:
        if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(entry) as stream:
                content = stream.read(entry.file_size + 1)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise _unreadable() from None
        if len(content) > entry.file_size or DOCTYPE.search(content):
            raise _unreadable()


def _too_big():
    return _refuse(
        _("This workbook is too large or too heavily compressed to be read safely."), "too_big"
    )


def _xlsx_grid(data: bytes):
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error for a malformed workbook
        raise _unreadable() from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield [cell_text(value) for value in values]
    except ValidationError:
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A cell as the text a person would have typed; a formula stays its text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _table(grid) -> Table:
    try:
        rows = iter(grid)
        header = next(rows, None) or []
        positions, ignored = {}, []
        for index, text in enumerate(header):
            if not text:
                continue
            column = HEADERS.get(_key(text))
            if column is None or column.field in positions:
                ignored.append(text)
            else:
                positions[column.field] = index
        if "name" not in positions or "office" not in positions:
            raise _refuse(
                _(
                    "Row 1 must hold the column headers, at least “Nama” and “Instansi”. "
                    "Download the template and copy your list into it."
                ),
                "no_header",
            )
        result = []
        for number, values in enumerate(rows, start=2):
            cells = {
                name: values[index].strip()
                for name, index in positions.items()
                if index < len(values) and values[index].strip()
            }
            if not cells:
                continue
            result.append(TableRow(number=number, cells=cells))
            if len(result) > MAX_ROWS:
                raise _refuse(
                    _("The file has more than %(limit)s rows. Split it into several files."),
                    "too_many_rows",
                    limit=MAX_ROWS,
                )
    except ValidationError:
        raise
    except Exception:
        raise _unreadable() from None
    if not result:
        raise _refuse(_("The file has no participants: fill in at least one row."), "no_rows")
    return Table(rows=result, ignored_headers=ignored)


# ---- Checking the rows ----


class ImportRowForm(forms.Form):
    """One row's values, as text, with the same limits as the participant form."""

    name = forms.CharField(max_length=150)
    position = forms.CharField(max_length=150, required=False)
    office = forms.CharField(max_length=200)
    region = forms.CharField(max_length=100, required=False)
    phone = forms.CharField(max_length=20, required=False, validators=[phone_validator])
    email = forms.EmailField(required=False)
    desk = forms.CharField(max_length=120, required=False)
    mode = forms.CharField(max_length=30, required=False)

    def __init__(self, *args, lookups, **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not person_key(name):
            raise ValidationError(_("Enter the participant's name."), code="no_name")
        return name

    def clean_region(self):
        text = self.cleaned_data["region"]
        if not text:
            return None
        region = self.lookups.regions.get(_key(text))
        if region is None:
            raise ValidationError(
                _("Unknown regency or city “%(value)s”."), code="region", params={"value": text}
            )
        return region

    def clean_desk(self):
        text = self.cleaned_data["desk"]
        if not text or _key(text) in {"pleno", "plenary", "semua"}:
            return None
        desk = self.lookups.desks.get(_key(text))
        if desk is None:
            raise ValidationError(
                _("This meeting has no desk “%(value)s”."), code="desk", params={"value": text}
            )
        return desk

    def clean_mode(self):
        text = self.cleaned_data["mode"]
        if not text:
            return AttendanceMode.IN_PERSON
        mode = MODES.get(_key(text))
        if mode is None:
            raise ValidationError(
                _("Attendance must be “luring” or “daring”, not “%(value)s”."),
                code="mode",
                params={"value": text},
            )
        return mode


MODES = {
    **{
        _key(word): AttendanceMode.IN_PERSON
        for word in ("luring", "offline", "in person", "tatap muka", "hadir langsung", "l")
    },
    **{_key(word): AttendanceMode.ONLINE for word in ("daring", "online", "zoom", "virtual", "d")},
}


@dataclass
class Lookups:
    regions: dict
    desks: dict
    existing: set  # (name key, office key) already on the meeting's list


def lookups_for(meeting) -> Lookups:
    regions = {}
    for region in Region.objects.all():
        short = re.sub(r"^(kabupaten|kota|provinsi)\s+", "", region.name, flags=re.IGNORECASE)
        for text in (region.name, region.kemendagri_code, region.slug, region.bps_code, short):
            regions.setdefault(_key(text), region)
    desks = {}
    for desk in Desk.objects.filter(meeting=meeting).select_related("field"):
        for text in (desk.field.name, desk.field.code, desk.field.slug):
            desks.setdefault(_key(text), desk)
    existing = set(
        Participant.objects.filter(meeting=meeting).values_list("name_key", "office_key")
    )
    return Lookups(regions=regions, desks=desks, existing=existing)


@dataclass
class RowResult:
    number: int
    cells: dict
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (column header or "", message)

    @property
    def is_valid(self):
        return not self.errors


HEADER_OF = {column.field: column.header for column in COLUMNS}


def check_rows(table: Table, meeting) -> list[RowResult]:
    """Every row through ImportRowForm, then duplicates within the file and with the list."""
    lookups = lookups_for(meeting)
    seen = {}
    results = []
    for row in table.rows:
        form = ImportRowForm(
            {name: row.cells.get(name, "") for name in ImportRowForm.base_fields},
            lookups=lookups,
        )
        result = RowResult(number=row.number, cells=row.cells)
        if form.is_valid():
            result.values = dict(form.cleaned_data)
            key = (person_key(result.values["name"]), person_key(result.values["office"])[:200])
            if key in lookups.existing:
                result.errors.append(("", str(_("This person is already on the attendance list."))))
            elif key in seen:
                result.errors.append(
                    ("", str(_("Same person as row %(row)s.") % {"row": seen[key]}))
                )
            else:
                seen[key] = row.number
        else:
            for name, messages in form.errors.items():
                for message in messages:
                    result.errors.append((HEADER_OF.get(name, ""), message))
        results.append(result)
    return results


# ---- Between preview and confirmation (kept in the session) ----


def to_session(results: list[RowResult]) -> list[dict]:
    rows = []
    for result in results:
        values = dict(result.values)
        values["region"] = values["region"].pk if values["region"] else None
        values["desk"] = values["desk"].pk if values["desk"] else None
        rows.append(values)
    return rows


def from_session(rows: list[dict], meeting) -> list[dict]:
    """The participant values again; KeyError if a desk or region has gone meanwhile."""
    regions = {r.pk: r for r in Region.objects.all()}
    desks = {d.pk: d for d in Desk.objects.filter(meeting=meeting)}
    values = []
    for row in rows:
        row = dict(row)
        row["region"] = regions[row["region"]] if row["region"] else None
        row["desk"] = desks[row["desk"]] if row["desk"] else None
        values.append(row)
    return values


# ---- Template ----


def build_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Daftar Hadir"
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        dimension = sheet.column_dimensions[cell.column_letter]
        dimension.width = 28
        # Text format keeps a phone number's leading 0 and "+62".
        dimension.number_format = "@"
    example = workbook.create_sheet("Contoh")
    for index, column in enumerate(COLUMNS, start=1):
        example.cell(row=1, column=index, value=column.header).font = Font(bold=True)
        cell = example.cell(row=2, column=index, value=column.example)
        cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
