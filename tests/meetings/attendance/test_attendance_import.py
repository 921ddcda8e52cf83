"""Importing a participant list: checked row by row, nothing saved until every row is valid."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from meetings import services
from meetings.attendance import importing as attendance_import
from meetings.models import Participant
from tests.factories import ParticipantFactory, region

pytestmark = pytest.mark.django_db

HEADER = ["Nama", "Jabatan", "Instansi", "Kabupaten/Kota", "No. HP", "Desk", "Kehadiran"]
GOOD_ROWS = [
    [
        "Budi Santoso, S.T.",
        "Kepala Seksi Jalan",
        "DPUPR Kabupaten Bangka",
        "Kabupaten Bangka",
        "081234567890",
        "Bina Marga",
        "luring",
    ],
    [
        "Maya Sari, S.T.",
        "Perencana Ahli Muda",
        "DPUPRPKP Kota Pangkalpinang",
        "Pangkalpinang",
        "+62 812 1111 2222",
        "",
        "daring",
    ],
    ["Teguh Prasetyo", "Analis Kebijakan", "Biro Pemerintahan", "", "", "", ""],
]


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, header=HEADER, delimiter=",", encoding="utf-8"):
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, meeting, data, name="peserta.xlsx"):
    return client.post(
        reverse("meetings:attendance_import", args=[meeting.slug]),
        {"file": SimpleUploadedFile(name, data)},
    )


def confirm(client, meeting, response):
    token = response.context["confirm"]["token"].value()
    return client.post(
        reverse("meetings:attendance_import_confirm", args=[meeting.slug]), {"token": token}
    )


# ---- Whole flow ----


def test_an_xlsx_list_is_previewed_then_imported(
    as_secretariat, secretariat, meeting, desk_bina_marga
):
    response = upload(as_secretariat, meeting, xlsx(GOOD_ROWS))
    assert response.status_code == 200
    assert all(row.is_valid for row in response.context["results"])
    assert not Participant.objects.exists()  # nothing before the confirmation

    done = confirm(as_secretariat, meeting, response)
    assert done.status_code == 302
    people = {p.name: p for p in Participant.objects.filter(meeting=meeting)}
    assert set(people) == {row[0] for row in GOOD_ROWS}
    budi = people["Budi Santoso, S.T."]
    assert (budi.desk, budi.region, budi.mode, budi.phone) == (
        desk_bina_marga,
        region("bangka"),
        "luring",
        "081234567890",
    )
    assert people["Maya Sari, S.T."].region == region("pangkalpinang")
    assert people["Maya Sari, S.T."].mode == "daring"
    assert people["Teguh Prasetyo"].region is None
    assert people["Teguh Prasetyo"].desk is None
    assert all(p.created_by == secretariat and not p.is_checked_in for p in people.values())


def test_a_semicolon_csv_from_indonesian_excel_is_read(as_secretariat, meeting, desk_bina_marga):
    data = csv_bytes(GOOD_ROWS, delimiter=";", encoding="cp1252")
    response = upload(as_secretariat, meeting, data, name="peserta.csv")
    assert response.status_code == 200
    assert [r.values["name"] for r in response.context["results"]] == [r[0] for r in GOOD_ROWS]


def test_a_utf8_csv_with_bom_and_accents_is_read(as_secretariat, meeting, desk_bina_marga):
    rows = [["Dr. Ir. Sámsul Ma’arif", "Kepala Dinas", "Dinas PUPRPRKP", "", "", "", ""]]
    data = b"\xef\xbb\xbf" + csv_bytes(rows)
    response = upload(as_secretariat, meeting, data, name="peserta.csv")
    assert response.context["results"][0].values["name"] == "Dr. Ir. Sámsul Ma’arif"


def test_header_spelling_and_order_do_not_matter(as_secretariat, meeting):
    header = ["INSTANSI", "nama lengkap", "no hp", "Asal Instansi?", "Keterangan"]
    response = upload(
        as_secretariat, meeting, xlsx([["Biro Pemerintahan", "Teguh", "08123456789"]], header)
    )
    assert response.status_code == 200
    result = response.context["results"][0]
    assert (result.values["name"], result.values["office"], result.values["phone"]) == (
        "Teguh",
        "Biro Pemerintahan",
        "08123456789",
    )
    assert "Keterangan" in response.context["ignored_headers"]


def test_formula_cells_are_kept_as_text_and_never_evaluated(as_secretariat, meeting):
    rows = [['=HYPERLINK("http://evil.example","klik")', "@SUM(1,2)", "+Dinas", "", "", "", ""]]
    response = upload(as_secretariat, meeting, xlsx(rows))
    result = response.context["results"][0]
    assert result.values["name"] == '=HYPERLINK("http://evil.example","klik")'
    assert result.values["position"] == "@SUM(1,2)"
    assert result.values["office"] == "+Dinas"
    html = response.content.decode()
    assert '<a href="http://evil.example' not in html


# ---- Per-row errors ----


def test_errors_are_reported_per_row_and_nothing_is_saved(as_secretariat, meeting, desk_bina_marga):
    ParticipantFactory(meeting=meeting, name="Rina Marlina", office="DPUPR Kabupaten Bangka Tengah")
    rows = [
        GOOD_ROWS[0],
        ["", "Staf", "DPUPR Kabupaten Belitung", "", "", "", ""],  # 3: no name
        ["Andi", "Staf", "", "", "", "", ""],  # 4: no office
        ["Fajar", "Staf", "DPUPR Bangka Barat", "Kabupaten Atlantis", "", "", ""],  # 5
        ["Indra", "Staf", "DPUPR Beltim", "", "nomor saya", "", ""],  # 6: phone
        ["Siti", "Staf", "DPUPR Belitung", "", "", "Pariwisata", ""],  # 7: desk
        ["Dewi", "Staf", "DPUPR Belitung", "", "", "", "kadang-kadang"],  # 8: mode
        ["RINA MARLINA", "Staf", "DPUPR Kabupaten Bangka Tengah", "", "", "", ""],  # 9: on list
        ["budi santoso ST", "Staf", "dpupr kabupaten bangka", "", "", "", ""],  # 10: same as 2
    ]
    response = upload(as_secretariat, meeting, xlsx(rows))
    assert response.status_code == 200
    assert response.context["confirm"] is None
    errors = {r.number: r.errors for r in response.context["results"]}
    assert errors[2] == []
    for number, column in [
        (3, "Nama"),
        (4, "Instansi"),
        (5, "Kabupaten/Kota"),
        (6, "No. HP"),
        (7, "Desk"),
        (8, "Kehadiran"),
    ]:
        assert [c for c, _message in errors[number]] == [column], number
    assert len(errors[9]) == 1 and len(errors[10]) == 1
    assert response.context["error_count"] == 8
    assert Participant.objects.filter(meeting=meeting).count() == 1
    assert "participant_import" not in as_secretariat.session


def test_a_desk_of_another_meeting_is_an_error(as_secretariat, meeting):
    rows = [["Budi", "Staf", "DPUPR Bangka", "", "", "Bina Marga", ""]]  # the meeting has no desks
    response = upload(as_secretariat, meeting, xlsx(rows))
    assert [c for c, _m in response.context["results"][0].errors] == ["Desk"]


# ---- Files that cannot be used ----


def _zip(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


BAD_FILES = {
    "empty": (b"", "a.csv"),
    "binary": (b"\x00\x01\x02garbage" * 50, "a.csv"),
    "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a.xls"),
    "xlsm": (b"PK\x03\x04whatever", "a.xlsm"),
    "broken zip": (b"PK\x03\x04broken", "a.xlsx"),
    "zip that is not a workbook": (_zip({"hello.txt": "hi"}), "a.xlsx"),
    "entity expansion": (
        _zip(
            {
                "[Content_Types].xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x/>',
                "xl/workbook.xml": "<workbook/>",
            }
        ),
        "a.xlsx",
    ),
    "no header": (csv_bytes([["a", "b"]], header=["Foo", "Bar"]), "a.csv"),
    "only a header": (csv_bytes([]), "a.csv"),
}


@pytest.mark.parametrize(("data", "name"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_unusable_files_get_a_message_on_the_file_field(as_secretariat, meeting, data, name):
    response = upload(as_secretariat, meeting, data, name=name)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_too_many_rows_are_refused(meeting):
    rows = [[f"Peserta {n}", "Staf", "Dinas"] for n in range(attendance_import.MAX_ROWS + 1)]
    with pytest.raises(ValidationError) as caught:
        attendance_import.read_table(csv_bytes(rows, header=HEADER[:3]), "a.csv")
    assert caught.value.code == "too_many_rows"


def test_a_file_over_the_size_limit_is_refused(as_secretariat, meeting, settings):
    data = b"Nama,Instansi\n" + b"x,y\n" * (attendance_import.MAX_UPLOAD_SIZE // 4 + 10)
    response = upload(as_secretariat, meeting, data, name="a.csv")
    assert "file" in response.context["form"].errors


# ---- The confirmation step ----


def test_confirmation_needs_the_token_of_the_preview(as_secretariat, meeting):
    upload(as_secretariat, meeting, xlsx(GOOD_ROWS[2:]))
    response = as_secretariat.post(
        reverse("meetings:attendance_import_confirm", args=[meeting.slug]), {"token": "salah"}
    )
    assert response.status_code == 302
    assert not Participant.objects.exists()


def test_a_preview_cannot_be_confirmed_for_another_meeting(as_secretariat, meeting):
    from tests.factories import MeetingFactory

    other = MeetingFactory()
    preview = upload(as_secretariat, meeting, xlsx(GOOD_ROWS[2:]))
    token = preview.context["confirm"]["token"].value()
    as_secretariat.post(
        reverse("meetings:attendance_import_confirm", args=[other.slug]), {"token": token}
    )
    assert not Participant.objects.exists()


def test_a_preview_is_used_once(as_secretariat, meeting):
    preview = upload(as_secretariat, meeting, xlsx(GOOD_ROWS[2:]))
    confirm(as_secretariat, meeting, preview)
    confirm(as_secretariat, meeting, preview)
    assert Participant.objects.count() == 1


def test_a_person_added_between_preview_and_confirmation_refuses_the_whole_import(
    as_secretariat, meeting
):
    preview = upload(as_secretariat, meeting, xlsx([GOOD_ROWS[1], GOOD_ROWS[2]]))
    ParticipantFactory(meeting=meeting, name="Teguh Prasetyo", office="Biro Pemerintahan")
    response = confirm(as_secretariat, meeting, preview)
    assert response.status_code == 302
    assert list(Participant.objects.values_list("name", flat=True)) == ["Teguh Prasetyo"]


def test_the_import_service_adds_all_or_nothing(meeting):
    rows = [
        {"name": "Andi", "office": "Dinas A"},
        {"name": "ANDI", "office": "dinas a"},
    ]
    with pytest.raises(services.DuplicateParticipant):
        services.participants_import(meeting=meeting, rows=rows)
    assert not Participant.objects.exists()


def test_the_template_has_the_headers_the_reader_expects(as_secretariat, meeting):
    response = as_secretariat.get(
        reverse("meetings:attendance_import_template", args=[meeting.slug])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    header = [cell.value for cell in workbook.worksheets[0][1]]
    assert header[:7] == [
        "Nama",
        "Jabatan",
        "Instansi",
        "Kabupaten/Kota",
        "No. HP",
        "Email",
        "Desk",
    ]
    table = attendance_import.read_table(xlsx([["Teguh", "", "Biro"]], header=header), "t.xlsx")
    assert table.rows[0].cells == {"name": "Teguh", "office": "Biro"}
