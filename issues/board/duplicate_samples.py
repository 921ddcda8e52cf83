"""A labelled set of proposals as regencies write them, to measure the duplicate finder.

Issues of one desk from several regions: some pairs are one problem written twice
(the same road section under other segment names, the same river, the same bridge),
the rest are not, including the look-alikes that must not be suggested (two regions'
own housing programmes, two roads that share one town, two different rivers handled
the same way). `measure()` runs issues.board.duplicates.find_duplicates on each desk and
counts what it finds against the labels; `manage.py duplicates_quality` prints it.
"""

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

REGION_IDS = {
    "bangka": 1,
    "belitung": 2,
    "bangka-selatan": 3,
    "bangka-tengah": 4,
    "bangka-barat": 5,
    "belitung-timur": 6,
    "pangkalpinang": 7,
}

# key: (desk, region, title, place, district, village, coordinates or None)
SAMPLES = {
    # Bina Marga
    "bm-koba-lubuk": (
        "bm",
        "bangka-tengah",
        "Peningkatan Ruas Koba - Toboali Segmen Lubuk Besar",
        "Ruas Koba - Toboali Segmen Lubuk Besar",
        "Lubuk Besar",
        "Lubuk Besar",
        (-2.6012, 106.3921),
    ),
    "bm-koba-gegas": (
        "bm",
        "bangka-selatan",
        "Pemeliharaan Jalan Provinsi Koba - Toboali Segmen Air Gegas",
        "Jalan Koba - Toboali km 45",
        "Air Gegas",
        "Air Gegas",
        (-2.7425, 106.3310),
    ),
    "bm-koba-katis": (
        "bm",
        "bangka-tengah",
        "Rekonstruksi Ruas Koba - Toboali Segmen Simpang Katis",
        "",
        "Simpang Katis",
        "Terak",
        None,
    ),
    "bm-sungailiat-belinyu": (
        "bm",
        "bangka",
        "Rekonstruksi Jalan Sungailiat - Belinyu km 21-27",
        "Ruas Sungailiat - Belinyu km 21",
        "Riau Silip",
        "Deniang",
        (-1.7302, 105.9811),
    ),
    "bm-mentok-jebus": (
        "bm",
        "bangka-barat",
        "Peningkatan Ruas Mentok - Jebus",
        "Ruas Mentok - Jebus km 5",
        "Mentok",
        "Belo Laut",
        (-2.0340, 105.2010),
    ),
    "bm-jebus-belinyu": (
        "bm",
        "bangka",
        "Pembangunan Jalan Lingkar Belinyu",
        "Jalan Lingkar Belinyu",
        "Belinyu",
        "Bukit Ketok",
        None,
    ),
    "bm-tp-membalong": (
        "bm",
        "belitung",
        "Penggantian Jembatan Aik Rusa",
        "Ruas Tanjung Pandan - Membalong km 38",
        "Membalong",
        "Membalong",
        (-3.0501, 107.6902),
    ),
    "bm-manggar-gantung": (
        "bm",
        "belitung-timur",
        "Peningkatan Ruas Manggar - Gantung",
        "Ruas Manggar - Gantung km 8 - km 20",
        "Gantung",
        "Lenggang",
        None,
    ),
    "bm-tp-manggar-badau": (
        "bm",
        "belitung",
        "Pelebaran Ruas Tanjung Pandan - Manggar Segmen Badau",
        "",
        "Badau",
        "Badau",
        (-2.8255, 107.8340),
    ),
    "bm-manggar-tp-kampit": (
        "bm",
        "belitung-timur",
        "Rehabilitasi Jalan Provinsi Manggar - Tanjung Pandan Segmen Kelapa Kampit",
        "",
        "Kelapa Kampit",
        "Mentawak",
        (-2.7031, 108.0012),
    ),
    "bm-pgk-koba-airitam": (
        "bm",
        "pangkalpinang",
        "Pelebaran Jalan Pangkalpinang - Koba di Kelurahan Air Itam",
        "Jalan Koba",
        "Bukit Intan",
        "Air Itam",
        (-2.1500, 106.1420),
    ),
    "bm-bt-pgk-koba-namang": (
        "bm",
        "bangka-tengah",
        "Peningkatan Ruas Pangkalpinang - Koba Segmen Namang",
        "",
        "Namang",
        "Namang",
        (-2.2120, 106.2050),
    ),
    "bm-bangka-sgl-pgk": (
        "bm",
        "bangka",
        "Peningkatan Ruas Sungailiat - Pangkalpinang",
        "Ruas Sungailiat - Pangkalpinang km 12",
        "Merawang",
        "Jurung",
        (-2.0512, 106.0931),
    ),
    "bm-pgk-pgk-sgl": (
        "bm",
        "pangkalpinang",
        "Penanganan Jalan Pangkalpinang - Sungailiat di Selindung",
        "",
        "Gabek",
        "Selindung",
        (-2.0897, 106.1190),
    ),
    "bm-bangka-jembatan-baturusa": (
        "bm",
        "bangka",
        "Penggantian Jembatan Baturusa",
        "Jembatan Baturusa",
        "Merawang",
        "Baturusa",
        (-2.0730, 106.1250),
    ),
    "bm-pgk-jembatan-baturusa": (
        "bm",
        "pangkalpinang",
        "Rehabilitasi Jembatan Baturusa di Pangkalbalam",
        "",
        "Pangkalbalam",
        "Ketapang",
        (-2.0861, 106.1303),
    ),
    "bm-bs-toboali-sadai": (
        "bm",
        "bangka-selatan",
        "Peningkatan Ruas Toboali - Sadai",
        "Ruas Toboali - Sadai",
        "Tukak Sadai",
        "Sadai",
        (-3.0100, 106.7200),
    ),
    "bm-pgk-lingkar-timur": (
        "bm",
        "pangkalpinang",
        "Pelebaran Jalan Lingkar Timur",
        "Jalan Lingkar Timur",
        "Gerunggang",
        "Kacang Pedang",
        (-2.1390, 106.1380),
    ),
    "bm-bt-lingkar-barat": (
        "bm",
        "bangka-tengah",
        "Pelebaran Jalan Lingkar Barat Koba",
        "Jalan Lingkar Barat",
        "Koba",
        "Padang Mulia",
        (-2.4890, 106.4030),
    ),
    "bm-bb-kelapa": (
        "bm",
        "bangka-barat",
        "Drainase dan Bahu Jalan Kelapa - Tempilang",
        "",
        "Kelapa",
        "Kelapa",
        None,
    ),
    "bm-beltim-dendang": (
        "bm",
        "belitung-timur",
        "Pengaspalan Jalan Desa Dendang",
        "",
        "Dendang",
        "Dendang",
        None,
    ),
    # Sumber Daya Air
    "sda-pgk-rangkui": (
        "sda",
        "pangkalpinang",
        "Pengendalian Banjir DAS Rangkui",
        "Sungai Rangkui hilir",
        "Rangkui",
        "Masjid Jamik",
        (-2.1291, 106.1131),
    ),
    "sda-bangka-rangkui": (
        "sda",
        "bangka",
        "Normalisasi Sungai Rangkui Bagian Hulu",
        "Hulu Sungai Rangkui",
        "Pemali",
        "Air Duren",
        (-2.1102, 106.0720),
    ),
    "sda-bt-kurau": (
        "sda",
        "bangka-tengah",
        "Normalisasi Sungai Kurau",
        "Sungai Kurau",
        "Koba",
        "Kurau",
        (-2.4170, 106.3450),
    ),
    "sda-beltim-lenggang": (
        "sda",
        "belitung-timur",
        "Normalisasi Sungai Lenggang",
        "Sungai Lenggang",
        "Gantung",
        "Lenggang",
        (-2.9510, 108.1520),
    ),
    "sda-belitung-lenggang": (
        "sda",
        "belitung",
        "Pengendalian Banjir Sungai Lenggang Hilir",
        "",
        "Badau",
        "Ibul",
        None,
    ),
    "sda-bs-kerasak": (
        "sda",
        "bangka-selatan",
        "Pengaman Pantai Abrasi Tanjung Kerasak",
        "Pantai Tanjung Kerasak",
        "Tukak Sadai",
        "Tukak",
        (-2.9760, 106.7040),
    ),
    "sda-bangka-matras": (
        "sda",
        "bangka",
        "Penanganan Abrasi Pantai Matras",
        "Pantai Matras",
        "Sungailiat",
        "Matras",
        (-1.8120, 106.1280),
    ),
    "sda-pgk-kolong": (
        "sda",
        "pangkalpinang",
        "Revitalisasi Kolong Kacang Pedang sebagai Tampungan Banjir",
        "Kolong Kacang Pedang",
        "Gerunggang",
        "Kacang Pedang",
        (-2.1301, 106.1050),
    ),
    "sda-bangka-baturusa": (
        "sda",
        "bangka",
        "Pengerukan Alur Sungai Baturusa",
        "Sungai Baturusa",
        "Merawang",
        "Baturusa",
        (-2.0690, 106.1400),
    ),
    "sda-pgk-baturusa": (
        "sda",
        "pangkalpinang",
        "Normalisasi Muara Sungai Baturusa Pangkalbalam",
        "",
        "Pangkalbalam",
        "Ketapang",
        (-2.0800, 106.1500),
    ),
    "sda-belitung-cerucuk": (
        "sda",
        "belitung",
        "Rehabilitasi Daerah Irigasi Cerucuk",
        "DI Cerucuk",
        "Badau",
        "Cerucuk",
        None,
    ),
    "sda-bb-pala": (
        "sda",
        "bangka-barat",
        "Kolong Pala sebagai Air Baku",
        "Kolong Pala",
        "Mentok",
        "Belo Laut",
        None,
    ),
    "sda-bs-embung": (
        "sda",
        "bangka-selatan",
        "Pembangunan Embung Air Baku Toboali",
        "",
        "Toboali",
        "Teladan",
        None,
    ),
    "sda-bb-jebus-abrasi": (
        "sda",
        "bangka-barat",
        "Penanganan Abrasi Pantai Pusuk",
        "Pantai Pusuk",
        "Kelapa",
        "Pusuk",
        None,
    ),
    # Perumahan: each region's own programme is not a duplicate of another's
    "prm-bangka-rtlh": (
        "prm",
        "bangka",
        "Bedah Rumah Tidak Layak Huni Kabupaten Bangka",
        "",
        "Sungailiat",
        "",
        None,
    ),
    "prm-bt-rtlh": (
        "prm",
        "bangka-tengah",
        "Bedah Rumah Tidak Layak Huni Kabupaten Bangka Tengah",
        "",
        "Koba",
        "",
        None,
    ),
    "prm-pgk-rtlh": (
        "prm",
        "pangkalpinang",
        "Peningkatan Kualitas RTLH Kota Pangkalpinang",
        "",
        "Taman Sari",
        "",
        None,
    ),
    "prm-belitung-relokasi": (
        "prm",
        "belitung",
        "Relokasi Rumah Terdampak Banjir Air Merbau",
        "Desa Air Merbau",
        "Tanjung Pandan",
        "Air Merbau",
        None,
    ),
    "prm-bs-nelayan": (
        "prm",
        "bangka-selatan",
        "Rumah Khusus Nelayan Toboali",
        "Kelurahan Teladan",
        "Toboali",
        "Teladan",
        None,
    ),
    # Kawasan Permukiman
    "kp-bb-spam": (
        "kp",
        "bangka-barat",
        "SPAM Regional Mentok - Simpang Teritip",
        "IPA Mentok",
        "Mentok",
        "",
        None,
    ),
    "kp-bt-spam": ("kp", "bangka-tengah", "Perluasan SPAM Koba", "IPA Koba", "Koba", "", None),
    "kp-pgk-drainase": (
        "kp",
        "pangkalpinang",
        "Drainase Primer Kawasan Pasar Pangkalpinang",
        "Kawasan Pasar",
        "Pangkalbalam",
        "",
        None,
    ),
    "kp-bangka-spam-regional": (
        "kp",
        "bangka",
        "SPAM Regional Bangka - Pangkalpinang",
        "",
        "Merawang",
        "",
        None,
    ),
    "kp-pgk-spam-regional": (
        "kp",
        "pangkalpinang",
        "Sambungan SPAM Regional Bangka - Pangkalpinang ke Kota",
        "",
        "Gerunggang",
        "",
        None,
    ),
}

