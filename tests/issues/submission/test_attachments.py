"""Supporting files of an issue: what is accepted, how it is stored, who may see and change it."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image, ImageFile
from pypdf import PdfReader

from issues.models import Attachment, Issue, IssueEvent
from issues.submission.attachments import (
    MAX_FILE_SIZE,
    MAX_FILES_PER_ISSUE,
    attachment_add,
    attachment_delete,
    attachments_add,
    check_upload,
    display_name,
    make_thumbnail,
)
from tests.issues.conftest import close_submission

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


# --- Real files, made here ----------------------------------------------------


def jpeg_bytes(size=(1600, 1200), color=(200, 60, 40), gps=False):
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if gps:
        exif[GPS_IFD] = {1: "S", 2: (2.0, 7.0, 45.0), 3: "E", 4: (106.0, 6.0, 47.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, exif=exif)
    return out.getvalue()


def png_bytes(size=(800, 600), mode="RGBA"):
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200, 128) if mode == "RGBA" else 0).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(text="Lampiran isu strategis"):
    """A small, valid one-page PDF written by hand (offsets computed, so readers accept it)."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def media_files(root):
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_handmade_pdf_is_a_real_pdf():
    reader = PdfReader(io.BytesIO(pdf_bytes("Halo")))
    assert len(reader.pages) == 1
    assert "Halo" in reader.pages[0].extract_text()


# --- What is accepted -----------------------------------------------------------


def test_a_real_jpeg_is_accepted_as_a_photo_with_its_fingerprint():
    data = jpeg_bytes()
    checked = check_upload(upload("foto jalan.jpg", data, "image/jpeg"))
    assert (checked.kind, checked.content_type, checked.extension) == ("foto", "image/jpeg", "jpg")
    assert checked.size == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.display_name == "foto jalan.jpg"
    assert (checked.width, checked.height) == (1600, 1200)


def test_a_png_is_accepted_as_a_photo():
    checked = check_upload(upload("denah.png", png_bytes(), "image/png"))
    assert (checked.kind, checked.content_type, checked.extension) == ("foto", "image/png", "png")


def test_a_pdf_is_accepted_as_a_document():
    checked = check_upload(upload("DED jembatan.pdf", pdf_bytes(), "application/pdf"))
    assert (checked.kind, checked.content_type, checked.extension) == (
        "dokumen",
        "application/pdf",
        "pdf",
    )


def test_the_type_comes_from_the_content_not_the_name():
    checked = check_upload(upload("foto.jpg", png_bytes(), "image/jpeg"))
    assert checked.content_type == "image/png"
    assert checked.extension == "png"


# --- What is refused ------------------------------------------------------------


def refusal(name, data, content_type="application/octet-stream"):
    with pytest.raises(ValidationError) as info:
        check_upload(upload(name, data, content_type))
    assert info.value.messages and all(info.value.messages)
    return info.value.code


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("foto.jpg", b"MZ\x90\x00 this is a Windows program, not a photo" * 10),
        ("foto.jpg", b"just some text pretending to be a photo\n" * 10),
        ("peta.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("peta.jpg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("laporan.pdf", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"),
        ("laporan.html", b"<html><body>hi</body></html>"),
        ("arsip.pdf", b"PK\x03\x04 a zip file"),
    ],
)
def test_anything_but_jpeg_png_or_pdf_content_is_refused(name, data):
    assert refusal(name, data) == "type"


