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


def nip(value) -> str:
    """19800512 200501 2 003: birth date, appointment month, sex, number (18 digits).

    Anything that is not 18 digits is printed as typed.
    """
    digits = "".join((value or "").split())
    if len(digits) != 18 or not digits.isdigit():
        return value or ""
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


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


# ---- Numbers in words (terbilang), for berita acara ----

_UNITS = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]
# Each scale word with its size; "se-" replaces "satu" before ratus and ribu only
# (seratus, seribu, but satu juta).
_SCALES = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (1000, "ribu")]


def _below_thousand(n: int) -> str:
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return f"{_UNITS[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_UNITS[tens]} puluh" + (f" {_UNITS[rest]}" if rest else "")
    hundreds, rest = divmod(n, 100)
    head = "seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus"
    return head + (f" {_below_thousand(rest)}" if rest else "")


def terbilang(n: int) -> str:
    """2022 -> "dua ribu dua puluh dua": a whole number in Indonesian words."""
    n = int(n)
    if n < 0:
        return f"minus {terbilang(-n)}"
    if n < 1000:
        return _below_thousand(n)
    parts = []
    for size, word in _SCALES:
        count, n = divmod(n, size)
        if count:
            parts.append("seribu" if (count, word) == (1, "ribu") else f"{terbilang(count)} {word}")
    if n:
        parts.append(_below_thousand(n))
    return " ".join(parts)


def urutan(n: int) -> str:
    """3 -> "KETIGA": the ordinal that numbers the parts of a decision (KESATU, KEDUA, ...)."""
    if n < 1:
        raise ValueError("Ordinals start at 1.")
    return f"KE{terbilang(n).upper()}"


def tanggal_terbilang(value) -> str:
    """tanggal dua puluh lima bulan Juli tahun dua ribu dua puluh dua"""
    if value in (None, ""):
        return ""
    value = _local(value)
    return (
        f"tanggal {terbilang(value.day)} bulan {MONTHS[value.month - 1]} "
        f"tahun {terbilang(value.year)}"
    )
