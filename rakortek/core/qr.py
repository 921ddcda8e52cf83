"""QR codes as data: URIs, the one place that draws them.

The PDF renderer gets a PNG (WeasyPrint draws it at the printed size); the browser
gets an SVG, sharp on a projector at any size.
"""

import segno


def qr_data_uri(text: str, *, svg: bool = False) -> str:
    """A QR code of `text` (error correction M, a two-module quiet zone)."""
    code = segno.make(text, error="m")
    if svg:
        return code.svg_data_uri(scale=8, border=2)
    return code.png_data_uri(scale=6, border=2)
