"""Importing issues from the spreadsheet template: template, checks, preview, import."""

import io
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from issues.models import Issue, IssueEvent
from issues.submission import spreadsheet
from issues.submission.spreadsheet import COLUMNS, DATA_SHEET, HELP_SHEET, XLSX_CONTENT_TYPE
from issues.submission.views_import import SESSION_KEY
from meetings.models import Meeting
from tests.factories import DeskFactory, FieldFactory, MeetingFactory, region
from tests.issues.conftest import close_submission

pytestmark = pytest.mark.django_db

ROW = {
    "Bidang": "Bina Marga",
    "Judul Isu": "Peningkatan Jalan Lingkar Timur Pangkalpinang",
    "Instansi Pengusul": "DPUPRPKP Kota Pangkalpinang",
    "Permasalahan": "Jalan sempit dan rusak, macet pada jam sibuk.",
    "Usulan Penanganan": "Pelebaran dan peningkatan perkerasan jalan.",
    "Dukungan yang Diharapkan dari Provinsi": "Alokasi APBD Provinsi 2023.",
    "Kecamatan": "Gerunggang",
    "Volume": 3.5,
    "Satuan": "km",
    "Perkiraan Biaya (Rp)": 12_500_000_000,
    "Sumber Dana": "APBD Provinsi",
}


@pytest.fixture
def desks(desk_bina_marga, desk_sda):
    return desk_bina_marga, desk_sda


def import_url(meeting, name="import"):
    return reverse(f"issues:{name}", kwargs={"slug": meeting.slug})


def template_bytes(client, meeting):
    response = client.get(import_url(meeting, "import_template"))
    assert response.status_code == 200
    return response.content


