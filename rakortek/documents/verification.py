"""What a final document prints so that a paper copy can be checked: number, link, QR code."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PendingDocument:
    """Number, version and verification link of a document about to be rendered.

    The link must be printed inside the PDF (as a QR code) before the PDF's own
    fingerprint exists, so the code is reserved first and the bytes stored after.
    """

    number: str
    version: int
    verification_code: str
    verification_url: str
    # The year's sequence number printed in `number` (None: not a numbered document).
    sequence: int | None = None
    # Signed electronically at finalisation: the template reserves the signature's box.
    signed: bool = False
