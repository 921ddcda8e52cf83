"""The XLSX template for issues, and reading a filled one back safely.

The column headers are fixed Indonesian text whatever the interface language:
they are the file format, the key a returned file is read by. The instructions
sheet follows the interface language.

A returned file is distrusted before openpyxl sees it (rakortek.core.xlsx checks
the zip, refuses macros and XML entities, and reads cells as stored, so a
formula is just text). Which values are valid is not decided here: every row
goes through `IssueForm`, the same form as the web page.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError as ValidationError  # re-exported for callers
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from issues.figures import volume_text
from meetings import areas
from rakortek.core import xlsx
from rakortek.core.formatting import angka, rupiah

# XLSX_CONTENT_TYPE and cell_text are re-exported: the import view and tests read them from here.
from rakortek.core.xlsx import HEADER_FILL, HEADER_FONT, MAX_UPLOAD_SIZE, WRAP, refusal, text_cell
from rakortek.core.xlsx import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from rakortek.core.xlsx import cell_text as cell_text

MAX_ROWS = 300
MAX_COLUMNS = 60

DATA_SHEET = "Isu Strategis"
HELP_SHEET = "Petunjuk"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    example: str
    width: int = 24


# One column per field of IssueForm, in the form's order. Changing a header
# breaks files already handed out, so add new headers rather than rename.
COLUMNS = [
    Column("desk", "Bidang", "Bina Marga", 20),
    Column("title", "Judul Isu", "Kerusakan Jalan Provinsi Ruas Sungailiat - Pangkalpinang", 40),
    Column("proposing_office", "Instansi Pengusul", "DPUPR", 28),
    Column(
        "problem",
        "Permasalahan",
        "Jalan berlubang sepanjang 3,5 km, rawan kecelakaan dan menghambat distribusi hasil bumi.",
        48,
    ),
    Column("current_condition", "Kondisi Saat Ini", "Rusak berat pada km 12 s.d. km 15,5.", 40),
    Column("proposed_handling", "Usulan Penanganan", "Rekonstruksi perkerasan jalan 3,5 km.", 40),
    Column(
        "support_requested",
        "Dukungan yang Diharapkan dari Provinsi",
        "Alokasi APBD Provinsi Tahun Anggaran 2023.",
        40,
    ),
    Column("district", "Kecamatan", "Merawang", 18),
    Column("village", "Desa/Kelurahan", "Jurung", 18),
    Column("place", "Lokasi/Ruas Jalan", "Ruas Jalan Sungailiat - Pangkalpinang km 12", 32),
    Column("latitude", "Lintang", "-2,0512", 12),
    Column("longitude", "Bujur", "106,0931", 12),
    Column("volume", "Volume", "3,5", 10),
    Column("unit", "Satuan", "km", 10),
    Column("estimated_cost", "Perkiraan Biaya (Rp)", "Rp12.500.000.000", 20),
    Column("funding_source", "Sumber Dana", "APBD Provinsi", 22),
    Column("authority", "Kewenangan", "", 20),
    Column("land_readiness", "Kesiapan Lahan", "", 16),
    Column("ded_readiness", "Kesiapan DED", "", 16),
    Column("environmental_readiness", "Dokumen Lingkungan", "", 18),
    Column(
        "plan_link", "Keterkaitan RPJMD/RKPD", "RPJMD 2017-2022 Misi 3: konektivitas wilayah", 32
    ),
]
COLUMNS_BY_FIELD = {column.field: column for column in COLUMNS}


def _key(text):
    """How headers and choice labels are compared: case, spacing, accents and '*' ignored."""
    text = unicodedata.normalize("NFKC", str(text)).replace("*", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


HEADER_KEYS = {_key(column.header): column for column in COLUMNS}


# --- Choices --------------------------------------------------------------


@dataclass
class Choices:
    """The allowed values of the choice columns for one meeting, read off the form.

    `labels` are what the template offers in its drop-downs; `lookup` also
    understands the stored value and every interface language's label.
    """

    labels: dict = field(default_factory=dict)  # field -> [label, ...]
    lookup: dict = field(default_factory=dict)  # field -> {key(label or value): form value}
    defaults: dict = field(default_factory=dict)  # field -> value used for an empty cell


def choices_for(form):
    """The choice columns of an unbound IssueForm (built for one meeting)."""
    result = Choices()
    for column in COLUMNS:
        form_field = form.fields.get(column.field)
        if form_field is None:
            continue
        if isinstance(form_field, forms.ModelChoiceField):
            labels, lookup = [], {}
            for obj in form_field.queryset:
                label = form_field.label_from_instance(obj)
                labels.append(str(label))
                value = str(obj.pk)
                lookup[_key(label)] = value
                for alias in (getattr(obj, "field", None),):
                    if alias is not None:
                        lookup.setdefault(_key(alias.code), value)
                        lookup.setdefault(_key(alias.slug), value)
            result.labels[column.field] = labels
            result.lookup[column.field] = lookup
        elif isinstance(form_field, forms.ChoiceField):
            pairs = [(value, label) for value, label in form_field.choices if value != ""]
            result.labels[column.field] = [str(label) for _value, label in pairs]
            lookup = {}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    for value, label in pairs:
                        lookup.setdefault(_key(label), value)
            for value, _label in pairs:
                lookup.setdefault(_key(value), value)
            result.lookup[column.field] = lookup
            initial = form.initial.get(column.field, form_field.initial)
            if initial not in (None, ""):
                result.defaults[column.field] = str(initial)
    return result


# --- Template ---------------------------------------------------------------


REQUIRED_FILL = PatternFill("solid", fgColor="C00000")


def build_template(*, meeting, form, region=None):
    """The XLSX template for `meeting`, with drop-downs read off `form` (an unbound IssueForm)."""
    choices = choices_for(form)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    help_sheet = workbook.create_sheet(HELP_SHEET)
    workbook.properties.title = gettext("Strategic issues: %(meeting)s") % {
        "meeting": meeting.title
    }
    workbook.properties.creator = "Rakortek"

    for index, column in enumerate(COLUMNS, start=1):
        form_field = form.fields[column.field]
        header = column.header + (" *" if form_field.required else "")
        cell = text_cell(sheet.cell(row=1, column=index), header)
        cell.font = HEADER_FONT
        cell.fill = REQUIRED_FILL if form_field.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "B2"

    last_row = MAX_ROWS + 1
    # Text columns are formatted as text so that Excel keeps "0,5" or "001" as typed.
    for index, column in enumerate(COLUMNS, start=1):
        if column.field not in choices.labels:
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"

    _write_help(help_sheet, meeting=meeting, form=form, choices=choices, region=region)
    _add_dropdowns(sheet, choices, last_row)

    return xlsx.workbook_bytes(workbook)


# Where the lists of allowed values start on the help sheet.
LIST_FIRST_COLUMN = 8


def _list_columns(choices):
    """(column index on the help sheet, field) for every choice column."""
    fields = [column.field for column in COLUMNS if column.field in choices.labels]
    return [(LIST_FIRST_COLUMN + offset, name) for offset, name in enumerate(fields)]


def meeting_examples(meeting) -> dict[str, str]:
    """Examples that name a year follow the meeting: its proposals are for the next
    budget year (tahun anggaran), planned in that year's RKPD."""
    budget_year = meeting.year + 1
    examples = {
        "support_requested": f"Alokasi APBD Provinsi Tahun Anggaran {budget_year}.",
        "plan_link": f"RKPD Provinsi Tahun {budget_year}: konektivitas wilayah",
    }
    # The office of a regency of the configured province (reference data).
    regency = areas.example_regency()
    if regency:
        examples["proposing_office"] = f"DPUPR {regency}"
    return examples