def filled(template, rows, extra_headers=()):
    """The downloaded template with `rows` ({header: value}) typed in, as a user would."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[DATA_SHEET]
    positions = {}
    for cell in sheet[1]:
        if cell.value:
            positions[cell.value.replace("*", "").strip()] = cell.column
    for header in extra_headers:
        column = sheet.max_column + 1
        sheet.cell(row=1, column=column, value=header)
        positions[header] = column
    for number, row in enumerate(rows, start=2):
        for header, value in row.items():
            sheet.cell(row=number, column=positions[header], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def post_file(client, meeting, data, name="isu-strategis.xlsx", **extra):
    upload = SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)
    return client.post(import_url(meeting), {"file": upload, **extra})


def confirm(client, meeting, preview, submit=False):
    data = {"token": preview.context["confirm_form"].initial["token"]}
    if submit:
        data["submit"] = "on"
    return client.post(import_url(meeting, "import_confirm"), data)


def rezip(data, *, replace=None, add=None):
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def file_error(response):
    assert response.status_code == 200
    assert SESSION_KEY not in response.wsgi_request.session
    return response.context["form"].errors["file"]


# --- The template ------------------------------------------------------------------


def test_the_template_opens_in_openpyxl_with_the_issue_columns(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    response = as_delegate_pangkalpinang.get(import_url(meeting, "import_template"))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [DATA_SHEET, HELP_SHEET]
    headers = [cell.value for cell in workbook[DATA_SHEET][1]]
    assert [h.replace(" *", "") for h in headers] == [column.header for column in COLUMNS]
    assert "Judul Isu *" in headers
    assert "Desa/Kelurahan" in headers


def test_the_template_lists_the_allowed_values_and_offers_them_as_dropdowns(
    as_delegate_pangkalpinang, desks
):
    meeting = desks[0].meeting
    workbook = load_workbook(io.BytesIO(template_bytes(as_delegate_pangkalpinang, meeting)))
    help_values = {
        str(cell.value) for row in workbook[HELP_SHEET].iter_rows() for cell in row if cell.value
    }
    for allowed in ("Bina Marga", "Sumber Daya Air", "APBD Provinsi", "DAK", "APBN"):
        assert allowed in help_values
    # The example row is explained on the help sheet.
    assert "DPUPR Kabupaten Bangka" in help_values
    validations = workbook[DATA_SHEET].data_validations.dataValidation
    lists = {}
    for validation in validations:
        sheet_name, cells = validation.formula1.replace("'", "").split("!")
        assert sheet_name == HELP_SHEET
        target = str(validation.sqref).split(":")[0].rstrip("0123456789")
        lists[target] = [c.value for (c,) in workbook[sheet_name][cells.replace("$", "")]]
    # Field (A), funding source, authority and the three kinds of readiness.
    assert len(lists) == 6
    assert lists["A"] == ["Bina Marga", "Sumber Daya Air"]
    assert "APBD Provinsi" in lists["P"]


def test_the_template_lists_only_the_fields_of_this_meeting(as_delegate_pangkalpinang, desks):
    other = DeskFactory(meeting=MeetingFactory(), field=FieldFactory(name="Bidang Lain"))
    meeting = desks[0].meeting
    content = template_bytes(as_delegate_pangkalpinang, meeting)
    workbook = load_workbook(io.BytesIO(content))
    help_values = {c.value for row in workbook[HELP_SHEET].iter_rows() for c in row if c.value}
    assert other.field.name not in help_values


def test_text_written_into_the_template_never_becomes_a_formula(as_secretariat, meeting):
    DeskFactory(meeting=meeting, field=FieldFactory(name='=HYPERLINK("http://x.test","klik")'))
    workbook = load_workbook(io.BytesIO(template_bytes(as_secretariat, meeting)))
    cells = [c for row in workbook[HELP_SHEET].iter_rows() for c in row if c.value]
    hostile = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert hostile
    assert all(cell.data_type == "s" for cell in hostile)


def test_template_access(
    client, as_secretariat, as_observer, as_kabid_bina_marga, as_delegate_bangka, meeting
):
    url = import_url(meeting, "import_template")
    assert as_secretariat.get(url).status_code == 200
    assert as_delegate_bangka.get(url).status_code == 200
    assert as_observer.get(url).status_code == 403
    assert as_kabid_bina_marga.get(url).status_code == 403
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_draft_meeting_is_not_found_by_a_delegate(as_delegate_pangkalpinang):
    draft_meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    for name in ("import", "import_template"):
        assert as_delegate_pangkalpinang.get(import_url(draft_meeting, name)).status_code == 404


# --- The import page and its access -------------------------------------------------------


def test_the_import_page_links_the_template_and_shows_the_upload_form(
    as_delegate_pangkalpinang, meeting
):
    response = as_delegate_pangkalpinang.get(import_url(meeting))
    assert response.status_code == 200
    assert import_url(meeting, "import_template") in response.text
    assert 'enctype="multipart/form-data"' in response.text
    assert "region" not in response.context["form"].fields


def test_the_secretariat_chooses_the_region_on_the_import_page(as_secretariat, meeting):
    response = as_secretariat.get(import_url(meeting))
    assert "region" in response.context["form"].fields


def test_import_access(client, as_observer, as_kabid_bina_marga, meeting):
    for name, method in (("import", "get"), ("import", "post"), ("import_confirm", "post")):
        url = import_url(meeting, name)
        assert getattr(as_observer, method)(url).status_code == 403
        assert getattr(as_kabid_bina_marga, method)(url).status_code == 403
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_confirm_only_accepts_post(as_delegate_pangkalpinang, meeting):
    assert as_delegate_pangkalpinang.get(import_url(meeting, "import_confirm")).status_code == 405


# --- Preview and import ----------------------------------------------------------------


def test_a_valid_file_is_previewed_and_nothing_is_saved_yet(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [ROW, {**ROW, "Judul Isu": "Banjir Kolong Kacang Pedang", "Bidang": "Sumber Daya Air"}],
    )
    response = post_file(as_delegate_pangkalpinang, meeting, data)
    assert response.status_code == 200
    assert response.context["valid"] is True
    assert [r.number for r in response.context["results"]] == [2, 3]
    assert "Banjir Kolong Kacang Pedang" in response.text
    assert response.context["confirm_form"] is not None
    assert not Issue.objects.exists()


def test_confirming_creates_every_row_as_a_draft_of_the_delegates_region(
    as_delegate_pangkalpinang, delegate_pangkalpinang, desks
):
    desk_bina_marga, desk_sda = desks
    meeting = desk_bina_marga.meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [ROW, {**ROW, "Judul Isu": "Banjir Kolong Kacang Pedang", "Bidang": "Sumber Daya Air"}],
    )
    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    response = confirm(as_delegate_pangkalpinang, meeting, preview)
    assert response.status_code == 302
    assert response["Location"] == import_url(meeting, "meeting_issues")
    issues = list(Issue.objects.order_by("id"))
    assert [i.title for i in issues] == [ROW["Judul Isu"], "Banjir Kolong Kacang Pedang"]
    assert [i.desk for i in issues] == [desk_bina_marga, desk_sda]
    assert {i.region for i in issues} == {region("pangkalpinang")}
    assert {i.status for i in issues} == {Issue.Status.DRAFT}
    assert {i.entered_by for i in issues} == {delegate_pangkalpinang}
    assert not any(i.is_proxy_entry for i in issues)
    first = issues[0]
    assert first.volume == Decimal("3.50")
    assert first.estimated_cost == Decimal("12500000000")
    assert first.funding_source == Issue.FundingSource.APBD_PROVINCE
    assert first.authority == Issue.Authority.UNCLEAR  # empty cell: the form's default
    assert IssueEvent.objects.filter(kind=IssueEvent.Kind.CREATED).count() == 2
    assert SESSION_KEY not in response.wsgi_request.session


def test_submit_at_once_numbers_and_submits_every_row(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [ROW, {**ROW, "Judul Isu": "Jembatan Rangkui"}],
    )
    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    assert preview.context["may_submit"] is True
    confirm(as_delegate_pangkalpinang, meeting, preview, submit=True)
    issues = Issue.objects.order_by("id")
    assert [i.status for i in issues] == [Issue.Status.SUBMITTED] * 2
    assert [i.number for i in issues] == [1, 2]


def test_the_region_never_comes_from_the_file_or_the_post(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [{**ROW, "Kabupaten/Kota": "Kabupaten Bangka"}],
        extra_headers=["Kabupaten/Kota"],
    )
    preview = post_file(as_delegate_pangkalpinang, meeting, data, region=region("bangka").pk)
    assert preview.context["ignored_headers"] == ["Kabupaten/Kota"]
    assert preview.context["region"] == region("pangkalpinang")
    confirm(as_delegate_pangkalpinang, meeting, preview)
    assert Issue.objects.get().region == region("pangkalpinang")


def test_the_secretariat_imports_for_the_region_it_chooses(as_secretariat, secretariat, desks):
    meeting = desks[0].meeting
    data = filled(template_bytes(as_secretariat, meeting), [ROW])
    preview = post_file(as_secretariat, meeting, data, region=region("bangka").pk)
    confirm(as_secretariat, meeting, preview)
    issue = Issue.objects.get()
    assert issue.region == region("bangka")
    assert issue.is_proxy_entry
    assert issue.entered_by == secretariat


def test_the_secretariat_must_choose_a_region(as_secretariat, desks):
    meeting = desks[0].meeting
    data = filled(template_bytes(as_secretariat, meeting), [ROW])
    response = post_file(as_secretariat, meeting, data)
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert not Issue.objects.exists()


def test_the_secretariat_imports_after_submission_has_closed(as_secretariat, desks):
    meeting = desks[0].meeting
    close_submission(meeting)
    data = filled(template_bytes(as_secretariat, meeting), [ROW])
    preview = post_file(as_secretariat, meeting, data, region=region("bangka").pk)
    confirm(as_secretariat, meeting, preview)
    assert Issue.objects.count() == 1


def test_a_delegate_cannot_import_once_submission_has_closed(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(template_bytes(as_delegate_pangkalpinang, meeting), [ROW])
    close_submission(meeting)
    page = as_delegate_pangkalpinang.get(import_url(meeting))
    assert page.context["window_closed"] is True
    response = post_file(as_delegate_pangkalpinang, meeting, data)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert SESSION_KEY not in response.wsgi_request.session
    assert not Issue.objects.exists()


def test_a_window_that_closes_between_preview_and_confirm_saves_nothing(
    as_delegate_pangkalpinang, desks
):
    meeting = desks[0].meeting
    data = filled(template_bytes(as_delegate_pangkalpinang, meeting), [ROW, ROW])
    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    close_submission(meeting)
    response = confirm(as_delegate_pangkalpinang, meeting, preview)
    assert response.status_code == 302
    assert not Issue.objects.exists()


# --- Errors per row ----------------------------------------------------------------------


def test_errors_are_reported_per_row_and_column_and_nothing_is_saved(
    as_delegate_pangkalpinang, desks
):
    meeting = desks[0].meeting
    rows = [
        ROW,
        {**ROW, "Judul Isu": None, "Perkiraan Biaya (Rp)": "banyak sekali"},
        {**ROW, "Sumber Dana": "Hibah luar negeri", "Bidang": "Bidang Antah"},
        {**ROW, "Lintang": -2.1291},  # a latitude without its longitude
    ]
    data = filled(template_bytes(as_delegate_pangkalpinang, meeting), rows)
    response = post_file(as_delegate_pangkalpinang, meeting, data)
    assert response.status_code == 200
    assert response.context["valid"] is False
    errors = {
        (result.number, column)
        for result in response.context["results"]
        for column, _ in result.errors
    }
    assert errors == {
        (3, "Judul Isu"),
        (3, "Perkiraan Biaya (Rp)"),
        (4, "Sumber Dana"),
        (4, "Bidang"),
        (5, "Bujur"),
    }
    assert response.context["error_count"] == 5
    assert response.context["confirm_form"] is None
    assert SESSION_KEY not in response.wsgi_request.session
    assert not Issue.objects.exists()


def test_the_rules_are_the_web_forms_rules(as_delegate_pangkalpinang, desks):
    """A coordinate outside the province is refused by IssueForm; the import says the same."""
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [{**ROW, "Lintang": "-6,2", "Bujur": "106,8"}],
    )
    response = post_file(as_delegate_pangkalpinang, meeting, data)
    (result,) = response.context["results"]
    assert [column for column, _ in result.errors] == ["Lintang"]
    assert result.form.errors["latitude"][0] in result.errors[0][1]


def test_choices_may_be_written_as_labels_codes_or_stored_values(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [
            {
                **ROW,
                "Bidang": "bm",
                "Sumber Dana": "  apbd provinsi ",
                "Kewenangan": "provinsi",
                "Kesiapan Lahan": "ada",
            }
        ],
    )
    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    assert preview.context["valid"] is True
    confirm(as_delegate_pangkalpinang, meeting, preview)
    issue = Issue.objects.get()
    assert issue.desk == desks[0]
    assert issue.authority == Issue.Authority.PROVINCE
    assert issue.land_readiness == Issue.Readiness.AVAILABLE


def test_numbers_typed_as_text_the_indonesian_way_are_understood(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [
            {
                **ROW,
                "Perkiraan Biaya (Rp)": "Rp1.250.000.000",
                "Volume": "3,5",
                "Lintang": "-2,1291",
                "Bujur": "106,1131",
            }
        ],
    )
    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    confirm(as_delegate_pangkalpinang, meeting, preview)
    issue = Issue.objects.get()
    assert issue.estimated_cost == Decimal("1250000000")
    assert issue.volume == Decimal("3.50")
    assert (issue.latitude, issue.longitude) == (Decimal("-2.129100"), Decimal("106.113100"))


def test_cells_that_look_like_formulas_are_kept_as_text(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [
            {
                **ROW,
                "Judul Isu": '=HYPERLINK("http://evil.test","Klik")',
                "Desa/Kelurahan": "+62 Bukit Intan",
                "Lokasi/Ruas Jalan": "-- km 12",
                "Keterkaitan RPJMD/RKPD": "@RKPD 2023",
            }
        ],
    )
    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    assert preview.context["valid"] is True
    confirm(as_delegate_pangkalpinang, meeting, preview)
    issue = Issue.objects.get()
    assert issue.title == '=HYPERLINK("http://evil.test","Klik")'
    assert issue.village == "+62 Bukit Intan"
    assert issue.place == "-- km 12"
    assert issue.plan_link == "@RKPD 2023"


def test_the_preview_escapes_cell_text(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [{**ROW, "Judul Isu": "<script>alert(1)</script>"}],
    )
    response = post_file(as_delegate_pangkalpinang, meeting, data)
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


# --- Confirmation that does not belong to the preview ------------------------------------


@pytest.fixture
def preview(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(template_bytes(as_delegate_pangkalpinang, meeting), [ROW])
    return post_file(as_delegate_pangkalpinang, meeting, data)


def test_a_tampered_token_is_refused(as_delegate_pangkalpinang, preview, meeting):
    response = as_delegate_pangkalpinang.post(
        import_url(meeting, "import_confirm"), {"token": "bukan-token-yang-benar"}
    )
    assert response.status_code == 302
    assert response["Location"] == import_url(meeting)
    assert not Issue.objects.exists()


def test_a_confirmation_without_a_preview_is_refused(as_delegate_bangka, preview, meeting):
    token = preview.context["confirm_form"].initial["token"]
    # Another user's session holds nothing, even with the right token.
    response = as_delegate_bangka.post(import_url(meeting, "import_confirm"), {"token": token})
    assert response.status_code == 302
    assert not Issue.objects.exists()


def test_a_stale_preview_is_refused(as_delegate_pangkalpinang, preview, meeting):
    session = as_delegate_pangkalpinang.session
    session[SESSION_KEY]["at"] = time.time() - 2 * 60 * 60
    session.save()
    response = confirm(as_delegate_pangkalpinang, meeting, preview)
    assert response.status_code == 302
    assert not Issue.objects.exists()


def test_a_preview_for_one_meeting_cannot_be_confirmed_in_another(
    as_delegate_pangkalpinang, preview
):
    other = MeetingFactory()
    DeskFactory(meeting=other)
    token = preview.context["confirm_form"].initial["token"]
    response = as_delegate_pangkalpinang.post(import_url(other, "import_confirm"), {"token": token})
    assert response.status_code == 302
    assert not Issue.objects.exists()


def test_a_preview_is_confirmed_only_once(as_delegate_pangkalpinang, preview, meeting):
    confirm(as_delegate_pangkalpinang, meeting, preview)
    confirm(as_delegate_pangkalpinang, meeting, preview)
    assert Issue.objects.count() == 1


def test_rows_are_checked_again_when_confirming(as_delegate_pangkalpinang, preview, meeting):
    """A field removed from the meeting after the preview: nothing is saved."""
    meeting.desks.filter(field__slug="bina-marga").delete()
    response = confirm(as_delegate_pangkalpinang, meeting, preview)
    assert response.status_code == 302
    assert not Issue.objects.exists()


# --- Files that are refused as a whole ---------------------------------------------------


def valid_file(client, meeting):
    return filled(template_bytes(client, meeting), [ROW])


def test_a_text_file_renamed_to_xlsx_is_refused(as_delegate_pangkalpinang, desks):
    response = post_file(as_delegate_pangkalpinang, desks[0].meeting, b"Judul;Biaya\nJalan;100\n")
    assert file_error(response)


def test_a_workbook_with_macros_is_refused(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = valid_file(as_delegate_pangkalpinang, meeting)
    with_macros = rezip(data, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert file_error(post_file(as_delegate_pangkalpinang, meeting, with_macros))
    assert file_error(post_file(as_delegate_pangkalpinang, meeting, data, name="isu.xlsm"))
    with pytest.raises(spreadsheet.ValidationError) as info:
        spreadsheet.read_rows(with_macros)
    assert info.value.code == "macros"


def test_a_macro_enabled_content_type_is_refused(as_delegate_pangkalpinang, desks):
    data = valid_file(as_delegate_pangkalpinang, desks[0].meeting)
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    types = types.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml").replace(
        b"spreadsheetml.sheet.macroEnabled", b"ms-excel.sheet.macroEnabled"
    )
    with pytest.raises(spreadsheet.ValidationError) as info:
        spreadsheet.read_rows(rezip(data, replace={"[Content_Types].xml": types}))
    assert info.value.code == "macros"


def test_an_old_xls_or_encrypted_workbook_is_refused():
    with pytest.raises(spreadsheet.ValidationError) as info:
        spreadsheet.read_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    assert info.value.code == "old_or_encrypted"


def test_a_file_over_two_megabytes_is_refused(as_delegate_pangkalpinang, desks):
    big = b"PK\x03\x04" + b"\x00" * (2 * 1024 * 1024)
    assert file_error(post_file(as_delegate_pangkalpinang, desks[0].meeting, big))


def test_a_zip_bomb_is_refused_before_it_is_opened(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = valid_file(as_delegate_pangkalpinang, meeting)
    bomb = rezip(data, replace={"xl/worksheets/sheet1.xml": b" " * (60 * 1024 * 1024)})
    assert len(bomb) < 2 * 1024 * 1024
    assert file_error(post_file(as_delegate_pangkalpinang, meeting, bomb))
    with pytest.raises(spreadsheet.ValidationError) as info:
        spreadsheet.read_rows(bomb)
    assert info.value.code == "too_big"


def test_xml_entities_are_refused(as_delegate_pangkalpinang, desks):
    data = valid_file(as_delegate_pangkalpinang, desks[0].meeting)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
        b"<si><t>&lol2;</t></si></sst>"
    )
    hostile = rezip(data, add={"xl/sharedStrings.xml": laughs})
    with pytest.raises(spreadsheet.ValidationError) as info:
        spreadsheet.read_rows(hostile)
    assert info.value.code == "not_xlsx"


def test_more_than_three_hundred_rows_are_refused(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    rows = [{"Judul Isu": f"Isu {n}"} for n in range(spreadsheet.MAX_ROWS + 1)]
    data = filled(template_bytes(as_delegate_pangkalpinang, meeting), rows)
    assert file_error(post_file(as_delegate_pangkalpinang, meeting, data))


def test_exactly_three_hundred_rows_are_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Judul Isu"])
    for number in range(spreadsheet.MAX_ROWS):
        sheet.append([f"Isu {number}"])
    out = io.BytesIO()
    workbook.save(out)
    assert len(spreadsheet.read_rows(out.getvalue()).rows) == spreadsheet.MAX_ROWS


def test_a_sheet_without_the_template_headers_is_refused(as_delegate_pangkalpinang, desks):
    workbook = Workbook()
    workbook.active.append(["Nama", "Alamat"])
    workbook.active.append(["Budi", "Sungailiat"])
    out = io.BytesIO()
    workbook.save(out)
    assert file_error(post_file(as_delegate_pangkalpinang, desks[0].meeting, out.getvalue()))


def test_a_file_missing_a_required_column_says_which(as_delegate_pangkalpinang, desks):
    workbook = Workbook()
    workbook.active.append(["Bidang", "Judul Isu"])
    workbook.active.append(["Bina Marga", "Jalan rusak"])
    out = io.BytesIO()
    workbook.save(out)
    errors = file_error(post_file(as_delegate_pangkalpinang, desks[0].meeting, out.getvalue()))
    assert "Permasalahan" in errors[0]
    assert "Perkiraan Biaya (Rp)" in errors[0]
    assert "Kewenangan" not in errors[0]  # has a default


def test_an_empty_template_is_refused(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    response = post_file(
        as_delegate_pangkalpinang, meeting, template_bytes(as_delegate_pangkalpinang, meeting)
    )
    assert file_error(response)


# --- Reading cells -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (12_500_000_000, "12500000000"),
        (3.5, "3,5"),
        (1.125, "1,125"),
        (1250000.0, "1250000"),
        (0.00001, "0,00001"),
        (-2.1291, "-2,1291"),
        ("  Jalan rusak \r\n berat ", "Jalan rusak \n berat"),
        ("=1+1", "=1+1"),
    ],
)
def test_cell_values_become_the_text_a_person_would_type(value, text):
    assert spreadsheet.cell_text(value) == text


def test_the_preview_costs_the_same_queries_for_5_rows_as_for_40(as_delegate_pangkalpinang, desks):
    """Each row is validated by IssueForm with the meeting's desks read once: no query
    grows with the file (each row used to cost 11)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = desks[0].meeting
    counts = []
    for size in (5, 40):
        rows = [{**ROW, "Judul Isu": f"Isu nomor {n}"} for n in range(size)]
        data = filled(template_bytes(as_delegate_pangkalpinang, meeting), rows)
        with CaptureQueriesContext(connection) as queries:
            response = post_file(as_delegate_pangkalpinang, meeting, data)
        assert response.context["valid"] is True
        assert len(response.context["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_row_naming_a_desk_of_another_meeting_is_refused(as_delegate_pangkalpinang, desks):
    from issues.forms import IssueForm

    meeting = desks[0].meeting
    other = DeskFactory(meeting=MeetingFactory(), field=desks[0].field)
    data = {"desk": other.pk, "title": "Isu"}
    form = IssueForm(data, meeting=meeting, desks=list(meeting.desks.all()))
    assert not form.is_valid()
    assert "desk" in form.errors


# --- What the import understood ------------------------------------------------------


def test_a_number_in_a_numeric_cell_is_that_number(as_delegate_pangkalpinang, desks):
    """1.125 typed into a numeric cell is 1,125 km, never 1.125 km."""
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [{**ROW, "Volume": 1.125, "Perkiraan Biaya (Rp)": 6_500_000_000}],
    )
    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    assert preview.context["valid"] is True
    assert preview.context["warning_count"] == 0
    confirm(as_delegate_pangkalpinang, meeting, preview)
    issue = Issue.objects.get()
    assert issue.volume == Decimal("1.125")
    assert issue.estimated_cost == Decimal("6500000000")


@pytest.mark.parametrize(
    ("volume", "cost", "expected_volume", "expected_cost"),
    [
        ("1.125", "Rp 6,5 M", Decimal("1125"), Decimal("6500000000")),
        ("1,125", "± Rp 6,5 M", Decimal("1.125"), Decimal("6500000000")),
        ("12", "Rp 750 juta", Decimal("12"), Decimal("750000000")),
        ("2,5", "Rp. 1.250.000.000,-", Decimal("2.5"), Decimal("1250000000")),
        ("40", "kurang lebih Rp 2,3 miliar", Decimal("40"), Decimal("2300000000")),
    ],
)
def test_text_cells_are_read_the_indonesian_way(
    as_delegate_pangkalpinang, desks, volume, cost, expected_volume, expected_cost
):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [{**ROW, "Volume": volume, "Perkiraan Biaya (Rp)": cost, "Satuan": "unit"}],
    )
    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    assert preview.context["valid"] is True
    (result,) = preview.context["results"]
    assert result.form.cleaned_data["volume"] == expected_volume
    assert result.form.cleaned_data["estimated_cost"] == expected_cost


