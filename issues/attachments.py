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

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

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
    with warnings.catch_warnings():
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


def check_upload(uploaded_file):
    """Check an uploaded file; return a CheckedFile or raise ValidationError.

    Nothing is written anywhere: the caller stores the result.
    """
    name = display_name(getattr(uploaded_file, "name", ""))
    size = uploaded_file.size
    if not size:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_FILE_SIZE:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB per file."),
            code="too_large",
            params={"limit": MAX_FILE_SIZE // (1024 * 1024)},
        )
    uploaded_file.seek(0)
    # Read one byte past the limit so a size the client lied about is still caught.
    data = uploaded_file.read(MAX_FILE_SIZE + 1)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > MAX_FILE_SIZE:
        raise ValidationError(
            _("The file is too large: at most %(limit)s MB per file."),
            code="too_large",
            params={"limit": MAX_FILE_SIZE // (1024 * 1024)},
        )
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