DUPLICATES = {
    frozenset(("bm-koba-lubuk", "bm-koba-gegas")),
    frozenset(("bm-koba-gegas", "bm-koba-katis")),
    frozenset(("bm-tp-manggar-badau", "bm-manggar-tp-kampit")),
    frozenset(("bm-pgk-koba-airitam", "bm-bt-pgk-koba-namang")),
    frozenset(("bm-bangka-sgl-pgk", "bm-pgk-pgk-sgl")),
    frozenset(("bm-bangka-jembatan-baturusa", "bm-pgk-jembatan-baturusa")),
    frozenset(("sda-pgk-rangkui", "sda-bangka-rangkui")),
    frozenset(("sda-beltim-lenggang", "sda-belitung-lenggang")),
    frozenset(("sda-bangka-baturusa", "sda-pgk-baturusa")),
    frozenset(("kp-bangka-spam-regional", "kp-pgk-spam-regional")),
}


def sample_issues() -> dict[str, list]:
    """The samples as issue-like objects, by desk."""
    by_desk: dict[str, list] = {}
    for number, (key, sample) in enumerate(SAMPLES.items(), start=1):
        desk, region, title, place, district, village, point = sample
        latitude, longitude = (Decimal(str(v)) for v in point) if point else (None, None)
        by_desk.setdefault(desk, []).append(
            SimpleNamespace(
                key=key,
                pk=number,
                number=number,
                region_id=REGION_IDS[region],
                title=title,
                problem="",
                current_condition="",
                proposed_handling="",
                place=place,
                district=district,
                village=village,
                latitude=latitude,
                longitude=longitude,
            )
        )
    return by_desk


@dataclass
class Quality:
    issues: int
    duplicates: int  # labelled pairs
    found: int  # labelled pairs suggested
    false: list  # suggested pairs that are not labelled, as (key, key)
    missed: list  # labelled pairs not suggested

    @property
    def recall(self) -> float:
        return self.found / self.duplicates if self.duplicates else 1.0

    @property
    def false_per_ten(self) -> float:
        return len(self.false) * 10 / self.issues if self.issues else 0.0


def measure(find) -> Quality:
    """Run `find(issues)` (a list of suggestions) on each desk of the samples."""
    found, false = set(), []
    issues = 0
    for desk_issues in sample_issues().values():
        issues += len(desk_issues)
        for suggestion in find(desk_issues):
            pair = frozenset((suggestion.first.key, suggestion.second.key))
            if pair in DUPLICATES:
                found.add(pair)
            else:
                false.append(tuple(sorted(pair)))
    missed = [tuple(sorted(pair)) for pair in DUPLICATES - found]
    return Quality(
        issues=issues, duplicates=len(DUPLICATES), found=len(found), false=false, missed=missed
    )
