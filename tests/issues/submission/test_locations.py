"""Kecamatan and desa/kelurahan: what the form offers, what is matched, what is flagged."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from issues.models import Issue
from meetings.models import District, Region, Village
from rakortek.accounts.models import Role
from tests.factories import UserFactory, region
from tests.issues.conftest import form_data
from tests.issues.submission.test_import import ROW, confirm, filled, post_file, template_bytes

pytestmark = pytest.mark.django_db
FLAG = ("Location to check", "Lokasi perlu dicek")
JAKARTA = Path(__file__).resolve().parents[2] / "data" / "areas" / "31"


def create_url(meeting):
    return reverse("issues:create", kwargs={"slug": meeting.slug})


def datalist(html, name):
    match = re.search(rf'<datalist id="{name}">(.*?)</datalist>', html, re.S)
    return set(re.findall(r'<option value="([^"]*)"', match.group(1)))


def test_the_form_offers_only_the_regions_kecamatan_and_desa(
    as_delegate_pangkalpinang, desk_bina_marga
):
    html = as_delegate_pangkalpinang.get(create_url(desk_bina_marga.meeting)).content.decode()
    pangkalpinang = region("pangkalpinang")
    assert datalist(html, "kecamatan-options") == set(
        District.objects.filter(region=pangkalpinang).values_list("name", flat=True)
    )
    assert len(datalist(html, "kecamatan-options")) == 7
    villages = datalist(html, "desa-options")
    assert "Masjid Jamik" in villages and "Jurung" not in villages  # Jurung is in Bangka
    assert 'list="kecamatan-options"' in html and 'list="desa-options"' in html


def test_editing_offers_the_desa_of_the_chosen_kecamatan(as_delegate_pangkalpinang, draft):
    draft.district, draft.village = "Rangkui", "Masjid Jamik"
    draft.save()
    html = as_delegate_pangkalpinang.get(reverse("issues:edit", args=[draft.pk])).content.decode()
    rangkui = Village.objects.filter(district__name="Rangkui", district__region=draft.region)
    assert datalist(html, "desa-options") == set(rangkui.values_list("name", flat=True))


def test_a_matching_location_is_stored_with_its_codes(as_delegate_pangkalpinang, desk_bina_marga):
    as_delegate_pangkalpinang.post(
        create_url(desk_bina_marga.meeting),
        form_data(desk_bina_marga, district="RANGKUI", village="masjid jamik", action="draft"),
    )
    issue = Issue.objects.get()
    assert (issue.district, issue.village) == ("RANGKUI", "masjid jamik")  # as typed
    assert issue.district_area.code == "19.71.04"
    assert issue.village_area.name == "Masjid Jamik"
    assert issue.village_area.district == issue.district_area
    assert not issue.location_unmatched


def test_an_unknown_name_is_kept_and_flagged_for_the_secretariat(
    as_delegate_pangkalpinang, as_secretariat, desk_bina_marga
):
    # Merawang is a kecamatan of Bangka, not of Pangkalpinang.
    as_delegate_pangkalpinang.post(
        create_url(desk_bina_marga.meeting),
        {**form_data(desk_bina_marga, district="Merawang", village="Jurung"), "action": "draft"},
    )
    issue = Issue.objects.get()
    assert (issue.district, issue.village) == ("Merawang", "Jurung")
    assert issue.district_area is None and issue.village_area is None
    assert issue.location_unmatched
    page = as_secretariat.get(issue.get_absolute_url()).content.decode()
    assert any(flag in page for flag in FLAG)
    listing = as_secretariat.get(
        reverse("issues:meeting_issues", kwargs={"slug": desk_bina_marga.meeting.slug})
    ).content.decode()
    assert "text-bg-warning" in listing
    # Corrected by the delegate: matched, no longer flagged.
    as_delegate_pangkalpinang.post(
        reverse("issues:edit", args=[issue.pk]),
        form_data(desk_bina_marga, district="Rangkui", village="Masjid Jamik", action="draft"),
    )
    issue.refresh_from_db()
    assert issue.district_area.name == "Rangkui" and not issue.location_unmatched


def test_the_flag_is_not_shown_to_the_delegate(as_delegate_pangkalpinang, desk_bina_marga):
    as_delegate_pangkalpinang.post(
        create_url(desk_bina_marga.meeting),
        {**form_data(desk_bina_marga, district="Merawang"), "action": "draft"},
    )
    issue = Issue.objects.get()
    assert issue.location_unmatched
    page = as_delegate_pangkalpinang.get(issue.get_absolute_url()).content.decode()
    assert "Merawang" in page
    assert not any(flag in page for flag in FLAG)


# The htmx endpoint: the desa of a kecamatan


def villages_url(region_pk, district=""):
    return f"{reverse('meetings:area_villages')}?region={region_pk}&district={district}"


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(villages_url(region("pangkalpinang").pk, "Rangkui"))
    assert response.status_code == 302 and "masuk" in response["Location"]


def test_a_delegate_gets_the_desa_of_a_kecamatan_of_their_region(as_delegate_pangkalpinang):
    response = as_delegate_pangkalpinang.get(villages_url(region("pangkalpinang").pk, "Rangkui"))
    assert response.status_code == 200
    names = set(re.findall(r'<option value="([^"]*)"', response.content.decode()))
    expected = Village.objects.filter(
        district__name="Rangkui", district__region__slug="pangkalpinang"
    )
    assert names == set(expected.values_list("name", flat=True)) and "Masjid Jamik" in names


def test_a_delegate_gets_404_for_another_region(as_delegate_pangkalpinang):
    assert as_delegate_pangkalpinang.get(villages_url(region("bangka").pk)).status_code == 404
    url = f"{reverse('meetings:area_districts')}?region={region('bangka').pk}"
    assert as_delegate_pangkalpinang.get(url).status_code == 404


def test_the_secretariat_and_others_read_any_region(as_secretariat, as_observer):
    url = f"{reverse('meetings:area_districts')}?region={region('bangka').pk}"
    for client in (as_secretariat, as_observer):
        response = client.get(url)
        assert response.status_code == 200 and b'value="Merawang"' in response.content
    assert as_secretariat.get(f"{reverse('meetings:area_districts')}?region=x").status_code == 404


# A second province: DKI Jakarta's areas loaded from the test data, then an import against them


@pytest.fixture
def jakarta_pusat(settings):
    settings.RAKORTEK_PROVINCE_CODE = "31"
    call_command("load_areas", "31", "--source", str(JAKARTA))
    return Region.objects.get(kemendagri_code="31.71")


def test_an_import_for_another_provinces_region_is_checked_against_its_areas(
    jakarta_pusat, desk_bina_marga
):
    delegate = UserFactory(username="delegasi-jakpus", role=Role.DELEGATE, region=jakarta_pusat)
    client = Client()
    client.force_login(delegate)
    meeting = desk_bina_marga.meeting
    rows = [
        {
            **ROW,
            "Judul Isu": "Drainase Jalan Cideng",
            "Kecamatan": "Gambir",
            "Desa/Kelurahan": "Cideng",
        },
        {
            **ROW,
            "Judul Isu": "Trotoar Petojo",
            "Kecamatan": "31.71.01",
            "Desa/Kelurahan": "31.71.01.1003",
        },
        {
            **ROW,
            "Judul Isu": "Jalan Rangkui",
            "Kecamatan": "Rangkui",
            "Desa/Kelurahan": "Masjid Jamik",
        },
    ]
    preview = post_file(client, meeting, filled(template_bytes(client, meeting), rows))
    assert preview.status_code == 200 and preview.context["valid"]
    assert [r.location_unmatched for r in preview.context["results"]] == [False, False, True]
    assert b"text-bg-warning" in preview.content
    confirm(client, meeting, preview)
    issues = {issue.title: issue for issue in Issue.objects.filter(region=jakarta_pusat)}
    assert len(issues) == 3
    cideng = issues["Drainase Jalan Cideng"]
    assert (cideng.district_area.code, cideng.village_area.code) == ("31.71.01", "31.71.01.1002")
    assert cideng.village_area.kind == Village.Kind.KELURAHAN
    petojo = issues["Trotoar Petojo"]
    assert petojo.village_area.name == "Petojo Utara" and not petojo.location_unmatched
    # Pangkalpinang's kecamatan is not Jakarta Pusat's: kept as typed, marked.
    rangkui = issues["Jalan Rangkui"]
    assert (rangkui.district, rangkui.village) == ("Rangkui", "Masjid Jamik")
    assert rangkui.district_area is None and rangkui.location_unmatched


def test_the_issue_form_of_another_provinces_region_offers_its_areas(
    jakarta_pusat, desk_bina_marga
):
    delegate = UserFactory(username="delegasi-jakpus", role=Role.DELEGATE, region=jakarta_pusat)
    client = Client()
    client.force_login(delegate)
    html = client.get(create_url(desk_bina_marga.meeting)).content.decode()
    assert datalist(html, "kecamatan-options") == {
        "Gambir",
        "Sawah Besar",
        "Kemayoran",
        "Senen",
        "Cempaka Putih",
        "Menteng",
        "Tanah Abang",
        "Johar Baru",
    }


def test_another_province_offers_only_its_own_regions(jakarta_pusat, secretariat):
    from issues.forms import ProxyRegionForm
    from issues.rakorgub.services import signatory_offices

    regions = set(
        ProxyRegionForm().fields["region"].queryset.values_list("kemendagri_code", flat=True)
    )
    assert regions == {"31", "31.01", "31.71", "31.72", "31.73", "31.74", "31.75"}
    offices = [title for _region, title in signatory_offices()]
    assert offices[0] == "Gubernur Daerah Khusus Ibukota Jakarta"
    assert "Bupati Bangka" not in offices and len(offices) == 7


def test_bangka_belitung_does_not_offer_a_loaded_second_province(desk_bina_marga):
    from issues.forms import ProxyRegionForm

    call_command("load_areas", "31", "--source", str(JAKARTA))
    codes = set(
        ProxyRegionForm().fields["region"].queryset.values_list("kemendagri_code", flat=True)
    )
    assert codes == {"19", "19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"}


def test_documents_name_the_configured_province(settings):
    from django.template import Context, Template

    tag = Template("{% load province %}{% province_name %} / {% province_name upper=True %}")
    assert tag.render(Context()) == "Kepulauan Bangka Belitung / KEPULAUAN BANGKA BELITUNG"
    call_command("load_areas", "31", "--source", str(JAKARTA))
    settings.RAKORTEK_PROVINCE_CODE = "31"
    assert tag.render(Context()).startswith("Daerah Khusus Ibukota Jakarta / DAERAH KHUSUS")


def test_forms_name_the_configured_province_and_its_regions(settings, desk_bina_marga):
    """Examples and the coordinate check come from the reference data and the settings:
    configured for Jakarta, no form names Bangka Belitung."""
    from issues.agreement.views import AgreementPointForm
    from issues.forms import IssueForm

    call_command("load_areas", "31", "--source", str(JAKARTA))
    settings.RAKORTEK_PROVINCE_CODE = "31"
    settings.RAKORTEK_PROVINCE_BOUNDS = ("-6.4", "-5.1", "106.3", "107.1")

    def issue_form(**overrides):
        return IssueForm(form_data(desk_bina_marga, **overrides), meeting=desk_bina_marga.meeting)

    inside = issue_form(latitude="-6,1754", longitude="106,8272")  # Monas
    assert inside.is_valid(), inside.errors
    outside = issue_form(latitude="-2,1291", longitude="106,1131")  # Pangkalpinang
    assert not outside.is_valid()
    message = outside.errors["latitude"][0]
    assert "Daerah Khusus Ibukota Jakarta" in message and "-6,4" in message
    assert "Bangka" not in message

    office_help = str(inside.fields["proposing_office"].help_text)
    assert "DPUPR Kabupaten Administrasi Kepulauan Seribu" in office_help
    point_help = str(AgreementPointForm(desk=desk_bina_marga).fields["responsible"].help_text)
    assert "Kepulauan Seribu" in point_help
    pages = [office_help, point_help, str(inside.fields["latitude"].help_text)]
    assert not any(word in text for text in pages for word in ("Bangka", "Belitung"))
