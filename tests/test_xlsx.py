"""The shared XLSX module: hostile uploads are refused before openpyxl parses
them, and text written to a workbook comes back as the same words, never a formula."""

import io
import struct
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from issues.submission import spreadsheet
from meetings.attendance import importing as attendance_import
from rakortek.core import xlsx

FORMULAS = [
    '=HYPERLINK("http://evil.example/","Klik")',
    "+62 812 3456 7890",
    "-2+3",
    "@SUM(A1:A2)",
    "=cmd|' /C calc'!A0",
]


def workbook_of(rows, *, title=None):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    for row_number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            xlsx.text_cell(sheet.cell(row=row_number, column=column), value)
    return xlsx.workbook_bytes(workbook)


def rezip(data, entries):
    """The same workbook with `entries` ({name: content}) replaced or added, compressed as
    Excel does."""
    source = zipfile.ZipFile(io.BytesIO(data))
    contents = {entry.filename: source.read(entry) for entry in source.infolist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in {**contents, **entries}.items():
            target.writestr(name, content)
    return out.getvalue()


def flag_encrypted(data, name):
    """`data` with the central directory saying entry `name` is encrypted (zipfile cannot
    write such an entry itself)."""
    data = bytearray(data)
    position = data.find(b"PK\x01\x02")
    while position != -1:
        (name_length,) = struct.unpack_from("<H", data, position + 28)
        if data[position + 46 : position + 46 + name_length] == name.encode():
            data[position + 8] |= 0x1
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(data)


def refusal_code(data, name="upload.xlsx"):
    with pytest.raises(ValidationError) as info:
        with xlsx.read_sheet(data, name, max_columns=10) as rows:
            list(rows)
    return info.value.code


def read(data, **kwargs):
    """The rows, without the empty cells read_only mode pads them with."""
    with xlsx.read_sheet(data, "upload.xlsx", max_columns=10, **kwargs) as rows:
        result = []
        for row in rows:
            while row and not row[-1]:
                row.pop()
            result.append(row)
        return result


@pytest.fixture
def plain():
    return workbook_of([["Nama", "Instansi"], ["Budi", "DPUPR"]])


# --- Files that are refused ----------------------------------------------------------


def test_a_plain_workbook_is_read_as_text(plain):
    assert read(plain) == [["Nama", "Instansi"], ["Budi", "DPUPR"]]


def test_an_xlsm_file_name_is_refused_as_macros(plain):
    assert refusal_code(plain, "daftar.XLSM") == "macros"
    assert refusal_code(plain, "daftar.xlsb") == "macros"


def test_a_workbook_holding_a_vba_project_is_refused_as_macros(plain):
    hostile = rezip(plain, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Sub AutoOpen()"})
    assert refusal_code(hostile) == "macros"


def test_a_macro_enabled_content_type_is_refused_as_macros(plain):
    types = zipfile.ZipFile(io.BytesIO(plain)).read("[Content_Types].xml")
    types = types.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    assert b"macroEnabled" in types
    assert refusal_code(rezip(plain, {"[Content_Types].xml": types})) == "macros"


def test_an_old_xls_or_encrypted_workbook_is_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000
    assert refusal_code(ole, "lama.xls") == "old_or_encrypted"


def test_a_zip_bomb_is_refused_by_its_stated_size_before_it_is_inflated(plain):
    bomb = rezip(plain, {"xl/worksheets/sheet1.xml": b" " * (60 * 1024 * 1024)})
    assert len(bomb) < xlsx.MAX_UPLOAD_SIZE
    assert refusal_code(bomb) == "too_big"


def test_a_heavily_compressed_entry_is_refused_even_below_the_total_limit(plain):
    # 5 MB of one byte compresses about a thousandfold: far beyond any real sheet.
    dense = rezip(plain, {"xl/media/padding.xml": b"a" * (5 * 1024 * 1024)})
    assert refusal_code(dense) == "too_big"


def test_a_workbook_of_too_many_entries_is_refused(plain):
    many = rezip(plain, {f"xl/media/image{n}.png": b"x" for n in range(xlsx.MAX_ENTRIES)})
    assert refusal_code(many) == "too_big"
    # A caller may be stricter.
    fewer = rezip(plain, {f"xl/media/image{n}.png": b"x" for n in range(20)})
    with pytest.raises(ValidationError) as info:
        xlsx.check_container(fewer, max_entries=10)
    assert info.value.code == "too_big"


@pytest.mark.parametrize("entry", ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"])
def test_an_xml_entity_declaration_is_refused(plain, entry):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
        b"<si><t>&lol2;</t></si></sst>"
    )
    assert refusal_code(rezip(plain, {entry: laughs})) == "not_xlsx"


def test_a_lowercase_entity_without_doctype_is_refused(plain):
    external = b'<?xml version="1.0"?><!entity x SYSTEM "file:///etc/passwd"><sst/>'
    assert refusal_code(rezip(plain, {"xl/sharedStrings.xml": external})) == "not_xlsx"


def test_an_encrypted_zip_entry_is_refused(plain):
    hostile = flag_encrypted(plain, "xl/worksheets/sheet1.xml")
    assert zipfile.ZipFile(io.BytesIO(hostile)).getinfo("xl/worksheets/sheet1.xml").flag_bits & 1
    assert refusal_code(hostile) == "not_xlsx"


@pytest.mark.parametrize(
    "data",
    [
        b"Nama;Instansi\nBudi;DPUPR\n",
        b"PK\x03\x04 not really a zip",
    ],
    ids=["text", "broken zip"],
)
def test_what_is_not_a_workbook_is_refused(data):
    assert refusal_code(data) == "not_xlsx"


def test_a_zip_without_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert refusal_code(out.getvalue()) == "not_xlsx"


def test_a_workbook_openpyxl_cannot_parse_is_refused(plain):
    broken = rezip(plain, {"xl/workbook.xml": b"<workbook><sheets><sheet"})
    assert refusal_code(broken) == "not_xlsx"


def test_empty_and_oversized_files_are_refused_with_the_limit_in_megabytes():
    assert refusal_code(b"") == "empty"
    with pytest.raises(ValidationError) as info:
        xlsx.check_size(b"PK\x03\x04" + b"\x00" * xlsx.MAX_UPLOAD_SIZE)
    assert info.value.code == "too_large"
    assert info.value.params == {"limit": 2}


def test_an_error_inside_the_block_means_a_malformed_workbook(plain):
    with pytest.raises(ValidationError) as info:
        with xlsx.read_sheet(plain, max_columns=5) as rows:
            next(rows)[99]  # IndexError, as from a sheet shorter than expected
    assert info.value.code == "not_xlsx"


def test_a_validation_error_inside_the_block_passes_through(plain):
    with pytest.raises(ValidationError) as info:
        with xlsx.read_sheet(plain, max_columns=5):
            raise xlsx.refusal("No rows", "no_rows")
    assert info.value.code == "no_rows"


# --- Each caller keeps its own wording --------------------------------------------------


def test_the_issue_import_reports_the_shared_codes(plain):
    hostile = rezip(plain, {"xl/vbaProject.bin": b"macro"})
    with pytest.raises(spreadsheet.ValidationError) as info:
        spreadsheet.read_rows(hostile, "isu.xlsx")
    assert info.value.code == "macros"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"PK\x03\x04 anything", "daftar.xlsm", "not_plain_xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "daftar.xls", "not_plain_xlsx"),
        (b"PK\x03\x04 broken", "daftar.xlsx", "unreadable"),
    ],
    ids=["xlsm", "old xls", "broken zip"],
)
def test_the_attendance_import_keeps_its_own_messages(data, name, code):
    with pytest.raises(ValidationError) as info:
        attendance_import.read_table(data, name)
    assert info.value.code == code


