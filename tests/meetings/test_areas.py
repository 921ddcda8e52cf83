"""Kecamatan and desa/kelurahan loaded from the committed idn-area-data extracts."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from meetings.areas import load_areas, match_location, name_key
from meetings.models import District, Region, Village
from tests.factories import region

pytestmark = pytest.mark.django_db

JAKARTA = Path(__file__).resolve().parent.parent / "data" / "areas" / "31"


def test_bangka_belitung_areas_are_loaded_by_the_migration():
    babel = Region.objects.filter(kemendagri_code__startswith="19.")
    assert babel.count() == 7
    assert District.objects.filter(region__in=babel).count() == 47
    villages = Village.objects.filter(district__region__in=babel)
    assert villages.count() == 393
    assert villages.filter(kind=Village.Kind.DESA).count() == 309
    assert villages.filter(kind=Village.Kind.KELURAHAN).count() == 84
    per_region = {r.kemendagri_code: r.districts.count() for r in babel}
    assert per_region == {
        "19.01": 8,
        "19.02": 5,
        "19.03": 8,
        "19.04": 6,
        "19.05": 6,
        "19.06": 7,
        "19.71": 7,
    }
    # Matched by code: the app's official name stays, not the data's "Kota Pangkal Pinang".
    assert Region.objects.get(kemendagri_code="19.71").name == "Kota Pangkalpinang"
    rangkui = District.objects.get(name="Rangkui")
    assert rangkui.region == region("pangkalpinang")
    assert rangkui.villages.get(name="Masjid Jamik").kind == Village.Kind.KELURAHAN


def test_loading_again_changes_nothing_and_updates_names(tmp_path, capsys):
    source = tmp_path / "19"
    shutil.copytree(Path("meetings/data/areas/19"), source)
    call_command("load_areas", "19")
    assert "New: 0 regions, 0 kecamatan, 0 desa/kelurahan" in capsys.readouterr().out
    # An update renames one kecamatan and drops one desa that an issue might use.
    districts = (source / "districts.csv").read_text()
    (source / "districts.csv").write_text(districts.replace(",Rangkui\n", ",Rangkui Baru\n"))
    lines = (source / "villages.csv").read_text().splitlines(keepends=True)
    dropped = lines.pop(1).split(",")[0]
    (source / "villages.csv").write_text("".join(lines))
    result = load_areas(province_code="19", source=source)
    assert result.districts_updated == 1
    assert result.missing_villages == 1
    assert District.objects.filter(name="Rangkui Baru").count() == 1
    assert Village.objects.filter(code=dropped).exists()  # never deleted
    babel = Village.objects.filter(district__region__kemendagri_code__startswith="19.")
    assert babel.count() == 393


def test_a_second_province_loads_from_a_folder():
    call_command("load_areas", "31", "--source", str(JAKARTA))
    jakarta = Region.objects.filter(kemendagri_code__startswith="31")
    assert jakarta.count() == 7  # the province and six regencies/cities
    province = jakarta.get(kemendagri_code="31")
    assert province.kind == Region.Kind.PROVINCE and province.bps_code is None
    assert jakarta.get(kemendagri_code="31.01").kind == Region.Kind.REGENCY
    assert jakarta.get(kemendagri_code="31.71").kind == Region.Kind.CITY
    assert District.objects.filter(region__in=jakarta).count() == 44
    assert Village.objects.filter(district__region__in=jakarta).count() == 267
    call_command("load_areas", "31", "--source", str(JAKARTA))
    assert Region.objects.filter(kemendagri_code__startswith="31").count() == 7
    assert Village.objects.filter(district__region__in=jakarta).count() == 267


def test_a_folder_without_the_province_is_refused(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_areas", "31")  # no committed data for 31
    with pytest.raises(CommandError):
        call_command("load_areas", "32", "--source", str(JAKARTA))


def test_typed_names_match_by_name_or_code_within_the_region():
    pangkalpinang = region("pangkalpinang")
    district, village = match_location(pangkalpinang, "kec. RANGKUI", "Masjid  Jamik")
    assert (district.name, village.name) == ("Rangkui", "Masjid Jamik")
    district, village = match_location(pangkalpinang, district.code, village.code)
    assert (district.name, village.name) == ("Rangkui", "Masjid Jamik")
    # Another regency's kecamatan is not offered to this region.
    assert match_location(pangkalpinang, "Merawang", "Jurung") == (None, None)
    assert name_key("Pangkal Balam") == name_key("PANGKALBALAM")
