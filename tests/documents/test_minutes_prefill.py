"""The minutes' "fill in automatically" adds issue counts and decisions to the suggestions."""

import pytest
from django.urls import reverse

from meetings.models import Minutes
from rakortek.documents.minutes import prefill_minutes
from tests.factories import DeskFactory, MinutesFactory, field

pytestmark = pytest.mark.django_db


def test_plenary_prefill_adds_counts_per_desk_and_region_and_the_decisions(
    monday_meeting, decided_desk, desk_sda
):
    minutes = MinutesFactory(meeting=monday_meeting, discussion="", decisions="")
    text = prefill_minutes(minutes)
    # The meetings app's own suggestions are kept (opening, desks and their chairs).
    assert "Senin, 25 Juli 2022" in text["opening"]
    assert "Desk Bina Marga, dipimpin oleh Sutrisno Hadi" in text["discussion"]
    assert (
        "- Desk Bina Marga: 4 isu (Kabupaten Bangka 1, Kabupaten Belitung 1, "
        "Kabupaten Bangka Tengah 1, Kabupaten Bangka Barat 1, Kota Pangkalpinang 1)."
    ) in text["discussion"]
    assert "- Desk Sumber Daya Air: tidak ada isu." in text["discussion"]
    decisions = text["decisions"]
    assert "Desk Bina Marga: Prioritas 1, Cadangan 1, Dialihkan 1, Belum diputuskan 1." in decisions
    # The list itself is printed once, by the document's Hasil Desk.
    assert "Isu Prioritas (BM-01) sebagaimana tercantum pada Hasil Desk." in decisions
    assert "Rekonstruksi ruas Sungailiat - Belinyu" not in decisions
    assert "BM-03 Jembatan Sungai Cerucuk dialihkan ke BPJN Kepulauan Bangka Belitung." in (
        decisions
    )


def test_desk_prefill_speaks_of_that_desk_only(monday_meeting, decided_desk, desk_sda):
    minutes = MinutesFactory(meeting=monday_meeting, desk=desk_sda, discussion="", decisions="")
    text = prefill_minutes(minutes)
    assert "Bina Marga" not in text.get("discussion", "") + text.get("decisions", "")
    other = MinutesFactory(meeting=monday_meeting, desk=decided_desk, discussion="", decisions="")
    assert "Desk Bina Marga: Prioritas 1" in prefill_minutes(other)["decisions"]


def test_minutes_page_fills_only_empty_sections_with_the_documents_prefill(
    as_secretariat, monday_meeting, decided_desk
):
    minutes = MinutesFactory(meeting=monday_meeting, decisions="")
    url = reverse("meetings:minutes_edit", kwargs={"slug": monday_meeting.slug, "scope": "pleno"})
    data = {
        "revision": minutes.revision,
        "opening": "Dibuka oleh Penjabat Gubernur.",
        "discussion": "Ditulis sendiri oleh notulis.",
        "decisions": "",
        "closing": "",
        "chair_name": "",
        "chair_position": "",
        "note_taker_name": "",
        "place": "Pangkalpinang",
        "date_text": "",
        "prefill": "1",
    }
    response = as_secretariat.post(url, data)
    assert response.status_code == 302
    minutes = Minutes.objects.get(pk=minutes.pk)
    assert minutes.discussion == "Ditulis sendiri oleh notulis."
    assert "Desk Bina Marga: Prioritas 1" in minutes.decisions


def test_prefill_without_issues_adds_nothing_of_its_own(monday_meeting):
    DeskFactory(meeting=monday_meeting, field=field("perumahan"))
    minutes = MinutesFactory(meeting=monday_meeting, discussion="", decisions="")
    text = prefill_minutes(minutes)
    assert "decisions" not in text
    assert "Jumlah isu strategis" not in text.get("discussion", "")
