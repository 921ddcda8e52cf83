"""Documents rendered as a server renders them: DEBUG off, static files collected and hashed.

The templates then ask for `css/print.<hash>.css`, and the fonts inside it are
rewritten to hashed names too: the PDF fetcher must read those through the
storage's manifest. Each PDF is read back for its fonts, pages and text.
"""

import logging
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.urls import reverse

from rakortek.core.pdf import DOCUMENT_BASE_URL, StaticOnlyFetcher
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.rendering import RenderOptions
from tests.conftest import production_static_settings
from tests.documents.conftest import decided_issue, flat, lock_board, pdf_reader, pdf_text

STYLESHEETS = {"css/print.css", "css/documents-print.css"}
FONTS = {"fonts/LiberationSans-Regular.ttf", "fonts/LiberationSans-Bold.ttf"}


def embedded_fonts(content: bytes) -> set[str]:
    """The BaseFont of every font the pages use, and whether each has its file embedded."""
    fonts = set()
    for page in pdf_reader(content).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add((str(font["/BaseFont"]).split("+")[-1], embedded))
    return fonts


@pytest.fixture
def long_priority_list(monday_meeting, desk_bina_marga):
    """84 decided issues on the Bina Marga desk, as in the province's real list."""
    for rank in range(1, 85):
        decided_issue(
            desk_bina_marga,
            "bangka",
            title=f"Peningkatan ruas jalan nomor {rank}",
            rank=rank,
            decision="prioritas" if rank <= 40 else "cadangan",
            reason="" if rank <= 40 else "Menunggu anggaran.",
        )
    lock_board(desk_bina_marga)
    return desk_bina_marga


def render(key, meeting, desk=None):
    return SPECS[key].render(meeting, desk, RenderOptions.create())


@pytest.mark.django_db
def test_priority_list_under_production_static_has_its_styles_and_embedded_liberation_fonts(
    monday_meeting, long_priority_list, collected_static
):
    development = render("prioritas", monday_meeting, long_priority_list)
    with override_settings(**production_static_settings(collected_static)):
        production = render("prioritas", monday_meeting, long_priority_list)

    assert production.refused_urls == [] and production.refused_assets == []
    # The same document as in development: same pages, same fonts, all embedded.
    assert production.pages == development.pages
    fonts = embedded_fonts(production.content)
    assert fonts == embedded_fonts(development.content)
    assert {name for name, _embedded in fonts} >= {"Liberation-Sans", "Liberation-Sans-Bold"}
    assert all(embedded for _name, embedded in fonts)
    # The landscape page of the stylesheet: wider than high.
    box = pdf_reader(production.content).pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert "Peningkatan ruas jalan nomor 84" in flat(pdf_text(production.content))


@pytest.mark.django_db
def test_pdffonts_lists_the_embedded_liberation_fonts_of_a_production_recap(
    monday_meeting, decided_desk, production_static, tmp_path
):
    output = render("rekapitulasi", monday_meeting)
    assert output.refused_assets == []
    path = tmp_path / "rekap.pdf"
    path.write_bytes(output.content)
    listing = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing, "no font in the PDF"
    for line in listing:
        assert "Liberation-Sans" in line.split()[0], line
        assert line.split()[-5] == "yes", line  # the "emb" column


@pytest.mark.django_db
def test_the_fetcher_reads_hashed_names_through_the_manifest(production_static):
    from django.contrib.staticfiles.storage import staticfiles_storage

    hashed = staticfiles_storage.url("css/print.css")
    assert hashed != "/static/css/print.css"  # the manifest storage is active
    fetcher = StaticOnlyFetcher()
    body = fetcher.fetch(DOCUMENT_BASE_URL.rstrip("/") + hashed).read()
    assert b"Liberation Sans" in body
    assert fetcher.fetched == ["css/print.css"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "static/stray.txt",  # in STATIC_ROOT but not in the manifest
        "static/staticfiles.json",
        "static/../staticfiles.json",
        "static/%2e%2e/%2e%2e/etc/passwd",
        "static/css/print.000000000000.css",
    ],
)
def test_under_production_static_other_files_are_still_refused(production_static, path):
    (production_static / "stray.txt").write_text("not an asset")
    try:
        fetcher = StaticOnlyFetcher()
        with pytest.raises(ValueError):
            fetcher.fetch(DOCUMENT_BASE_URL + path)
        assert fetcher.refused
    finally:
        (production_static / "stray.txt").unlink()


