import hashlib
import secrets
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from rakortek.documents.models import FinalDocument


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


def _versions(*, meeting, kind, desk):
    return FinalDocument.objects.filter(meeting=meeting, kind=kind, desk=desk)


def document_prepare(*, meeting, kind: str, desk=None) -> PendingDocument:
    """Reserve the next version's number and verification code (nothing is written yet)."""
    last = _versions(meeting=meeting, kind=kind, desk=desk).order_by("-version").first()
    version = (last.version + 1) if last else 1
    code = secrets.token_urlsafe(12)
    url = settings.SITE_URL.rstrip("/") + reverse("documents:verify", kwargs={"code": code})
    scope = f"{desk.field.code}/" if desk is not None else ""
    number = f"{kind.upper().replace('_', '-')}/{scope}{meeting.slug.upper()}/V{version}"
    return PendingDocument(
        number=number, version=version, verification_code=code, verification_url=url
    )


@transaction.atomic
def document_store(
    *,
    meeting,
    kind: str,
    title: str,
    pending: PendingDocument,
    content: bytes,
    content_type: str,
    user,
    desk=None,
    pages: int | None = None,
    reason: str = "",
) -> FinalDocument:
    """Store the rendered bytes as the current final version; earlier versions stay available."""
    previous = _versions(meeting=meeting, kind=kind, desk=desk).select_for_update()
    if previous.filter(version__gte=pending.version).exists():
        raise ValueError("A newer version of this document was stored meanwhile; render again.")
    if pending.version > 1 and not reason.strip():
        raise ValueError("A new version of a final document needs a reason.")
    previous.filter(is_current=True).update(is_current=False)
    extension = {"application/pdf": "pdf"}.get(
        content_type,
        "xlsx" if "spreadsheet" in content_type else "bin",
    )
    document = FinalDocument(
        meeting=meeting,
        desk=desk,
        kind=kind,
        title=title,
        number=pending.number,
        version=pending.version,
        content_type=content_type,
        size=len(content),
        pages=pages,
        sha256=hashlib.sha256(content).hexdigest(),
        verification_code=pending.verification_code,
        reason=reason,
        finalised_by=user,
    )
    document.file.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(content), save=False)
    document.save()
    return document


def qr_data_uri(url: str) -> str:
    """A PNG QR code of `url` as a data: URI the PDF renderer accepts."""
    return segno.make(url, error="m").png_data_uri(scale=6, border=2)
