"""Likely duplicates across regions: the text normalisation, the measure and its thresholds,
blocking, and which issues take part."""

import random
from itertools import combinations
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from issues.board.duplicates import (
    _compare,
    _prepare,
    _profile,
    desk_duplicates,
    find_duplicates,
    place_words,
    village_key,
    words,
)
from issues.models import Issue, IssueSequence
from tests.factories import IssueFactory, region

S = Issue.Status


def submitted_issue(desk, region_slug="pangkalpinang", /, status=S.SUBMITTED, **fields):
    """An issue of `region_slug` in `desk` as the desk sees it after submission."""
    sequence, _ = IssueSequence.objects.get_or_create(desk=desk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return IssueFactory(
        desk=desk,
        region=region(region_slug),
        status=status,
        number=sequence.last_number,
        submitted_at=timezone.now(),
        **fields,
    )


def plain(pk, region_id, title, *, problem="", place="", district="", village=""):
    """An issue-like object: the measure needs no database."""
    return SimpleNamespace(
        pk=pk,
        number=pk,
        region_id=region_id,
        title=title,
        problem=problem,
        current_condition="",
        proposed_handling="",
        place=place,
        district=district,
        village=village,
    )


def pairs(suggestions):
    return {(s.first.pk, s.second.pk) for s in suggestions}


# Normalisation


def test_words_are_lowercased_without_punctuation_digits_and_stop_words():
    assert words("Jalannya RUSAK di Km. 21,5 dan untuk 2022; jembatan") == [
        "jalan",
        "rusak",
        "jembatan",
    ]


def test_jalan_is_not_a_stop_word_but_dan_di_yang_untuk_are():
    assert words("jalan dan di yang untuk") == ["jalan"]


def test_a_road_segment_is_the_same_whatever_its_order_kilometres_and_prefix():
    assert place_words("Ruas Sungailiat - Belinyu km 21 - km 30,5") == place_words(
        "Jalan Belinyu-Sungailiat"
    )
    assert place_words("Ruas Sungailiat - Belinyu") == {"sungailiat", "belinyu"}


def test_village_key_needs_a_desa_and_ignores_case_and_prefixes():
    assert village_key("Kecamatan Rangkui", "Kel. Masjid Jamik") == village_key(
        "rangkui", "masjid jamik"
    )
    assert village_key("Rangkui", "") is None


# The measure


def test_same_problem_from_two_regions_is_suggested_with_its_reasons():
    a = plain(1, 1, "Pengendalian banjir DAS Rangkui di pusat Kota Pangkalpinang")
    b = plain(2, 2, "Pengendalian banjir di DAS Rangkui, Kota Pangkalpinang")
    c = plain(3, 3, "Sertifikasi tenaga kerja konstruksi lokal")
    [suggestion] = find_duplicates([a, b, c])
    assert (suggestion.first, suggestion.second) == (a, b)
    assert 0.5 <= suggestion.score <= 1
    assert any("%" in str(reason) for reason in suggestion.reasons)


def test_the_same_road_segment_is_suggested_even_with_different_titles():
    a = plain(1, 1, "Rekonstruksi ruas jalan provinsi", place="Ruas Sungailiat - Belinyu km 21")
    b = plain(2, 2, "Jalan rusak berat akibat angkutan tambang", place="Jalan Belinyu - Sungailiat")
    [suggestion] = find_duplicates([a, b])
    assert suggestion.score >= 0.75
    assert "Belinyu" in str(suggestion.reasons[-1])


def test_the_same_description_is_suggested_even_under_different_titles():
    problem = (
        "Alur Sungai Rangkui dangkal karena sedimentasi; saat hujan lebat air meluap ke "
        "permukiman Kampung Opas dan Pasar Pagi selama enam jam."
    )
    a = plain(1, 1, "Normalisasi alur sungai kota", problem=problem)
    b = plain(2, 2, "Penanganan genangan di pusat kota", problem=problem)
    c = plain(3, 3, "Rehabilitasi jaringan irigasi", problem="Saluran irigasi bocor di Rias.")
    [suggestion] = find_duplicates([a, b, c])
    assert (suggestion.first, suggestion.second) == (a, b)
    assert any("100%" in str(reason) for reason in suggestion.reasons)


def test_one_template_filled_in_for_two_places_is_not_suggested():
    def irrigation(pk, region_id, desa):
        return plain(
            pk,
            region_id,
            f"Rehabilitasi jaringan irigasi Desa {desa}",
            problem=f"Saluran irigasi Desa {desa} bocor dan pintu air rusak; sawah hanya "
            "bisa ditanam sekali setahun karena air tidak sampai ke petak tersier.",
            place=f"Daerah irigasi Desa {desa}",
        )

    issues = [irrigation(1, 1, "Mabat"), irrigation(2, 2, "Jelutung"), irrigation(3, 3, "Rias")]
    assert find_duplicates(issues) == []


def test_the_same_kecamatan_and_desa_is_suggested():
    a = plain(1, 1, "Banjir rob permukiman nelayan", district="Pangkalbalam", village="Ketapang")
    b = plain(2, 2, "Abrasi pantai mengancam rumah", district="Pangkalbalam", village="ketapang")
    assert pairs(find_duplicates([a, b])) == {(1, 2)}


def test_issues_of_the_same_region_are_never_suggested():
    a = plain(1, 1, "Pengendalian banjir DAS Rangkui di pusat Kota Pangkalpinang")
    b = plain(2, 1, "Pengendalian banjir DAS Rangkui di pusat Kota Pangkalpinang")
    assert find_duplicates([a, b]) == []


def test_a_joint_issue_is_not_paired_with_one_of_its_own_regions():
    joint = plain(1, 1, "Normalisasi Sungai Rangkui")
    other = plain(2, 2, "Normalisasi Sungai Rangkui")
    third = plain(3, 3, "Normalisasi Sungai Rangkui")
    spoken_for = {1: {1, 2}, 2: {2}, 3: {3}}
    found = find_duplicates([joint, other, third], regions_of=lambda i: spoken_for[i.pk])
    assert pairs(found) == {(1, 3), (2, 3)}


def test_roads_that_share_only_generic_words_are_not_suggested():
    issues = [
        plain(1, 1, "Peningkatan ruas jalan provinsi Manggar - Gantung", place="Manggar - Gantung"),
        plain(2, 2, "Peningkatan ruas jalan provinsi Sungailiat - Belinyu", place="Sungailiat"),
        plain(3, 3, "Peningkatan ruas jalan provinsi Koba - Toboali", place="Koba - Toboali"),
        plain(4, 4, "Pelebaran Jalan Lingkar Timur", place="Jalan Lingkar Timur"),
        plain(5, 5, "Pelebaran Jalan Lingkar Barat", place="Jalan Lingkar Barat"),
    ]
    assert find_duplicates(issues) == []


def test_suggestions_come_most_alike_first():
    issues = [
        plain(1, 1, "Normalisasi Sungai Rangkui hilir dan pintu air muara"),
        plain(2, 2, "Normalisasi Sungai Rangkui hilir dan pintu air muara"),
        plain(3, 3, "Normalisasi Sungai Rangkui hilir dan pintu air"),
    ]
    scores = [s.score for s in find_duplicates(issues)]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1


def test_a_large_desk_of_issues_sharing_only_common_words_has_no_suggestions():
    issues = [plain(n, n % 7, f"Jalan rusak segmen{n} lokasi{n}") for n in range(1, 301)]
    assert find_duplicates(issues) == []


def test_blocking_misses_no_pair_that_comparing_every_pair_would_find():
    rng = random.Random(7)
    names = ["Rangkui", "Baturusa", "Selan", "Kurau", "Jebus", "Layang", "Manggar", "Toboali"]
    works = ["Normalisasi", "Pengerukan", "Penanganan banjir", "Tanggul", "Rehabilitasi"]
    places = ["Sungai", "Muara", "Hulu", "Pantai"]
    issues = [
        plain(
            n,
            rng.randint(1, 7),
            f"{rng.choice(works)} {rng.choice(places)} {rng.choice(names)} {rng.choice(names)}",
            problem=" ".join(rng.sample(names + works, 4)),
            place=f"{rng.choice(places)} {rng.choice(names)}",
            district=rng.choice(names[:3]),
            village=rng.choice(["", "Air Mesu", "Ketapang"]),
        )
        for n in range(1, 121)
    ]
    everything = find_duplicates(issues)
    profiles = [_profile(issue, {issue.region_id}) for issue in issues]
    idf = _prepare(profiles)
    expected = {
        (a.issue.pk, b.issue.pk)
        for a, b in combinations(profiles, 2)
        if a.regions != b.regions and _compare(a, b, idf) is not None
    }
    assert len(expected) > 20  # the data set has work for the blocking to do
    assert pairs(everything) == expected


def test_one_issue_or_none_has_no_duplicates():
    assert find_duplicates([]) == []
    assert find_duplicates([plain(1, 1, "Normalisasi Sungai Rangkui")]) == []


# Which issues of a desk take part


@pytest.mark.django_db
def test_desk_duplicates_skip_drafts_withdrawn_merged_and_other_desks(
    desk_bina_marga, desk_sda, django_assert_num_queries
):
    title = "Rekonstruksi ruas jalan provinsi Sungailiat - Belinyu"
    first = submitted_issue(desk_bina_marga, "pangkalpinang", title=title)
    second = submitted_issue(desk_bina_marga, "bangka", title=title)
    IssueFactory(desk=desk_bina_marga, region=region("belitung"), title=title)  # a draft
    submitted_issue(desk_bina_marga, "bangka-tengah", status=S.WITHDRAWN, title=title)
    submitted_issue(desk_bina_marga, "bangka-barat", status=S.NEEDS_REVISION, title=title)
    submitted_issue(desk_sda, "belitung-timur", title=title)
    merged = submitted_issue(desk_bina_marga, "bangka-selatan", title=title)
    Issue.objects.filter(pk=merged.pk).update(merged_into=first)

    # Issues with region and field, joint regions; on PostgreSQL also the titles' pg_trgm.
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 2):
        suggestions = desk_duplicates(desk_bina_marga)

    assert pairs(suggestions) == {(first.pk, second.pk)}
    assert suggestions[0].first.region.name and suggestions[0].first.desk.field.code


@pytest.mark.django_db
def test_a_joint_issue_speaks_for_all_its_regions(desk_bina_marga):
    title = "Pengendalian banjir DAS Rangkui di pusat Kota Pangkalpinang"
    joint = submitted_issue(desk_bina_marga, "pangkalpinang", title=title)
    joint.joint_regions.add(region("bangka-tengah"))
    bangka_tengah = submitted_issue(desk_bina_marga, "bangka-tengah", title=title)
    bangka = submitted_issue(desk_bina_marga, "bangka", title=title)
    assert pairs(desk_duplicates(desk_bina_marga)) == {
        (joint.pk, bangka.pk),
        (bangka_tengah.pk, bangka.pk),
    }
