"""The duplicate finder on the labelled samples: road sections under other segment names,
rivers, bridges; trigram similarity as pg_trgm computes it, on PostgreSQL by pg_trgm itself."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from issues.board.duplicate_samples import DUPLICATES, SAMPLES, measure
from issues.board.duplicates import (
    database_similarities,
    desk_duplicates,
    distance_km,
    find_duplicates,
    region_mentions,
    route_keys,
    water_keys,
)
from issues.board.trigrams import similarity, trigrams
from tests.issues.board.test_duplicates import plain, submitted_issue


def test_recall_is_at_least_90_percent_with_at_most_one_false_suggestion_per_10_issues():
    quality = measure(find_duplicates)
    assert quality.issues == len(SAMPLES) and quality.duplicates == len(DUPLICATES)
    assert quality.recall >= 0.9, quality.missed
    assert quality.false_per_ten <= 1, quality.false


def test_the_command_prints_recall_and_false_suggestions_per_10_issues(capsys):
    call_command("duplicates_quality")
    out = capsys.readouterr().out
    assert f"{len(SAMPLES)} issues, {len(DUPLICATES)} labelled duplicate pairs" in out
    assert "recall: " in out and "per 10 issues" in out


def test_one_road_under_two_segment_names_is_one_route():
    assert route_keys("Ruas Koba - Toboali Segmen Lubuk Besar") == route_keys(
        "Pemeliharaan Jalan Provinsi Toboali - Koba Segmen Air Gegas"
    )
    assert route_keys("Ruas Tanjung Pandan - Membalong km 38") == {
        frozenset(("tanjung pandan", "membalong"))
    }
    assert route_keys("Jalan Pangkalpinang - Koba") != route_keys(
        "Jalan Pangkalpinang - Sungailiat"
    )
    assert route_keys("Rekonstruksi km 21-27") == set()


def test_a_river_is_named_the_same_under_das_sungai_or_muara():
    assert water_keys("Pengendalian Banjir DAS Rangkui") == {("sungai", "rangkui")}
    assert ("sungai", "rangkui") in water_keys("Normalisasi Sungai Rangkui Bagian Hulu")
    assert ("sungai", "baturusa") in water_keys("Normalisasi Muara Sungai Baturusa")
    assert water_keys("Pengaman Pantai Tanjung Kerasak") == {("pantai", "tanjung kerasak")}
    assert water_keys("Normalisasi Sungai Kurau") != water_keys("Normalisasi Sungai Lenggang")


def test_segments_of_one_road_in_two_regions_are_suggested_with_the_route():
    a = plain(1, 1, "Peningkatan Ruas Koba - Toboali Segmen Lubuk Besar")
    b = plain(2, 2, "Pemeliharaan Jalan Koba - Toboali Segmen Air Gegas")
    c = plain(3, 3, "Peningkatan Ruas Manggar - Gantung")
    [suggestion] = find_duplicates([a, b, c])
    assert (suggestion.first, suggestion.second) == (a, b)
    assert any("Koba - Toboali" in str(reason) for reason in suggestion.reasons)


def test_two_regions_own_programmes_are_not_suggested():
    assert region_mentions("Bedah Rumah Kabupaten Bangka Tengah") == {"bangka tengah"}
    a = plain(1, 1, "Bedah Rumah Tidak Layak Huni Kabupaten Bangka")
    b = plain(2, 4, "Bedah Rumah Tidak Layak Huni Kabupaten Bangka Tengah")
    assert find_duplicates([a, b]) == []


def test_alike_titles_a_few_km_apart_are_suggested_far_apart_they_are_not():
    def located(pk, region_id, title, latitude, longitude):
        issue = plain(pk, region_id, title)
        issue.latitude, issue.longitude = Decimal(latitude), Decimal(longitude)
        return issue

    a = located(1, 1, "Penanganan genangan Jalan Depati Amir", "-2.1291", "106.1131")
    b = located(2, 7, "Penanganan genangan di Jalan Depati Amir", "-2.1350", "106.1200")
    far = located(3, 3, "Penanganan genangan Jalan Depati Amir", "-3.0100", "106.7200")
    assert distance_km((a.latitude, a.longitude), (b.latitude, b.longitude)) < 3
    found = {(s.first.pk, s.second.pk) for s in find_duplicates([a, b, far])}
    assert (1, 2) in found
    # The far one is only alike by title (the title measure), never by nearness.
    for suggestion in find_duplicates([a, b, far]):
        if 3 in (suggestion.first.pk, suggestion.second.pk):
            assert not any("km apart" in str(r) for r in suggestion.reasons)


def test_python_trigrams_are_pg_trgm_trigrams():
    assert trigrams("Koba") == {"  k", " ko", "kob", "oba", "ba "}
    assert similarity("word", "two words") == pytest.approx(4 / 11)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_pg_trgm_gives_the_same_similarity_as_the_python_equivalent(desk_bina_marga):
    titles = [sample[2] for sample in SAMPLES.values() if sample[0] == "bm"]
    issues = [submitted_issue(desk_bina_marga, "pangkalpinang", title=title) for title in titles]
    from_database = database_similarities(issues)
    assert from_database
    for (first, second), value in from_database.items():
        a = next(i for i in issues if i.pk == first)
        b = next(i for i in issues if i.pk == second)
        assert value == pytest.approx(similarity(a.title, b.title), abs=1e-6)


@pytest.mark.django_db
def test_the_desk_finds_one_road_section_proposed_by_two_regions(desk_bina_marga):
    def proposal(region_slug, title, district, problem):
        return submitted_issue(
            desk_bina_marga,
            region_slug,
            title=title,
            district=district,
            village=district,
            place="",
            problem=problem,
            current_condition="",
            proposed_handling="",
        )

    first = proposal(
        "bangka-tengah",
        "Peningkatan Ruas Koba - Toboali Segmen Lubuk Besar",
        "Lubuk Besar",
        "Perkerasan retak dan berlubang sepanjang 9 km.",
    )
    second = proposal(
        "bangka-selatan",
        "Pemeliharaan Jalan Provinsi Koba - Toboali Segmen Air Gegas",
        "Air Gegas",
        "Bahu jalan longsor di dua titik.",
    )
    proposal("belitung", "Penggantian Jembatan Aik Rusa", "Membalong", "Gelagar jembatan keropos.")
    found = desk_duplicates(desk_bina_marga)
    assert [(s.first.pk, s.second.pk) for s in found] == [(first.pk, second.pk)]