@pytest.fixture
def static_without_fonts(collected_static, tmp_path):
    """A STATIC_ROOT whose hashed font files went missing (a half-copied deployment)."""
    root = tmp_path / "static"
    shutil.copytree(collected_static, root)
    for font in (root / "fonts").glob("LiberationSans-*.*.ttf"):
        font.unlink()
    with override_settings(**production_static_settings(root)):
        yield root


@pytest.mark.django_db
def test_a_refused_asset_makes_finalisation_fail_and_nothing_is_stored(
    as_secretariat, monday_meeting, decided_desk, static_without_fonts, caplog
):
    url = reverse(
        "documents:finalise",
        kwargs={"slug": monday_meeting.slug, "key": "prioritas", "field_slug": "bina-marga"},
    )
    with caplog.at_level(logging.ERROR, logger="rakortek.documents.services"):
        response = as_secretariat.post(url, follow=True)
    assert response.status_code == 200
    assert not FinalDocument.objects.exists()
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "Dokumen tidak dapat difinalisasi: lembar gaya atau fonnya tidak dapat dibaca di server. "
        "Tidak ada yang disimpan. Beri tahu administrator."
    ]
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "fonts/LiberationSans-Regular." in logged and "not stored" in logged
    assert not list((static_without_fonts.parent / "media").rglob("*.pdf"))


def test_deploy_check_fails_when_the_print_stylesheet_cannot_be_resolved(tmp_path):
    with override_settings(**production_static_settings(tmp_path / "never-collected")):
        with pytest.raises(SystemCheckError, match="rakortek.E001"):
            call_command("check", "--deploy", "--tag", "staticfiles")


def test_deploy_check_fails_when_a_collected_font_is_missing(static_without_fonts):
    with pytest.raises(SystemCheckError, match="LiberationSans-Regular"):
        call_command("check", "--deploy", "--tag", "staticfiles")


def test_deploy_check_passes_once_static_files_are_collected(production_static):
    call_command("check", "--deploy", "--tag", "staticfiles")


@pytest.mark.django_db
def test_every_document_of_the_demo_renders_under_production_static_as_in_development(
    collected_static, settings, tmp_path
):
    from meetings.models import Meeting
    from rakortek.demo import seed as demo

    settings.MEDIA_ROOT = tmp_path / "media"
    demo.seed_all()
    meeting = Meeting.objects.get(slug="rakortek-2022")
    rendered = []
    for spec in SPECS.values():
        if spec.extension != "pdf" or not spec.is_available(meeting):
            continue
        desk = None
        if spec.per_desk:
            desk = next(d for d in meeting.desks.all() if spec.is_available(meeting, d))
        development = spec.render(meeting, desk, RenderOptions.create())
        with override_settings(**production_static_settings(collected_static)):
            production = spec.render(meeting, desk, RenderOptions.create())
        assert production.refused_assets == [] and production.refused_urls == [], spec.key
        assert production.pages == development.pages, spec.key
        fonts = embedded_fonts(production.content)
        assert fonts == embedded_fonts(development.content), spec.key
        assert fonts and all(name.startswith("Liberation-Sans") for name, _ in fonts), spec.key
        assert all(embedded for _name, embedded in fonts), spec.key
        rendered.append(spec.key)
    assert sorted(rendered) == sorted(key for key, spec in SPECS.items() if spec.extension == "pdf")
