"""Letterhead settings: the default row, the secretariat's page, the emblem check, the PDFs."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image

from rakortek.documents.catalog import SPECS
from rakortek.documents.models import OfficeProfile
from rakortek.documents.office import letterhead_for
from rakortek.documents.rendering import RenderOptions
from tests.documents.conftest import flat, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

URL = reverse("documents:office_profile")


def image_bytes(image_format="PNG", size=(120, 140)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, image_format)
    return out.getvalue()


def form_data(**changes):
    data = {
        "government": "PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG",
        "office": "DINAS PUPRPRKP",
        "address": "Jalan Pulau Bangka, Air Itam, Pangkalpinang 33149",
        "contact": "Telp. (0717) 439700 · pupr@babelprov.go.id",
        "city": "Pangkalpinang",
        "paper": "A4",
    }
    data.update(changes)
    return data


def test_migration_creates_the_letterhead_with_the_office_names():
    profile = OfficeProfile.objects.get(pk=1)
    assert profile.government == "PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG"
    assert profile.office == (
        "DINAS PEKERJAAN UMUM, PENATAAN RUANG DAN PERUMAHAN RAKYAT KAWASAN PERMUKIMAN"
    )
    assert (profile.city, profile.paper) == ("Pangkalpinang", "A4")


def test_only_one_letterhead_row_can_exist():
    with pytest.raises(IntegrityError):
        OfficeProfile.objects.create(pk=2)


def test_secretariat_saves_the_letterhead_with_an_emblem(as_secretariat, secretariat):
    upload = SimpleUploadedFile("lambang.png", image_bytes(), content_type="image/png")
    response = as_secretariat.post(URL, {**form_data(paper="F4"), "emblem": upload})
    assert response.status_code == 302
    profile = OfficeProfile.load()
    assert profile.office == "DINAS PUPRPRKP"
    assert profile.paper == "F4"
    assert profile.updated_by == secretariat
    assert profile.emblem.name.startswith("kop/") and profile.emblem.name.endswith(".png")
    assert "lambang" not in profile.emblem.name
    letterhead = letterhead_for(profile)
    assert letterhead.logo_url.startswith("data:image/png;base64,")
    emblem = as_secretariat.get(reverse("documents:office_emblem"))
    assert emblem.status_code == 200 and emblem["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("lambang.png", b"GIF89a not really a png", "image/png"),
        ("lambang.png", image_bytes()[:200], "image/png"),  # truncated
        ("lambang.gif", image_bytes("GIF"), "image/gif"),
        ("lambang.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
    ],
)
def test_anything_but_a_whole_png_or_jpeg_emblem_is_refused(
    as_secretariat, name, content, content_type
):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = as_secretariat.post(URL, {**form_data(office="KANTOR BARU"), "emblem": upload})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["emblem"]
    # What was typed is kept, and nothing was saved.
    assert form["office"].value() == "KANTOR BARU"
    assert OfficeProfile.load().office != "KANTOR BARU"
    assert not OfficeProfile.load().emblem


def test_a_required_name_left_empty_gets_a_message(as_secretariat):
    response = as_secretariat.post(URL, form_data(office=""))
    assert response.status_code == 200
    assert response.context["form"].errors["office"]


def test_documents_print_the_letterhead_and_emblem(as_secretariat, monday_meeting, decided_desk):
    upload = SimpleUploadedFile("lambang.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    as_secretariat.post(URL, {**form_data(), "emblem": upload})
    output = SPECS["prioritas"].render(monday_meeting, decided_desk, RenderOptions.create())
    assert output.refused_urls == []
    reader = pdf_reader(output.content)
    assert len(reader.pages[0].images) == 1
    text = flat(pdf_text(output.content))
    assert "DINAS PUPRPRKP" in text
    assert "Jalan Pulau Bangka, Air Itam, Pangkalpinang 33149" in text
    assert "Telp. (0717) 439700" in text


def test_removing_the_emblem_deletes_its_file(as_secretariat, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("lambang.png", image_bytes(), content_type="image/png")
    as_secretariat.post(URL, {**form_data(), "emblem": upload})
    profile = OfficeProfile.load()
    storage, name = profile.emblem.storage, profile.emblem.name
    with django_capture_on_commit_callbacks(execute=True):
        as_secretariat.post(URL, {**form_data(), "remove_emblem": "on"})
    assert not OfficeProfile.load().emblem
    assert not storage.exists(name)