def _write_help(sheet, *, meeting, form, choices, region):
    bold = Font(bold=True)
    text_cell(sheet.cell(row=1, column=1), gettext("How to fill in this template")).font = Font(
        bold=True, size=14
    )
    lines = [
        gettext("Meeting: %(meeting)s") % {"meeting": meeting.title},
        gettext("Region: %(region)s") % {"region": region} if region else "",
        gettext(
            "Fill in one issue per row on the sheet “%(sheet)s”, starting from row 2. "
            "Do not change the headers in row 1."
        )
        % {"sheet": DATA_SHEET},
        gettext("Columns marked * (red header) must be filled in."),
        gettext(
            "For the columns with a drop-down list, choose one of the values listed on the right "
            "of this sheet. An empty authority or readiness cell means the first default value "
            "of the web form."
        ),
        gettext("Write numbers as you would in the web form, for example 3,5 or Rp1.250.000."),
        gettext(
            "The region is not a column: issues are always recorded for the region you choose "
            "when uploading (for a delegate, their own region)."
        ),
        gettext(
            "At most %(rows)s issues and %(size)s MB per file. Save as .xlsx (not .xlsm or .xls)."
        )
        % {"rows": MAX_ROWS, "size": MAX_UPLOAD_SIZE // (1024 * 1024)},
        gettext(
            "Nothing is saved until every row is valid; the upload page lists each row's errors."
        ),
    ]
    row = 2
    for line in lines:
        if line:
            text_cell(sheet.cell(row=row, column=1), line)
            row += 1

    row += 1
    headings = [
        gettext("Column"),
        gettext("Form field"),
        gettext("Required"),
        gettext("Explanation"),
        gettext("Example"),
    ]
    for index, heading in enumerate(headings, start=1):
        text_cell(sheet.cell(row=row, column=index), heading).font = bold
    example_desk = (choices.labels.get("desk") or [""])[0]
    dated_examples = meeting_examples(meeting)
    for column in COLUMNS:
        row += 1
        form_field = form.fields[column.field]
        example = dated_examples.get(column.field, column.example)
        if column.field == "desk" and example_desk:
            example = example_desk
        elif column.field in choices.defaults and not example:
            default = choices.defaults[column.field]
            example = str(dict(form_field.choices).get(default, default))
        explanation = str(form_field.help_text or "")
        if column.field in choices.labels:
            explanation = (explanation + " " + gettext("Choose from the list.")).strip()
        values = [
            column.header,
            str(form_field.label),
            gettext("Yes") if form_field.required else gettext("No"),
            explanation,
            example,
        ]
        for index, value in enumerate(values, start=1):
            text_cell(sheet.cell(row=row, column=index), value).alignment = WRAP

    for width, letter in zip((28, 28, 10, 48, 40), "ABCDE", strict=True):
        sheet.column_dimensions[letter].width = width

    for list_column, name in _list_columns(choices):
        letter = get_column_letter(list_column)
        text_cell(sheet.cell(row=1, column=list_column), COLUMNS_BY_FIELD[name].header).font = bold
        for offset, label in enumerate(choices.labels[name], start=2):
            text_cell(sheet.cell(row=offset, column=list_column), label)
        sheet.column_dimensions[letter].width = 26


def _add_dropdowns(sheet, choices, last_row):
    positions = {column.field: index for index, column in enumerate(COLUMNS, start=1)}
    for list_column, name in _list_columns(choices):
        labels = choices.labels[name]
        if not labels:
            continue
        letter = get_column_letter(list_column)
        source = f"{quote_sheetname(HELP_SHEET)}!${letter}$2:${letter}${len(labels) + 1}"
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=gettext("Value not in the list"),
            error=gettext("Choose one of the values on the sheet “%(sheet)s”.")
            % {"sheet": HELP_SHEET},
            promptTitle=COLUMNS_BY_FIELD[name].header,
            prompt=gettext("Choose from the list."),
            showInputMessage=True,
        )
        target = get_column_letter(positions[name])
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)