def test_the_preview_shows_every_column_as_understood_beside_what_was_typed(
    as_delegate_pangkalpinang, desks
):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [{**ROW, "Volume": "1,125", "Perkiraan Biaya (Rp)": "± Rp 6,5 M", "Kewenangan": "pusat"}],
    )
    response = post_file(as_delegate_pangkalpinang, meeting, data)
    (result,) = response.context["results"]
    cells = {cell.header: cell for cell in result.understood}
    # Every column of the template, the figures and choices first.
    assert sorted(cells) == sorted(column.header for column in COLUMNS)
    assert list(cells)[:5] == ["Bidang", "Judul Isu", "Volume", "Satuan", "Perkiraan Biaya (Rp)"]
    assert cells["Volume"].understood == "1,125"
    assert cells["Perkiraan Biaya (Rp)"].understood == "Rp6.500.000.000"
    assert cells["Perkiraan Biaya (Rp)"].typed == "± Rp 6,5 M"
    assert cells["Bidang"].understood == "Bina Marga"
    assert cells["Kecamatan"].understood == "Gerunggang"
    page = response.content.decode()
    assert "Rp6.500.000.000" in page and "± Rp 6,5 M" in page
    assert "Keterkaitan RPJMD/RKPD" in page


def test_values_out_of_the_usual_range_must_be_confirmed(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [
            {**ROW, "Volume": "1.000", "Satuan": "km"},
            {**ROW, "Judul Isu": "Isu kedua", "Perkiraan Biaya (Rp)": "750.000"},
            {**ROW, "Judul Isu": "Isu ketiga"},
        ],
    )
    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    assert preview.context["valid"] is True
    assert preview.context["warning_count"] == 2
    road, cheap, plain = preview.context["results"]
    assert [header for header, _ in road.warnings] == ["Volume"]
    assert [header for header, _ in cheap.warnings] == ["Perkiraan Biaya (Rp)"]
    assert plain.warnings == []
    assert 'name="checked"' in preview.content.decode()

    # Without ticking the box nothing is saved.
    response = confirm(as_delegate_pangkalpinang, meeting, preview)
    assert response.status_code == 302
    assert not Issue.objects.exists()

    preview = post_file(as_delegate_pangkalpinang, meeting, data)
    token = preview.context["confirm_form"].initial["token"]
    response = as_delegate_pangkalpinang.post(
        import_url(meeting, "import_confirm"), {"token": token, "checked": "on"}
    )
    assert response.status_code == 302
    assert Issue.objects.count() == 3
    assert Issue.objects.get(title=ROW["Judul Isu"]).volume == Decimal("1000")


