"""The kinds of official document, defined once at the bottom layer.

meetings (who signs which document), issues (the agreement points that a final
document locks) and rakortek.documents (rendering and storing them) all name
documents by these values; none of them imports another to learn them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    # Documents that can have signers (meetings.Signer.Document).
    MINUTES = "notulen", _("Minutes (notulen)")
    DESK_MINUTES = "notulen_desk", _("Desk minutes (notulen desk)")
    AGREEMENT = "butir_kesepakatan", _("Draft agreement points")
    ATTENDANCE = "daftar_hadir", _("Attendance list")
    PRIORITY_LIST = "prioritas", _("Desk priority list")
    RECAP = "rekapitulasi", _("Recap for Biro Pemerintahan")
    MONITORING = "tindak_lanjut", _("Follow-up monitoring report")
    # Documents without meeting signers.
    RECAP_XLSX = "rekapitulasi_xlsx", _("Recap spreadsheet")
    MONITORING_XLSX = "tindak_lanjut_xlsx", _("Follow-up monitoring spreadsheet")
    # Signed by the Governor and the regents: its signatories are the RAKORGUB package's.
    RAKORGUB_AGREEMENT = "naskah_rakorgub", _("RAKORGUB agreement")
    OTHER = "lainnya", _("Other")


SIGNED_KINDS = (
    DocumentKind.MINUTES,
    DocumentKind.DESK_MINUTES,
    DocumentKind.AGREEMENT,
    DocumentKind.ATTENDANCE,
    DocumentKind.PRIORITY_LIST,
    DocumentKind.RECAP,
    DocumentKind.MONITORING,
)
