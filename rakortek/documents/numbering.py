"""Naskah dinas numbers: a pattern per kind of document, one sequence per year.

A number reads like 000.1.2/17/DPUPRPRKP/2026: the classification code, the
office's sequence of the year ({nomor}), the unit's code and the year ({tahun}).
The secretariat sets the pattern of each kind with the letterhead. The number
is printed under the title of a final version; its verification code stays
a separate, unguessable code.

The year of a number is the year of the date the document prints as its own
(the catalogue's `DocumentSpec.dated`): the meeting's day for its minutes,
lists and recap, the RAKORGUB's day for the naskah kesepakatan, the day of
printing for the monitoring report. Number, date and content then agree, also
for a document finalised after the new year or for an earlier year's meeting;
each year has its own sequence.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rakortek.documents.models import NumberSequence, OfficeProfile

PLACEHOLDERS = {"nomor", "tahun"}
OPEN_SEQUENCE = "...."  # what a draft prints where its number will go


def check_pattern(pattern: str) -> str:
    pattern = (pattern or "").strip()
    names = set(re.findall(r"{([^{}]*)}", pattern))
    if "nomor" not in names:
        raise ValidationError(_("The pattern needs {nomor}, the sequence number."), code="nomor")
    unknown = names - PLACEHOLDERS
    if unknown:
        raise ValidationError(
            _("Unknown part %(parts)s: use only {nomor} and {tahun}."),
            code="unknown",
            params={"parts": ", ".join("{" + name + "}" for name in sorted(unknown))},
        )
    return pattern


def format_number(pattern: str, *, sequence, year: int) -> str:
    return pattern.replace("{nomor}", str(sequence)).replace("{tahun}", str(year))


def current_year() -> int:
    return timezone.localdate().year


def draft_number(kind: str, profile: OfficeProfile | None = None, year: int | None = None) -> str:
    """The number as a draft shows it: the pattern with the sequence left open."""
    profile = profile or OfficeProfile.load()
    return format_number(
        profile.number_pattern(kind), sequence=OPEN_SEQUENCE, year=year or current_year()
    )


def peek_sequence(year: int) -> int:
    """The number the next final document of `year` will most likely get (not reserved)."""
    last = NumberSequence.objects.filter(year=year).values_list("last", flat=True).first()
    return (last or 0) + 1


def take_sequence(year: int) -> int:
    """Take the next number of `year` under a row lock, in the caller's transaction.

    The row is created first if needed (two first takes of a year at once: one
    creates it, the other finds it), then locked, so concurrent takers queue on it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_sequence must run inside the transaction that stores.")
    NumberSequence.objects.get_or_create(year=year)
    sequence = NumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last
