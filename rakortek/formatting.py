"""Indonesian formats for official documents: dates, days, times and rupiah.

Official documents are always in Indonesian, whatever language the reader
chose for the interface, so these do not follow the active locale.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def tanggal(value) -> str:
    """25 Juli 2022"""
    if value in (None, ""):
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def hari(value) -> str:
    """Senin"""
    if value in (None, ""):
        return ""
    return DAYS[_local(value).weekday()]


def hari_tanggal(value) -> str:
    """Senin, 25 Juli 2022"""
    if value in (None, ""):
        return ""
    return f"{hari(value)}, {tanggal(value)}"


def jam(value, zone: str = "WIB") -> str:
    """09.00 WIB"""
    if value in (None, ""):
        return ""
    value = _local(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return ""
    text = f"{value.hour:02d}.{value.minute:02d}"
    return f"{text} {zone}" if zone else text


def rupiah(value) -> str:
    """Rp1.250.000 (whole rupiah, dots between thousands; negative as -Rp...)"""
    if value in (None, ""):
        return ""
    amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    digits = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}Rp{digits}"


def angka(value, places: int = 0) -> str:
    """1.234,5: thousands with dots, decimals with a comma."""
    if value in (None, ""):
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
