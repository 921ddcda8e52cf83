"""The letterhead (kop surat) of every document, read from the office profile."""

import base64
import io
import logging
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from rakortek.core.images import strict_decoding
from rakortek.core.pdf import Letterhead
from rakortek.documents.models import OfficeProfile

logger = logging.getLogger(__name__)

MAX_EMBLEM_BYTES = 1024 * 1024
MAX_EMBLEM_PIXELS = 4000
EMBLEM_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


def check_emblem(data: bytes) -> str:
    """The media type of an emblem upload, or ValidationError.

    The file is opened by Pillow, not judged by its name or declared type: only a
    real PNG or JPEG of sane size reaches storage and, later, the PDF renderer.
    """
    if len(data) > MAX_EMBLEM_BYTES:
        raise ValidationError(_("The emblem may be at most 1 MB."), code="too_big")
    try:
        with warnings.catch_warnings(), strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
            # verify() does not decode the pixels; load() finds a truncated file.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise ValidationError(_("Upload a PNG or JPEG image."), code="not_image") from None
    if image_format not in EMBLEM_FORMATS:
        raise ValidationError(_("Upload a PNG or JPEG image."), code="not_image")
    if max(width, height) > MAX_EMBLEM_PIXELS:
        raise ValidationError(
            _("The emblem may be at most %(pixels)d pixels wide and high."),
            code="too_large",
            params={"pixels": MAX_EMBLEM_PIXELS},
        )
    return EMBLEM_FORMATS[image_format]


def emblem_data_uri(profile: OfficeProfile) -> str:
    """The stored emblem as a data: URI (the PDF renderer reads no media files), or ""."""
    if not profile.emblem:
        return ""
    try:
        with profile.emblem.open("rb") as stored:
            data = stored.read(MAX_EMBLEM_BYTES + 1)
        media_type = check_emblem(data)
    except (OSError, ValidationError):
        # A missing or damaged file must not stop every document from printing.
        logger.warning("Letterhead emblem %s cannot be used", profile.emblem.name)
        return ""
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def letterhead_for(profile: OfficeProfile | None = None) -> Letterhead:
    profile = profile or OfficeProfile.load()
    return Letterhead(
        government=profile.government,
        office=profile.office,
        address=profile.address,
        contact=profile.contact,
        city=profile.city,
        logo_url=emblem_data_uri(profile),
    )