def test_the_attendance_import_refuses_a_vba_project_as_not_plain(plain):
    hostile = rezip(plain, {"xl/vbaProject.bin": b"macro"})
    with pytest.raises(ValidationError) as info:
        attendance_import.read_table(hostile, "daftar.xlsx")
    assert info.value.code == "not_plain_xlsx"


# --- Reading cells -------------------------------------------------------------------------


def test_the_named_sheet_is_read_when_present_and_the_first_otherwise():
    workbook = Workbook()
    workbook.active.append(["first"])
    workbook.create_sheet("Isu Strategis").append(["named"])
    data = xlsx.workbook_bytes(workbook)
    assert read(data, sheet="Isu Strategis") == [["named"]]
    assert read(data, sheet="Tidak Ada") == [["first"]]
    assert read(data) == [["first"]]


def test_columns_beyond_the_limit_are_not_read():
    data = workbook_of([[f"c{n}" for n in range(20)]])
    with xlsx.read_sheet(data, max_columns=3) as rows:
        assert list(rows) == [["c0", "c1", "c2"]]


def test_a_stored_formula_is_read_as_its_text_and_never_evaluated():
    workbook = Workbook()
    workbook.active["A1"] = "=1+1"  # a real formula, as a spreadsheet program would store it
    workbook.active["B1"] = 5
    data = xlsx.workbook_bytes(workbook)
    assert load_workbook(io.BytesIO(data))["Sheet"]["A1"].data_type == "f"
    assert read(data) == [["=1+1", "5"]]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "Ya"),
        (False, "Tidak"),
        (12_500_000_000, "12500000000"),
        # Numbers with a decimal comma, as typed in the Indonesian form: 1.125 is 1,125.
        (3.5, "3,5"),
        (1.125, "1,125"),
        (1250000.0, "1250000"),
        (0.00001, "0,00001"),
        (-2.1291, "-2,1291"),
        (Decimal("1.50"), "1,5"),
        (datetime(2022, 7, 25, 8, 30), "2022-07-25 08:30"),  # noqa: DTZ001 (openpyxl: naive)
        (date(2022, 7, 25), "2022-07-25"),
        ("  Jalan rusak \r\n berat ", "Jalan rusak \n berat"),
        ("=1+1", "=1+1"),
    ],
)
def test_cell_values_become_the_text_a_person_would_type(value, text):
    assert xlsx.cell_text(value) == text


