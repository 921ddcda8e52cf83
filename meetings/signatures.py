"""Hand-drawn signatures: checking what a browser posts, and reading them back for documents.

The signature pad (static/js/signature.js) posts a `data:image/png;base64,...`
URL. It comes from an anonymous phone, so it is distrusted completely: only a
PNG data URL of bounded size is decoded, Pillow must read the whole image,
its dimensions are bounded, it must contain some ink, and what is stored is
a fresh PNG written by Pillow from the decoded pixels (no chunk of the
posted file survives).
"""

import base64
import binascii
import io
import re
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from rakortek.core.images import strict_decoding

MAX_BYTES = 300 * 1024
MAX_WIDTH = 1200
MAX_HEIGHT = 600
MIN_WIDTH = 100
MIN_HEIGHT = 40
# Fewer dark pixels than this is an empty pad or a dot, not a signature.
MIN_INK_PIXELS = 60

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"
# Base64 grows data by 4/3; anything longer cannot decode to an acceptable file.
MAX_DATA_URL_LENGTH = len(DATA_URL_PREFIX) + (MAX_BYTES * 4 // 3) + 4
BASE64_CHARS = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def _invalid(message, code):
    return ValidationError(message, code=code)


def _not_png():
    return _invalid(
        _("The signature could not be read. Clear the pad with “Redo” and sign again."),
        "not_png",
    )


def decode_data_url(value: str) -> bytes:
    """The checked, re-encoded PNG bytes of a posted signature, or ValidationError."""
    value = (value or "").strip()
    if not value:
        raise _invalid(_("Please sign in the box before you submit."), "required")
    if len(value) > MAX_DATA_URL_LENGTH:
        raise _invalid(
            _("The signature is too large (at most %(size)s KB).") % {"size": MAX_BYTES // 1024},
            "too_large",
        )
    if not value.lower().startswith(DATA_URL_PREFIX):
        raise _not_png()
    payload = value[len(DATA_URL_PREFIX) :]
    if not BASE64_CHARS.fullmatch(payload):
        raise _not_png()
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise _not_png() from None
    return check_png(data)


def check_png(data: bytes) -> bytes:
    """Check PNG bytes as a signature and return a clean re-encoding of them."""
    if len(data) > MAX_BYTES:
        raise _invalid(
            _("The signature is too large (at most %(size)s KB).") % {"size": MAX_BYTES // 1024},
            "too_large",
        )
    if not data.startswith(PNG_MAGIC):
        raise _not_png()
    with warnings.catch_warnings(), strict_decoding():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != "PNG":
                    raise _not_png()
                width, height = image.size
                if width > MAX_WIDTH or height > MAX_HEIGHT:
                    raise _invalid(
                        _("The signature image is too large (at most %(w)s × %(h)s pixels).")
                        % {"w": MAX_WIDTH, "h": MAX_HEIGHT},
                        "too_many_pixels",
                    )
                if width < MIN_WIDTH or height < MIN_HEIGHT:
                    raise _not_png()
                image.load()
                pixels = image.convert("RGBA")
        except ValidationError:
            raise
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
            OSError,
            SyntaxError,
            ValueError,
            EOFError,
        ):
            raise _not_png() from None
    if ink_pixels(pixels) < MIN_INK_PIXELS:
        raise _invalid(_("The signature is empty. Please sign in the box."), "blank")
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=True)
    return out.getvalue()


# A re-encoding is normally smaller than what was posted, but never trust that blindly.
MAX_STORED_BYTES = 2 * MAX_BYTES


def ink_pixels(image: Image.Image) -> int:
    """How many pixels are visibly dark once the image is laid on white paper."""
    paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
    paper.alpha_composite(image)
    histogram = paper.convert("L").histogram()
    return sum(histogram[:160])


def signature_data_uri(participant) -> str:
    """The participant's stored signature as a PNG data URI (for the PDF renderer), or ""."""
    if not participant.signature:
        return ""
    try:
        with participant.signature.open("rb") as stored:
            data = stored.read(MAX_STORED_BYTES + 1)
    except (FileNotFoundError, OSError):
        return ""
    if len(data) > MAX_STORED_BYTES or not data.startswith(PNG_MAGIC):
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
