"""Supporting files of an issue: what may be uploaded, and how it is stored.

Uploads are judged by their content, never by their name or the type the
browser claims: JPEG and PNG photos are fully decoded with Pillow, PDF
documents must open with `%PDF-` and end with `%%EOF`. Anything else (SVG,
HTML, a program renamed to .jpg, a truncated photo) is refused before a byte
is written. Accepted files are stored under a random name chosen from the
detected type; the name the user gave is kept only as display text.
"""

import hashlib
import io
import re
import unicodedata
import uuid
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from issues.models import Attachment, Issue, IssueEvent
from issues.selectors import can_edit_issue, may_write_as_region
from rakortek.core.forms import ChooseForm
from rakortek.core.images import strict_decoding

MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_FILES_PER_ISSUE = 10
# A 50-megapixel photo decodes to about 150 MB of RGB; anything larger is
# refused rather than allowed to exhaust the server's memory.
MAX_IMAGE_PIXELS = 50_000_000
THUMBNAIL_SIZE = (320, 320)
MAX_DISPLAY_NAME = 255

PHOTO = "foto"
DOCUMENT = "dokumen"

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF-"
PDF_EOF = b"%%EOF"

# Detected type -> (kind, content type, extension, Pillow format).
TYPES = {
    "jpeg": (PHOTO, "image/jpeg", "jpg", "JPEG"),
    "png": (PHOTO, "image/png", "png", "PNG"),
    "pdf": (DOCUMENT, "application/pdf", "pdf", None),
}

DRIVE = re.compile(r"^[A-Za-z]:")

ACCEPT = ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with everything needed to store it."""

    kind: str
    content_type: str
    extension: str
    data: bytes
    size: int
    sha256: str
    display_name: str
    width: int | None = None
    height: int | None = None

    @property
    def is_photo(self):
        return self.kind == PHOTO

    def random_name(self):
        """A fresh storage name: nothing about it comes from the user."""
        return f"{uuid.uuid4().hex}.{self.extension}"


def display_name(name):
    """The name the user gave, checked to be a plain file name.

    Browsers send only a base name; anything that looks like a path, or that
    carries control or direction-override characters (which can make
    "exe.jpg" read as "gpj.exe"), is refused rather than silently repaired.
    """
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise ValidationError(_("The file has no name."), code="no_name")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise ValidationError(
            _("The file name contains characters that are not allowed. Rename the file and retry."),
            code="bad_name",
        )
    if "/" in name or "\\" in name or name in (".", "..") or DRIVE.match(name):
        raise ValidationError(
            _("The file name must not contain a folder path. Rename the file and retry."),
            code="path_in_name",
        )
    if len(name) > MAX_DISPLAY_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[: MAX_DISPLAY_NAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_DISPLAY_NAME]
    return name


def detect_type(head):
    """The type named by the first bytes of a file, or None."""
    if head.startswith(JPEG_MAGIC):
        return "jpeg"
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(PDF_MAGIC):
        return "pdf"
    return None


def _refuse_type():
    return ValidationError(
        _("Only JPEG or PNG photos and PDF documents can be attached. This file is neither."),
        code="type",
    )


def _check_pdf(data):
    # A complete PDF ends with %%EOF, possibly followed by a line break or a
    # little padding; a file cut off during upload does not.
    if PDF_EOF not in data[-1024:]:
        raise ValidationError(
            _("This PDF is incomplete or damaged. Save it again and retry."), code="broken_pdf"
        )


def _open_image(data, expected_format):
    """Decode the whole image, refusing bombs, broken files and type mismatches."""
    broken = ValidationError(
        _("This photo is damaged or incomplete and cannot be opened."), code="broken_image"
    )
    too_big = ValidationError(
        _("This photo has too many pixels (at most %(limit)s million). Reduce its size and retry."),
        code="too_many_pixels",
        params={"limit": MAX_IMAGE_PIXELS // 1_000_000},
    )
    with warnings.catch_warnings(), strict_decoding():
        # Pillow only warns below twice its own limit; treat the warning as the error it is.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != expected_format:
                    raise _refuse_type()
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise too_big
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_big from None
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise broken from None
    return image


def check_upload(uploaded_file, *, max_size=MAX_FILE_SIZE):
    """Check an uploaded file; return a CheckedFile or raise ValidationError.

    Nothing is written anywhere: the caller stores the result. `max_size` (bytes)
    is larger only for documents that are big by nature, such as a signed scan.
    """
    name = display_name(getattr(uploaded_file, "name", ""))
    size = uploaded_file.size
    too_large = ValidationError(
        _("The file is too large: at most %(limit)s MB per file."),
        code="too_large",
        params={"limit": max_size // (1024 * 1024)},
    )
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_size:
        raise too_large
    uploaded_file.seek(0)
    # Read one byte past the limit so a size the client lied about is still caught.
    data = uploaded_file.read(max_size + 1)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > max_size:
        raise too_large
    detected = detect_type(data[:16])
    if detected is None:
        raise _refuse_type()
    kind, content_type, extension, pillow_format = TYPES[detected]
    width = height = None
    if pillow_format:
        image = _open_image(data, pillow_format)
        width, height = image.size
        image.close()
    else:
        _check_pdf(data)
    return CheckedFile(
        kind=kind,
        content_type=content_type,
        extension=extension,
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        display_name=name,
        width=width,
        height=height,
    )


def make_thumbnail(data):
    """A small JPEG of a photo for slow phones; it carries no EXIF (so no GPS position)."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))
        # Phones store "rotate me" in EXIF; apply it, since the thumbnail drops EXIF.
        image = ImageOps.exif_transpose(image)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.getchannel("A"))
            image = background
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail(THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=75, optimize=True)
    return out.getvalue()