# --- Reading a filled file --------------------------------------------------


@dataclass
class SheetRow:
    number: int  # the row number as Excel shows it
    cells: dict  # field -> text as typed


@dataclass
class SheetContent:
    rows: list
    ignored_headers: list
    fields: set  # the fields that have a column in the file


def read_rows(data, name=""):
    """The non-empty rows of the first sheet of a checked XLSX, as text per field.

    Raises ValidationError for a file that cannot be used at all (wrong type,
    macros, no known header, too many rows); per-row problems are left to the form.
    """
    with xlsx.read_sheet(data, name, max_columns=MAX_COLUMNS, sheet=DATA_SHEET) as rows:
        header = next(rows, None) or ()
        positions, ignored, duplicates = {}, [], []
        for index, text in enumerate(header):
            if not text:
                continue
            column = HEADER_KEYS.get(_key(text))
            if column is None:
                ignored.append(text)
            elif column.field in positions:
                duplicates.append(column.header)
            else:
                positions[column.field] = index
        if not positions:
            raise refusal(
                _(
                    "Row 1 does not hold the template's column headers. "
                    "Download the template and copy your data into it."
                ),
                "no_header",
            )
        if duplicates:
            raise refusal(
                _("These columns appear more than once: %(columns)s."),
                "duplicate_columns",
                columns=", ".join(duplicates),
            )
        too_many = _("The file has more than %(limit)s issues. Split it into several files.")
        filled = xlsx.filled_rows(rows, positions, limit=MAX_ROWS, too_many=too_many)
        result = [SheetRow(number=number, cells=cells) for number, cells in filled]
    if not result:
        raise refusal(_("The file has no issues: fill in at least one row."), "no_rows")
    return SheetContent(rows=result, ignored_headers=ignored, fields=set(positions))