# --- Writing text --------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_round_trips_as_text(text):
    data = workbook_of([[text]])
    cell = load_workbook(io.BytesIO(data))["Sheet"]["A1"]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix
    # The raw sheet holds no <f> element: nothing a spreadsheet program would evaluate.
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    assert read(data) == [[text]]


def test_ordinary_text_gets_no_quote_prefix():
    data = workbook_of([["Jalan Sungailiat", ""]])
    sheet = load_workbook(io.BytesIO(data))["Sheet"]
    assert sheet["A1"].value == "Jalan Sungailiat"
    assert not sheet["A1"].quotePrefix


def test_control_characters_are_left_out_and_the_rest_kept():
    text = "Jalan\x00 rusak\x07\x1b berat\tkm 12\nSungailiat\x0b"
    # openpyxl itself refuses these characters: without the cleaning nothing could be saved.
    with pytest.raises(IllegalCharacterError):
        Workbook().active["A1"] = text
    data = workbook_of([[text]])
    cell = load_workbook(io.BytesIO(data))["Sheet"]["A1"]
    assert cell.value == "Jalan rusak berat\tkm 12\nSungailiat"


def test_none_and_numbers_are_written_as_text():
    data = workbook_of([[None, 42, Decimal("3.50")]])
    sheet = load_workbook(io.BytesIO(data))["Sheet"]
    assert [sheet["A1"].value, sheet["B1"].value, sheet["C1"].value] == [None, "42", "3.50"]
    assert sheet["B1"].data_type == "s"


def test_looks_like_workbook_tells_a_workbook_from_a_csv(plain):
    assert xlsx.looks_like_workbook(plain)
    assert xlsx.looks_like_workbook(b"Nama,Instansi\n", "daftar.xlsm")
    assert xlsx.looks_like_workbook(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "daftar.xls")
    assert not xlsx.looks_like_workbook(b"Nama,Instansi\n", "daftar.csv")


def test_filled_rows_keep_their_sheet_numbers_and_skip_empty_rows():
    rows = [["Budi", "", "x"], ["", "", ""], ["", "", "only unknown"], ["Ani", "Dinas"]]
    positions = {"name": 0, "office": 1}
    too_many = "More than %(limit)s rows"
    assert xlsx.filled_rows(rows, positions, limit=5, too_many=too_many) == [
        (2, {"name": "Budi"}),
        (5, {"name": "Ani", "office": "Dinas"}),
    ]


def test_filled_rows_stop_at_the_first_row_over_the_limit():
    def endless():
        number = 0
        while True:
            number += 1
            yield [f"Peserta {number}"]

    too_many = "More than %(limit)s rows"
    exactly = [[f"Peserta {n}"] for n in range(3)]
    assert len(xlsx.filled_rows(exactly, {"name": 0}, limit=3, too_many=too_many)) == 3
    with pytest.raises(ValidationError) as info:
        xlsx.filled_rows(endless(), {"name": 0}, limit=3, too_many=too_many)
    assert info.value.code == "too_many_rows"
    assert info.value.messages == ["More than 3 rows"]
