from decimal import Decimal

import pytest

from issues.forms import IssueForm, parse_number, parse_rupiah
from tests.issues.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text,value",
    [
        ("Rp1.250.000", 1_250_000),
        ("Rp 1.250.000,00", 1_250_000),
        ("1250000", 1_250_000),
        ("rp. 1.250.000,-", 1_250_000),
        ("IDR 1.250.000", 1_250_000),
        ("1250000.00", 1_250_000),
        ("Rp 1,5 M", 1_500_000_000),
        ("750 juta", 750_000_000),
        ("2,25 miliar", 2_250_000_000),
        ("500 rb", 500_000),
        ("1.250.000,50", 1_250_001),
        ("Rp1.000", 1_000),
        ("Rp 12.500", 12_500),
        ("0", 0),
    ],
)
def test_rupiah_is_read_as_people_write_it(text, value):
    assert parse_rupiah(text) == value


@pytest.mark.parametrize(
    "text", ["", "satu juta", "1.25.000", "1,2,3", "Rp", "12a", "1.250.000,5,0", "5 kg"]
)
def test_text_that_is_not_rupiah_is_refused(text):
    with pytest.raises(ValueError):
        parse_rupiah(text)


@pytest.mark.parametrize(
    "text,value",
    [
        ("3,5", "3.5"),
        ("3.5", "3.5"),
        ("3.25", "3.25"),
        ("1.250", "1250"),
        ("1.250,75", "1250.75"),
        ("120", "120"),
    ],
)
def test_numbers_take_a_decimal_comma_or_point(text, value):
    assert parse_number(text) == Decimal(value)


def test_a_coordinate_dot_is_always_a_decimal_point():
    assert parse_number("-2.129", dot_groups_thousands=False) == Decimal("-2.129")


def form(desk, /, **overrides):
    return IssueForm(form_data(desk, **overrides), meeting=desk.meeting)


def test_a_complete_issue_is_valid_and_cleaned(desk_bina_marga):
    f = form(desk_bina_marga)
    assert f.is_valid(), f.errors
    data = f.cleaned_data
    assert data["estimated_cost"] == 1_250_000_000
    assert data["latitude"] == Decimal("-2.129100")
    assert data["longitude"] == Decimal("106.113100")
    assert data["volume"] == Decimal("20")


@pytest.mark.parametrize(
    "field",
    [
        "desk",
        "title",
        "proposing_office",
        "problem",
        "proposed_handling",
        "support_requested",
        "district",
        "estimated_cost",
        "funding_source",
    ],
)
def test_required_fields_are_required(desk_bina_marga, field):
    f = form(desk_bina_marga, **{field: ""})
    assert not f.is_valid()
    assert field in f.errors


def test_optional_fields_may_stay_empty(desk_bina_marga):
    f = form(
        desk_bina_marga,
        current_condition="",
        village="",
        place="",
        latitude="",
        longitude="",
        volume="",
        unit="",
        plan_link="",
    )
    assert f.is_valid(), f.errors


@pytest.mark.parametrize("cost", ["-1", "Rp -1.000", "-Rp1.000"])
def test_a_negative_cost_is_refused(desk_bina_marga, cost):
    f = form(desk_bina_marga, estimated_cost=cost)
    assert not f.is_valid()
    assert "estimated_cost" in f.errors


def test_a_negative_volume_is_refused(desk_bina_marga):
    f = form(desk_bina_marga, volume="-3")
    assert not f.is_valid() and "volume" in f.errors


def test_an_unreadable_cost_keeps_what_was_typed(desk_bina_marga):
    f = form(desk_bina_marga, estimated_cost="sekitar satu miliar")
    assert not f.is_valid()
    assert "estimated_cost" in f.errors
    assert 'value="sekitar satu miliar"' in str(f["estimated_cost"])
    assert "Rangkui" in str(f["district"])


def test_a_volume_needs_a_unit_and_a_unit_needs_a_volume(desk_bina_marga):
    assert "unit" in form(desk_bina_marga, unit="").errors
    assert "volume" in form(desk_bina_marga, volume="").errors


@pytest.mark.parametrize(
    "latitude,longitude,bad",
    [
        ("-6,2", "106,8", "latitude"),  # Jakarta
        ("-2,1", "110,5", "longitude"),  # Kalimantan
        ("2,1", "106,1", "latitude"),  # north of the equator: sign forgotten
        ("abc", "106,1", "latitude"),
    ],
)
def test_coordinates_outside_the_province_are_refused(desk_bina_marga, latitude, longitude, bad):
    f = form(desk_bina_marga, latitude=latitude, longitude=longitude)
    assert not f.is_valid()
    assert bad in f.errors


@pytest.mark.parametrize(
    "latitude,longitude",
    [
        ("-2.75", "107.65"),
        ("-2.129", "106.113"),
        ("-1,5", "105,2"),
        ("-3,05", "108,9"),
        ("\u22122,9", "106,4"),
    ],
)
def test_coordinates_inside_the_province_are_accepted(desk_bina_marga, latitude, longitude):
    f = form(desk_bina_marga, latitude=latitude, longitude=longitude)
    assert f.is_valid(), f.errors


def test_coordinates_come_in_pairs(desk_bina_marga):
    assert "longitude" in form(desk_bina_marga, longitude="").errors
    assert "latitude" in form(desk_bina_marga, latitude="").errors


def test_text_length_limits(desk_bina_marga):
    f = form(desk_bina_marga, title="J" * 201, problem="p" * 5001)
    assert not f.is_valid()
    assert "title" in f.errors and "problem" in f.errors
    assert form(desk_bina_marga, title="J" * 200, problem="p" * 5000).is_valid()


def test_the_field_must_be_a_desk_of_this_meeting(desk_bina_marga):
    from tests.factories import DeskFactory

    elsewhere = DeskFactory()
    f = form(desk_bina_marga, desk=elsewhere.pk)
    assert not f.is_valid() and "desk" in f.errors


def test_the_form_has_no_region_field(desk_bina_marga):
    assert "region" not in IssueForm(meeting=desk_bina_marga.meeting).fields


def test_editing_shows_stored_numbers_as_people_write_them(draft):
    f = IssueForm(instance=draft, meeting=draft.meeting)
    assert f["estimated_cost"].value() == "Rp1.250.000.000"
    assert f["volume"].value() == "1,2"
