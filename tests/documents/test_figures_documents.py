"""The map and charts in the documents, rendered by WeasyPrint and read back: the recap
and the monitoring report open with them on one page, the notulen's annex holds the map
of priority issues. Drawn as vector paths, labelled in text, nothing fetched."""

from collections import Counter
from decimal import Decimal

import pytest
from pypdf.generic import ContentStream

from issues.models import Issue
from rakortek.documents.catalog import SPECS
from rakortek.documents.rendering import RenderOptions
from rakortek.figures.svg import land
from tests.documents.conftest import decided_issue, flat, pdf_reader
from tests.factories import MinutesFactory

pytestmark = pytest.mark.django_db

# Every straight segment of the coastline is a path's "l" operator in the page's content.
COAST_SEGMENTS = sum(len(shape["ring"]) - 1 for shape in land()["shapes"])


@pytest.fixture
def recap_meeting(monday_meeting, decided_desk, desk_sda):
    decided_issue(
        desk_sda,
        "pangkalpinang",
        title="Pengendalian banjir DAS Rangkui",
        rank=1,
        decision=Issue.Decision.PRIORITY,
        cost=Decimal("42500000000"),
        funding_source=Issue.FundingSource.APBN,
        latitude=Decimal("-2.1300"),
        longitude=Decimal("106.1100"),
    )
    return monday_meeting


def render(meeting, key):
    output = SPECS[key].render(meeting, None, RenderOptions.create())
    # The PDF fetcher refused nothing: no URL outside the app's static files was asked for.
    assert output.refused_urls == [] and output.refused_assets == []
    return output


def operators(reader, page) -> Counter:
    """The content stream's operators of a page, its form XObjects (WeasyPrint's SVG) included."""
    counts = Counter()
    streams = [ContentStream(page.get_contents(), reader)]
    xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
    for xobject in xobjects.values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            streams.append(ContentStream(xobject, reader))
    for stream in streams:
        counts.update(operator for _operands, operator in stream.operations)
    return counts


def test_recap_opens_with_the_map_and_two_charts_on_one_page(recap_meeting):
    reader = pdf_reader(render(recap_meeting, "rekapitulasi").content)
    first, second = reader.pages[0], reader.pages[1]
    text = flat(first.extract_text())
    for label in [
        "Peta sebaran isu strategis",
        "Isu dan isu prioritas per kabupaten/kota",
        "Usulan biaya per sumber pendanaan",
        "Kabupaten Bangka Tengah",
        "Pangkalpinang",
        "APBN",
        "Rp42,5 M",
        "Natural Earth",
    ]:
        assert label in text, label
    ops = operators(reader, first)
    assert ops[b"l"] >= COAST_SEGMENTS and ops[b"m"] >= 6  # the islands as vector paths
    # The recap's table starts on the next page.
    assert "Kab/Kota" not in text and "Kab/Kota" in second.extract_text()
    assert operators(reader, second)[b"l"] < COAST_SEGMENTS


def test_monitoring_report_opens_with_the_priority_map_and_the_followup(
    agreed_meeting, signed_package
):
    reader = pdf_reader(render(agreed_meeting, "tindak-lanjut").content)
    first = reader.pages[0]
    text = flat(first.extract_text())
    for label in [
        "Peta sebaran isu prioritas",
        "Butir kesepakatan per status tindak lanjut, akhir tiap bulan",
        "Isu dan isu prioritas per bidang",
        "Belum Dimulai",
        "Selesai",
    ]:
        assert label in text, label
    assert operators(reader, first)[b"l"] >= COAST_SEGMENTS
    assert "A. Rekapitulasi Status per Bidang" not in text


def test_notulen_annex_holds_the_map_of_priority_issues(recap_meeting):
    MinutesFactory(
        meeting=recap_meeting,
        chair_name="Ir. Kepala Dinas, M.T.",
        note_taker_name="Nurhayati, S.E.",
    )
    reader = pdf_reader(render(recap_meeting, "notulen").content)
    last = reader.pages[-1]
    text = flat(last.extract_text())
    assert "Lampiran: Peta Sebaran Isu Prioritas" in text
    assert "Sungailiat" in text and "Tanjung Pandan" in text
    assert operators(reader, last)[b"l"] >= COAST_SEGMENTS