def form_data(row, choices):
    """The POST-like data for IssueForm from one sheet row.

    A choice cell may hold the label shown in the drop-down (in any interface
    language) or the stored value; anything else is passed on unchanged so
    that the form reports it. Empty choice cells take the form's default.
    """
    data = {}
    for column in COLUMNS:
        text = row.cells.get(column.field, "")
        if column.field in choices.lookup:
            if text:
                text = choices.lookup[column.field].get(_key(text), text)
            else:
                text = choices.defaults.get(column.field, "")
        data[column.field] = text
    return data


# What is usual for a regency's proposal; outside it the preview asks the staffer to
# look again (a typed "1.125" meant as 1,125 km becomes a road of 1.125 km).
MIN_USUAL_COST = Decimal(1_000_000)
MAX_USUAL_COST = Decimal(1_000_000_000_000)
MAX_USUAL_LENGTH_KM = Decimal(200)
MAX_USUAL_LENGTH_M = Decimal(200_000)
MAX_USUAL_COUNT = Decimal(100_000)


def unusual_values(cleaned) -> list[tuple[str, str]]:
    """(field, message) for the values of a checked row that are possible but unusual."""
    found = []
    cost = cleaned.get("estimated_cost")
    if cost is not None and cost < MIN_USUAL_COST:
        found.append(
            (
                "estimated_cost",
                gettext("Under Rp1 juta: was the cost meant in juta or miliar (M)?"),
            )
        )
    elif cost is not None and cost > MAX_USUAL_COST:
        found.append(("estimated_cost", gettext("Over Rp1 triliun: is that right?")))
    volume, unit = cleaned.get("volume"), _key(cleaned.get("unit") or "")
    if volume is not None:
        if unit in ("km", "kilometer") and volume > MAX_USUAL_LENGTH_KM:
            found.append(
                ("volume", gettext("Over 200 km: was a decimal comma meant (1,125 not 1.125)?"))
            )
        elif unit in ("m", "meter", "m'") and volume > MAX_USUAL_LENGTH_M:
            found.append(("volume", gettext("Over 200 km in metres: is that right?")))
        elif volume > MAX_USUAL_COUNT:
            found.append(("volume", gettext("An unusually large volume: is that right?")))
    return found


def understood_text(form, name) -> str:
    """What the app understood a column as, written the Indonesian way ("" if invalid)."""
    cleaned = getattr(form, "cleaned_data", {})
    if name in form.errors or name not in cleaned:
        return ""
    value = cleaned[name]
    if value is None or value == "":
        return ""
    if name == "desk":
        return value.field.name
    if name == "estimated_cost":
        return rupiah(value)
    if name == "volume":
        return volume_text(value, "")
    if name in ("latitude", "longitude"):
        return angka(value, 6).rstrip("0").rstrip(",")
    form_field = form.fields[name]
    if isinstance(form_field, forms.ChoiceField) and not isinstance(
        form_field, forms.ModelChoiceField
    ):
        return str(dict(form_field.choices).get(value, value))
    return str(value)


def missing_columns(form, choices, present):
    """Headers of required columns the file lacks entirely (an empty default does not count)."""
    return [
        column.header
        for column in COLUMNS
        if form.fields[column.field].required
        and column.field not in present
        and column.field not in choices.defaults
    ]