def test_a_truncated_jpeg_is_refused():
    data = jpeg_bytes()
    assert refusal("foto.jpg", data[: len(data) // 2], "image/jpeg") == "broken_image"


def test_a_truncated_jpeg_is_refused_even_when_pillow_was_told_to_tolerate_it(monkeypatch):
    # WeasyPrint sets this process-wide when it is imported.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = jpeg_bytes()
    assert refusal("foto.jpg", data[: len(data) // 2], "image/jpeg") == "broken_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True


def test_a_truncated_png_is_refused():
    data = png_bytes()
    assert refusal("foto.png", data[: len(data) - 40], "image/png") == "broken_image"


def test_a_jpeg_header_with_garbage_after_it_is_refused():
    assert refusal("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00garbage" * 200) == "broken_image"


def test_a_pdf_cut_off_before_its_end_is_refused():
    data = pdf_bytes()
    assert refusal("dokumen.pdf", data[:-60], "application/pdf") == "broken_pdf"


def test_an_empty_file_is_refused():
    assert refusal("kosong.jpg", b"", "image/jpeg") == "empty"


def test_a_file_over_ten_megabytes_is_refused():
    data = b"%PDF-1.4\n" + b"0" * MAX_FILE_SIZE + b"\n%%EOF\n"
    assert refusal("besar.pdf", data, "application/pdf") == "too_large"


def test_a_decompression_bomb_is_refused_without_decoding_it():
    # 12 000 x 12 000 one-bit pixels: a few kilobytes on disk, 144 megapixels in memory.
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, format="PNG")
    assert len(out.getvalue()) < 100_000
    assert refusal("bom.png", out.getvalue(), "image/png") == "too_many_pixels"


def test_a_picture_far_beyond_pillows_own_limit_is_refused():
    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")
    assert refusal("bom.png", out.getvalue(), "image/png") == "too_many_pixels"


@pytest.mark.parametrize(
    "name",
    [
        "C:\\x\\foto.png",
        "..\\..\\windows\\foto.png",
        "C:foto.png",
        "foto\x00.jpg.exe",
        "foto\x1b[31m.jpg",
        "laporan\u202egpj.exe",
    ],
)
def test_names_with_paths_or_control_characters_are_refused(name):
    assert refusal(name, png_bytes(), "image/png") in ("path_in_name", "bad_name")


@pytest.mark.parametrize("name", ["..", ".", "", "   "])
def test_names_that_are_no_names_are_refused(name):
    with pytest.raises(ValidationError):
        display_name(name)


def test_a_very_long_name_is_shortened_for_display_and_keeps_its_extension():
    checked = check_upload(upload("a" * 300 + ".png", png_bytes()))
    assert len(checked.display_name) == 255
    assert checked.display_name.endswith(".png")


# --- Thumbnails -----------------------------------------------------------------


def test_the_thumbnail_is_a_small_jpeg_without_exif_or_location():
    original = jpeg_bytes(size=(4000, 3000), gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get(GPS_IFD) is not None
    thumbnail = Image.open(io.BytesIO(make_thumbnail(original)))
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) <= 320
    assert len(thumbnail.getexif()) == 0
    assert "exif" not in thumbnail.info


def test_a_transparent_png_gets_a_white_background_in_its_thumbnail():
    thumbnail = Image.open(io.BytesIO(make_thumbnail(png_bytes(mode="RGBA"))))
    assert thumbnail.mode == "RGB"
    assert thumbnail.size == (320, 240)


def test_the_thumbnail_is_turned_the_way_the_phone_held_it():
    image = Image.new("RGB", (1200, 600), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to view
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    thumbnail = Image.open(io.BytesIO(make_thumbnail(out.getvalue())))
    assert thumbnail.size == (160, 320)


# --- The services ---------------------------------------------------------------


def test_attachment_add_stores_a_photo_under_a_random_name_inside_media_root(
    draft, delegate_pangkalpinang, media
):
    data = jpeg_bytes(gps=True)
    attachment = attachment_add(
        issue=draft,
        uploaded_file=upload("IMG_2022.jpg", data, "image/jpeg"),
        user=delegate_pangkalpinang,
        caption="  Kondisi jembatan  ",
    )
    attachment.refresh_from_db()
    assert re.fullmatch(r"lampiran/[0-9a-f]{32}\.jpg", attachment.file.name)
    assert re.fullmatch(r"lampiran/thumb/[0-9a-f]{32}\.jpg", attachment.thumbnail.name)
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(media)
    assert not any(stored.is_relative_to(Path(d)) for d in settings.STATICFILES_DIRS)
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))
    # Kept as uploaded, EXIF included; only the thumbnail is stripped.
    assert stored.read_bytes() == data
    assert (attachment.kind, attachment.content_type) == (Attachment.Kind.PHOTO, "image/jpeg")
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.original_name == "IMG_2022.jpg"
    assert attachment.caption == "Kondisi jembatan"
    assert attachment.uploaded_by == delegate_pangkalpinang
    event = draft.events.order_by("-id").first()
    assert (event.kind, event.actor) == (IssueEvent.Kind.EDITED, delegate_pangkalpinang)
    assert "IMG_2022.jpg" in event.reason


def test_two_uploads_of_the_same_file_get_different_names(draft, delegate_pangkalpinang):
    first, second = (
        attachment_add(
            issue=draft, uploaded_file=upload("a.png", png_bytes()), user=delegate_pangkalpinang
        )
        for _ in range(2)
    )
    assert first.file.name != second.file.name
    assert first.sha256 == second.sha256


def test_a_pdf_gets_no_thumbnail(draft, delegate_pangkalpinang):
    attachment = attachment_add(
        issue=draft, uploaded_file=upload("ded.pdf", pdf_bytes()), user=delegate_pangkalpinang
    )
    assert attachment.kind == Attachment.Kind.DOCUMENT
    assert re.fullmatch(r"lampiran/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert not attachment.thumbnail


def test_a_refused_file_leaves_nothing_behind(draft, delegate_pangkalpinang, media):
    with pytest.raises(ValidationError):
        attachment_add(
            issue=draft,
            uploaded_file=upload("foto.jpg", b"<svg></svg>"),
            user=delegate_pangkalpinang,
        )
    assert not Attachment.objects.exists()
    assert media_files(media) == []


def test_an_issue_takes_at_most_ten_files(draft, delegate_pangkalpinang, media):
    for number in range(MAX_FILES_PER_ISSUE):
        attachment_add(
            issue=draft,
            uploaded_file=upload(f"{number}.png", png_bytes(size=(40, 30))),
            user=delegate_pangkalpinang,
        )
    files_before = media_files(media)
    with pytest.raises(ValidationError) as info:
        attachment_add(
            issue=draft, uploaded_file=upload("11.png", png_bytes()), user=delegate_pangkalpinang
        )
    assert info.value.code == "too_many_files"
    assert draft.attachments.count() == MAX_FILES_PER_ISSUE
    assert media_files(media) == files_before


def test_several_files_are_stored_all_or_none(draft, delegate_pangkalpinang, media):
    for number in range(MAX_FILES_PER_ISSUE - 1):
        attachment_add(
            issue=draft,
            uploaded_file=upload(f"{number}.pdf", pdf_bytes()),
            user=delegate_pangkalpinang,
        )
    files_before = media_files(media)
    with pytest.raises(ValidationError):
        attachments_add(
            issue=draft,
            files=[upload("a.jpg", jpeg_bytes()), upload("b.jpg", jpeg_bytes())],
            user=delegate_pangkalpinang,
        )
    assert draft.attachments.count() == MAX_FILES_PER_ISSUE - 1
    assert media_files(media) == files_before


def test_the_services_refuse_an_observer_and_another_region(
    submitted, observer, delegate_bangka, kabid_bina_marga
):
    for user in (observer, delegate_bangka, kabid_bina_marga):
        with pytest.raises(PermissionDenied):
            attachment_add(issue=submitted, uploaded_file=upload("a.png", png_bytes()), user=user)


def test_attachment_delete_removes_the_row_and_both_files(
    draft, delegate_pangkalpinang, media, django_capture_on_commit_callbacks
):
    attachment = attachment_add(
        issue=draft, uploaded_file=upload("a.jpg", jpeg_bytes()), user=delegate_pangkalpinang
    )
    assert len(media_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(attachment=attachment, user=delegate_pangkalpinang)
    assert not Attachment.objects.exists()
    assert media_files(media) == []
    assert "a.jpg" in draft.events.order_by("-id").first().reason


# --- Upload view ----------------------------------------------------------------


def upload_url(issue):
    return reverse("issues:attachment_upload", kwargs={"pk": issue.pk})


def post_files(client, issue, *files, caption=""):
    return client.post(upload_url(issue), {"files": list(files), "caption": caption})


def test_delegate_of_the_region_uploads_several_files_at_once(as_delegate_pangkalpinang, draft):
    response = post_files(
        as_delegate_pangkalpinang,
        draft,
        upload("jalan.jpg", jpeg_bytes(), "image/jpeg"),
        upload("ded.pdf", pdf_bytes(), "application/pdf"),
        caption="Kondisi Juli 2022",
    )
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url() + "#lampiran"
    kinds = sorted(draft.attachments.values_list("kind", flat=True))
    assert kinds == [Attachment.Kind.DOCUMENT, Attachment.Kind.PHOTO]
    assert set(draft.attachments.values_list("caption", flat=True)) == {"Kondisi Juli 2022"}


def test_one_bad_file_among_several_stores_none_and_names_the_culprit(
    as_delegate_pangkalpinang, draft, media
):
    response = post_files(
        as_delegate_pangkalpinang,
        draft,
        upload("jalan.jpg", jpeg_bytes(), "image/jpeg"),
        upload("peta.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"),
    )
    assert response.status_code == 200
    errors = response.context["attachment_form"].errors["files"]
    assert any("peta.svg" in message for message in errors)
    assert not draft.attachments.exists()
    assert media_files(media) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("foto.jpg", b"not a photo at all" * 20),
        ("peta.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>"),
        ("halaman.html", b"<html><script>alert(1)</script></html>"),
        ("kosong.jpg", b""),
        ("../../etc/passwd.jpg", b"root:x:0:0:root:/root:/bin/bash\n"),
    ],
)
def test_hostile_uploads_are_refused_with_a_message_and_nothing_is_stored(
    as_delegate_pangkalpinang, draft, media, name, data
):
    response = post_files(as_delegate_pangkalpinang, draft, upload(name, data))
    assert response.status_code == 200
    assert response.context["attachment_form"].errors["files"]
    assert not Attachment.objects.exists()
    assert media_files(media) == []


def raw_multipart(filename, data):
    """A multipart body with the file name exactly as given (the test client would clean it)."""
    boundary = "----rakortek-test-boundary"
    parts = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="files"; filename="{filename}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return parts, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "filename", ["../../etc/foto.jpg", "..\\..\\windows\\foto.jpg", "C:\\x\\foto.jpg"]
)
def test_a_path_in_the_uploaded_name_never_reaches_the_disk(
    as_delegate_pangkalpinang, draft, media, filename
):
    payload, content_type = raw_multipart(filename, jpeg_bytes())
    response = as_delegate_pangkalpinang.post(
        upload_url(draft), data=payload, content_type=content_type
    )
    assert response.status_code == 302
    attachment = draft.attachments.get()
    # Only the last part of the name is kept, as display text; the disk name is random.
    assert attachment.original_name == "foto.jpg"
    assert re.fullmatch(r"lampiran/[0-9a-f]{32}\.jpg", attachment.file.name)
    assert all(path.is_relative_to(media / "lampiran") for path in media_files(media))


def test_a_path_in_the_uploaded_name_with_bad_content_is_refused(
    as_delegate_pangkalpinang, draft, media
):
    payload, content_type = raw_multipart(
        "../../etc/passwd.jpg", b"root:x:0:0:root:/root:/bin/sh\n"
    )
    response = as_delegate_pangkalpinang.post(
        upload_url(draft), data=payload, content_type=content_type
    )
    assert response.status_code == 200
    assert response.context["attachment_form"].errors["files"]
    assert media_files(media) == []


def test_an_oversize_upload_is_refused_by_the_view(as_delegate_pangkalpinang, draft, media):
    big = b"%PDF-1.4\n" + b"0" * MAX_FILE_SIZE + b"%%EOF\n"
    response = post_files(as_delegate_pangkalpinang, draft, upload("besar.pdf", big))
    assert response.status_code == 200
    assert response.context["attachment_form"].errors["files"]
    assert media_files(media) == []


def test_the_upload_form_also_works_as_a_page_of_its_own(as_delegate_pangkalpinang, draft):
    response = as_delegate_pangkalpinang.get(upload_url(draft))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert "multiple" in response.text


def test_secretariat_may_attach_to_any_region_even_after_submission(as_secretariat, submitted):
    response = post_files(as_secretariat, submitted, upload("a.png", png_bytes()))
    assert response.status_code == 302
    assert submitted.attachments.count() == 1


def test_delegate_may_not_attach_once_the_issue_is_submitted(as_delegate_pangkalpinang, submitted):
    response = post_files(as_delegate_pangkalpinang, submitted, upload("a.png", png_bytes()))
    assert response.status_code == 403
    assert not submitted.attachments.exists()


def test_delegate_may_not_attach_after_submission_closes(as_delegate_pangkalpinang, draft):
    close_submission(draft.meeting)
    response = post_files(as_delegate_pangkalpinang, draft, upload("a.png", png_bytes()))
    assert response.status_code == 403


def test_another_regions_delegate_gets_404_on_upload(as_delegate_bangka, draft):
    response = post_files(as_delegate_bangka, draft, upload("a.png", png_bytes()))
    assert response.status_code == 404
    assert not draft.attachments.exists()


def test_observer_and_desk_head_get_403_on_upload(as_observer, as_kabid_bina_marga, submitted):
    for client in (as_observer, as_kabid_bina_marga):
        response = post_files(client, submitted, upload("a.png", png_bytes()))
        assert response.status_code == 403
    assert not submitted.attachments.exists()


def test_anonymous_upload_is_sent_to_log_in(client, draft):
    response = post_files(client, draft, upload("a.png", png_bytes()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not draft.attachments.exists()


# --- Download and thumbnail views -------------------------------------------------


@pytest.fixture
def photo(draft, delegate_pangkalpinang):
    return attachment_add(
        issue=draft,
        uploaded_file=upload('Foto "jalan" rusak.jpg', jpeg_bytes(gps=True), "image/jpeg"),
        user=delegate_pangkalpinang,
    )


@pytest.fixture
def document(draft, delegate_pangkalpinang):
    return attachment_add(
        issue=draft,
        uploaded_file=upload("DED Jembatan.pdf", pdf_bytes(), "application/pdf"),
        user=delegate_pangkalpinang,
    )


def file_url(name, attachment):
    return reverse(
        f"issues:attachment_{name}",
        kwargs={"pk": attachment.issue_id, "attachment_pk": attachment.pk},
    )


def body(response):
    return b"".join(response.streaming_content)


def test_a_photo_is_served_inline_with_safe_headers(as_delegate_pangkalpinang, photo):
    response = as_delegate_pangkalpinang.get(file_url("download", photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert "rusak.jpg" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "private" in response["Cache-Control"]
    assert body(response) == photo.file.open("rb").read()


def test_a_pdf_is_served_inline_and_can_be_forced_to_download(as_delegate_pangkalpinang, document):
    response = as_delegate_pangkalpinang.get(file_url("download", document))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "script-src" not in response["Content-Security-Policy"]
    assert body(response).startswith(b"%PDF-")
    forced = as_delegate_pangkalpinang.get(file_url("download", document) + "?unduh=1")
    assert forced["Content-Disposition"].startswith("attachment;")
    assert 'filename="DED Jembatan.pdf"' in forced["Content-Disposition"]


def test_behind_nginx_an_attachment_is_handed_over_with_its_headers(
    settings, as_delegate_pangkalpinang, as_delegate_bangka, document
):
    settings.PROTECTED_FILES_ACCEL_PREFIX = "/_protected"
    response = as_delegate_pangkalpinang.get(file_url("download", document) + "?unduh=1")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected/{document.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="DED Jembatan.pdf"' == response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert as_delegate_bangka.get(file_url("download", document)).status_code == 404


def test_the_download_name_carries_the_extension_of_the_stored_type(
    as_delegate_pangkalpinang, draft, delegate_pangkalpinang
):
    attachment = attachment_add(
        issue=draft, uploaded_file=upload("denah.jpg", png_bytes()), user=delegate_pangkalpinang
    )
    response = as_delegate_pangkalpinang.get(file_url("download", attachment) + "?unduh=1")
    assert response["Content-Type"] == "image/png"
    assert 'filename="denah.png"' in response["Content-Disposition"]


def test_the_thumbnail_is_served_as_a_small_jpeg(as_delegate_pangkalpinang, photo):
    response = as_delegate_pangkalpinang.get(file_url("thumbnail", photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    image = Image.open(io.BytesIO(body(response)))
    assert max(image.size) <= 320
    assert len(image.getexif()) == 0


def test_a_document_has_no_thumbnail(as_delegate_pangkalpinang, document):
    assert as_delegate_pangkalpinang.get(file_url("thumbnail", document)).status_code == 404


def test_another_region_cannot_fetch_a_draft_file(as_delegate_bangka, photo):
    for name in ("download", "thumbnail"):
        assert as_delegate_bangka.get(file_url(name, photo)).status_code == 404


def test_an_attachment_is_only_found_under_its_own_issue(
    as_delegate_pangkalpinang, photo, bangka_draft, delegate_bangka
):
    other = attachment_add(
        issue=bangka_draft, uploaded_file=upload("b.png", png_bytes()), user=delegate_bangka
    )
    url = reverse(
        "issues:attachment_download", kwargs={"pk": photo.issue_id, "attachment_pk": other.pk}
    )
    assert as_delegate_pangkalpinang.get(url).status_code == 404


def test_observer_and_desk_head_may_read_files_of_a_submitted_issue(
    as_observer, as_kabid_bina_marga, submitted, secretariat
):
    attachment = attachment_add(
        issue=submitted, uploaded_file=upload("a.jpg", jpeg_bytes()), user=secretariat
    )
    for client in (as_observer, as_kabid_bina_marga):
        assert client.get(file_url("download", attachment)).status_code == 200
        assert client.get(file_url("thumbnail", attachment)).status_code == 200


def test_observer_does_not_find_a_files_of_a_draft(as_observer, photo):
    assert as_observer.get(file_url("download", photo)).status_code == 404


def test_anonymous_download_is_sent_to_log_in(client, photo):
    for name in ("download", "thumbnail"):
        response = client.get(file_url(name, photo))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_files_are_not_reachable_under_media_url(as_secretariat, photo):
    assert as_secretariat.get(settings.MEDIA_URL + photo.file.name).status_code == 404
    assert as_secretariat.get("/static/" + photo.file.name).status_code == 404


# --- Delete view ----------------------------------------------------------------


def test_delegate_confirms_then_deletes_a_file(
    as_delegate_pangkalpinang, photo, media, django_capture_on_commit_callbacks
):
    url = file_url("delete", photo)
    confirm = as_delegate_pangkalpinang.get(url)
    assert confirm.status_code == 200
    assert Attachment.objects.filter(pk=photo.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_delegate_pangkalpinang.post(url)
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=photo.pk).exists()
    assert media_files(media) == []


def test_another_region_gets_404_on_delete(as_delegate_bangka, photo):
    assert as_delegate_bangka.post(file_url("delete", photo)).status_code == 404
    assert Attachment.objects.filter(pk=photo.pk).exists()


def test_observer_and_desk_head_get_403_on_delete(
    as_observer, as_kabid_bina_marga, submitted, secretariat
):
    attachment = attachment_add(
        issue=submitted, uploaded_file=upload("a.png", png_bytes()), user=secretariat
    )
    for client in (as_observer, as_kabid_bina_marga):
        assert client.get(file_url("delete", attachment)).status_code == 403
        assert client.post(file_url("delete", attachment)).status_code == 403
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_secretariat_deletes_a_file_of_a_submitted_issue(as_secretariat, submitted, secretariat):
    attachment = attachment_add(
        issue=submitted, uploaded_file=upload("a.png", png_bytes()), user=secretariat
    )
    assert as_secretariat.post(file_url("delete", attachment)).status_code == 302
    assert not submitted.attachments.exists()


def test_anonymous_delete_is_sent_to_log_in(client, photo):
    response = client.post(file_url("delete", photo))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Attachment.objects.filter(pk=photo.pk).exists()


# --- The block on the issue page ----------------------------------------------------


def render_block(user, issue, **context):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "issues/submission/attachments/_block.html",
        {"issue": issue, "user": user, **context},
        request=request,
    )


def test_the_block_shows_thumbnails_documents_and_the_form_with_one_query(
    delegate_pangkalpinang, photo, document, django_assert_num_queries
):
    issue = Issue.objects.get(pk=photo.issue_id)
    with django_assert_num_queries(1):
        html = render_block(delegate_pangkalpinang, issue, can_edit=True)
    assert file_url("thumbnail", photo) in html
    assert file_url("download", document) in html
    assert "DED Jembatan.pdf" in html
    assert f'action="{upload_url(issue)}"' in html
    assert file_url("delete", photo) in html
    # The thumbnail is what the page shows; the original (with its EXIF) only on request.
    assert f'src="{file_url("download", photo)}"' not in html


def test_the_block_has_no_form_or_delete_links_for_a_reader(observer, submitted, secretariat):
    attachment = attachment_add(
        issue=submitted, uploaded_file=upload("a.png", png_bytes()), user=secretariat
    )
    html = render_block(observer, submitted, can_edit=False)
    assert file_url("thumbnail", attachment) in html
    assert f'action="{upload_url(submitted)}"' not in html
    assert file_url("delete", attachment) not in html


def test_the_block_escapes_the_users_file_name_and_caption(delegate_pangkalpinang, draft, media):
    attachment_add(
        issue=draft,
        uploaded_file=upload("<img src=x onerror=alert(1)>.pdf", pdf_bytes()),
        user=delegate_pangkalpinang,
        caption="<script>alert(1)</script>",
    )
    html = render_block(delegate_pangkalpinang, draft, can_edit=True)
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_the_issue_page_shows_the_files_and_the_upload_form_to_its_region(
    as_delegate_pangkalpinang, photo, document
):
    response = as_delegate_pangkalpinang.get(photo.issue.get_absolute_url())
    assert response.status_code == 200
    assert file_url("thumbnail", photo) in response.text
    assert "DED Jembatan.pdf" in response.text
    assert f'action="{upload_url(photo.issue)}"' in response.text


def test_the_issue_page_shows_files_but_no_upload_form_to_an_observer(
    as_observer, submitted, secretariat
):
    attachment = attachment_add(
        issue=submitted, uploaded_file=upload("a.png", png_bytes()), user=secretariat
    )
    response = as_observer.get(submitted.get_absolute_url())
    assert file_url("thumbnail", attachment) in response.text
    assert f'action="{upload_url(submitted)}"' not in response.text