# --- Services ----------------------------------------------------------------


def may_change_attachments(user, issue):
    """The secretariat always; the issue's region while it may still edit the issue."""
    if user.is_secretariat:
        return True
    return may_write_as_region(user, issue) and can_edit_issue(user, issue)


def _record(issue, user, reason):
    IssueEvent.objects.create(issue=issue, actor=user, kind=IssueEvent.Kind.EDITED, reason=reason)


def _delete_files(*names):
    for name in names:
        if name:
            default_storage.delete(name)


def store_checked(record, checked: CheckedFile, caption: str = ""):
    """Fill a stored file's record (an Attachment or a follow-up's evidence: fields kind,
    file, thumbnail, original_name, content_type, size, sha256, caption) from a checked
    upload, writing the file under a random name and, for a photo, its thumbnail. The
    caller saves the record, and deletes the files if that fails."""
    record.kind = Attachment.Kind.PHOTO if checked.is_photo else Attachment.Kind.DOCUMENT
    record.original_name = checked.display_name
    record.content_type = checked.content_type
    record.size = checked.size
    record.sha256 = checked.sha256
    record.caption = caption.strip()[:200]
    name = checked.random_name()
    record.file.save(name, ContentFile(checked.data), save=False)
    if checked.is_photo:
        stem = name.rsplit(".", 1)[0]
        record.thumbnail.save(f"{stem}.jpg", ContentFile(make_thumbnail(checked.data)), save=False)
    return record


@transaction.atomic
def attachment_add(*, issue: Issue, uploaded_file, user, caption: str = "") -> Attachment:
    """Store one checked file of `issue` under a random name, with a thumbnail for photos.

    `uploaded_file` is an uploaded file, or the CheckedFile that the upload form
    already made of it (so a photo is not decoded twice).
    """
    checked = uploaded_file if isinstance(uploaded_file, CheckedFile) else None
    checked = checked or check_upload(uploaded_file)
    # The lock serialises uploads to one issue, so two at once cannot pass the limit.
    issue = Issue.objects.select_for_update().select_related("meeting").get(pk=issue.pk)
    if not may_change_attachments(user, issue):
        raise PermissionDenied
    if issue.attachments.count() >= MAX_FILES_PER_ISSUE:
        raise ValidationError(
            _("An issue can have at most %(limit)s files. Delete one first."),
            code="too_many_files",
            params={"limit": MAX_FILES_PER_ISSUE},
        )
    attachment = Attachment(issue=issue, uploaded_by=user)
    try:
        store_checked(attachment, checked, caption)
        attachment.save()
        _record(issue, user, gettext("File attached: %(name)s") % {"name": checked.display_name})
    except BaseException:
        _delete_files(attachment.file.name, attachment.thumbnail.name)
        raise
    return attachment


@transaction.atomic
def attachments_add(*, issue: Issue, files, user, caption: str = "") -> list[Attachment]:
    """Several files at once: all are stored, or none."""
    added = []
    try:
        for file in files:
            added.append(
                attachment_add(issue=issue, uploaded_file=file, user=user, caption=caption)
            )
    except BaseException:
        # The rows roll back with the transaction; the files written so far must go too.
        _delete_files(*(name for a in added for name in (a.file.name, a.thumbnail.name)))
        raise
    return added


@transaction.atomic
def attachment_delete(*, attachment: Attachment, user) -> None:
    issue = Issue.objects.select_for_update().select_related("meeting").get(pk=attachment.issue_id)
    if not may_change_attachments(user, issue):
        raise PermissionDenied
    names = (attachment.file.name, attachment.thumbnail.name)
    display = attachment.original_name
    attachment.delete()
    _record(issue, user, gettext("File deleted: %(name)s") % {"name": display})
    # The files go only once the row is gone for good; a rollback keeps both.
    transaction.on_commit(lambda: _delete_files(*names))


# --- Upload form ---------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class AttachmentForm(ChooseForm):
    files = MultipleFileField(label=_("Photos or documents"))
    caption = forms.CharField(
        label=_("Caption (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: Kondisi jalan km 12, Juli 2022."),
    )

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.issue = issue
        self.fields["files"].help_text = gettext(
            "JPEG or PNG photos and PDF documents, at most %(size)s MB each; "
            "up to %(limit)s files per issue."
        ) % {"size": MAX_FILE_SIZE // (1024 * 1024), "limit": MAX_FILES_PER_ISSUE}

    def clean_files(self):
        files = self.cleaned_data["files"]
        room = MAX_FILES_PER_ISSUE - self.issue.attachments.count()
        if len(files) > room:
            raise ValidationError(
                _("An issue can have at most %(limit)s files; %(room)s more can be added."),
                code="too_many_files",
                params={"limit": MAX_FILES_PER_ISSUE, "room": max(room, 0)},
            )
        checked, errors = [], []
        for file in files:
            try:
                checked.append(check_upload(file))
            except ValidationError as error:
                # Name the file, so that with several at once the user knows which one.
                label = getattr(file, "name", "") or "?"
                errors.extend(f"{label}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return checked