def test_an_error_names_the_column_the_value_typed_and_the_allowed_values(
    as_delegate_pangkalpinang, desks
):
    meeting = desks[0].meeting
    data = filled(
        template_bytes(as_delegate_pangkalpinang, meeting),
        [{**ROW, "Kesiapan Lahan": "Sudah ada", "Perkiraan Biaya (Rp)": "banyak"}],
    )
    response = post_file(as_delegate_pangkalpinang, meeting, data)
    (result,) = response.context["results"]
    messages = dict(result.errors)
    land = messages["Kesiapan Lahan"]
    form = response.context["results"][0].form
    labels = [str(label) for value, label in form.fields["land_readiness"].choices if value]
    assert land.startswith("Kesiapan Lahan: 'Sudah ada' ")
    assert land.endswith(", ".join(labels) + ".")
    assert "'banyak'" in messages["Perkiraan Biaya (Rp)"]
    assert messages["Perkiraan Biaya (Rp)"].startswith("Perkiraan Biaya (Rp): ")


def test_the_templates_examples_follow_the_meetings_year(as_delegate_pangkalpinang, desks):
    meeting = desks[0].meeting
    Meeting.objects.filter(pk=meeting.pk).update(year=2026)
    workbook = load_workbook(io.BytesIO(template_bytes(as_delegate_pangkalpinang, meeting)))
    texts = " ".join(
        str(cell.value) for row in workbook[HELP_SHEET].iter_rows() for cell in row if cell.value
    )
    assert "Tahun Anggaran 2027" in texts
    assert "RKPD Provinsi Tahun 2027" in texts
    assert "2023" not in texts and "2017-2022" not in texts
