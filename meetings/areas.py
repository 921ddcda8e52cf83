"""Administrative areas (kecamatan, desa/kelurahan) from the Kemendagri codes.

The data comes as four CSV files per province (`provinces.csv`, `regencies.csv`,
`districts.csv`, `villages.csv`), in the format of the `idn-area-data` package
(ODbL, see meetings/data/areas/19/README.md). Loading is by code and can be run
again after an update: names are updated, new areas added, nothing is deleted
(an issue may point at an area that has left the data).

Regions (regencies and cities) are matched by their Kemendagri code and keep the
names the app already has: the data writes "Kota Pangkal Pinang" where
Kemendagri writes Pangkalpinang.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data" / "areas"
FILES = ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv")


class AreaDataError(Exception):
    pass


@dataclass
class LoadResult:
    regions_created: int = 0
    districts_created: int = 0
    districts_updated: int = 0
    villages_created: int = 0
    villages_updated: int = 0
    districts: int = 0
    villages: int = 0
    desa: int = 0
    kelurahan: int = 0
    regencies: int = 0
    missing_districts: int = 0
    missing_villages: int = 0


def default_source(province_code: str) -> Path:
    return DATA_DIR / province_code


def _read(source: Path, name: str, prefix: str) -> list[dict]:
    path = source / name
    if not path.is_file():
        raise AreaDataError(f"{path} is missing")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
            if (row.get("code") or "").strip() == prefix
            or (row.get("code") or "").strip().startswith(prefix + ".")
        ]


def village_kind(code: str) -> str:
    """Kemendagri numbers a kecamatan's kelurahan 1xxx and its desa 2xxx."""
    return "kelurahan" if code.rsplit(".", 1)[-1].startswith("1") else "desa"


def _region_kind(name: str) -> str:
    return "kota" if name.lower().startswith("kota") else "kabupaten"


def _unique_slug(Region, name: str) -> str:
    base = slugify(re.sub(r"^(kabupaten|kota)( administrasi)? ", "", name, flags=re.I))[:50]
    slug, n = base or "wilayah", 2
    while Region.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def load_areas(*, province_code: str, source: Path | None = None, models=None) -> LoadResult:
    """Load (or refresh) one province's regions, kecamatan and desa/kelurahan.

    `models` is (Region, District, Village); a data migration passes its historical models.
    """
    if models is None:
        from meetings.models import District, Region, Village

        models = (Region, District, Village)
    Region, District, Village = models
    source = Path(source) if source else default_source(province_code)
    provinces = _read(source, "provinces.csv", province_code)
    regencies = _read(source, "regencies.csv", province_code)
    districts = _read(source, "districts.csv", province_code)
    villages = _read(source, "villages.csv", province_code)
    if not provinces or not regencies:
        raise AreaDataError(f"{source} holds no data for province {province_code}")
    result = LoadResult(regencies=len(regencies), districts=len(districts), villages=len(villages))

    regions = {
        r.kemendagri_code: r
        for r in Region.objects.filter(
            Q(kemendagri_code=province_code) | Q(kemendagri_code__startswith=f"{province_code}.")
        )
    }
    wanted = [(province_code, "provinsi", f"Provinsi {provinces[0]['name']}")]
    wanted += [(row["code"], _region_kind(row["name"]), row["name"]) for row in regencies]
    for code, kind, name in wanted:
        if code not in regions:  # an existing region keeps its official name
            regions[code] = Region.objects.create(
                kemendagri_code=code,
                bps_code=None,
                name=name,
                kind=kind,
                capital="",
                slug=_unique_slug(Region, name),
            )
            result.regions_created += 1

    known = {d.code: d for d in District.objects.filter(code__startswith=province_code + ".")}
    for row in districts:
        region = regions.get(row["regency_code"])
        if region is None:
            raise AreaDataError(f"kecamatan {row['code']}: unknown regency {row['regency_code']}")
        district = known.get(row["code"])
        if district is None:
            known[row["code"]] = District.objects.create(
                code=row["code"], region=region, name=row["name"]
            )
            result.districts_created += 1
        elif (district.name, district.region_id) != (row["name"], region.pk):
            district.name, district.region = row["name"], region
            district.save(update_fields=["name", "region"])
            result.districts_updated += 1
    result.missing_districts = len(set(known) - {row["code"] for row in districts})

    existing = {v.code: v for v in Village.objects.filter(code__startswith=province_code + ".")}
    new = []
    for row in villages:
        district = known.get(row["district_code"])
        if district is None:
            raise AreaDataError(f"desa {row['code']}: unknown kecamatan {row['district_code']}")
        kind = village_kind(row["code"])
        if kind == "desa":
            result.desa += 1
        else:
            result.kelurahan += 1
        village = existing.get(row["code"])
        if village is None:
            new.append(Village(code=row["code"], district=district, name=row["name"], kind=kind))
        elif (village.name, village.district_id, village.kind) != (row["name"], district.pk, kind):
            village.name, village.district, village.kind = row["name"], district, kind
            village.save(update_fields=["name", "district", "kind"])
            result.villages_updated += 1
    Village.objects.bulk_create(new, batch_size=500)
    result.villages_created = len(new)
    result.missing_villages = len(set(existing) - {row["code"] for row in villages})
    return result


# --- Matching what was typed -------------------------------------------------


def name_key(text: str) -> str:
    """How area names are compared: case, accents, spacing, hyphens and prefixes ignored.

    "Kec. Pangkal Balam", "PANGKALBALAM" and "Pangkalbalam" are the same kecamatan.
    """
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"^\s*(kecamatan|kec\.?|desa|kelurahan|kel\.?|ds\.?)\s+", "", text)
    return re.sub(r"[^0-9a-z]", "", text)


class AreaIndex:
    """A region's kecamatan and desa/kelurahan in memory, to match many typed names (two
    queries, however many rows an import has)."""

    def __init__(self, region):
        from meetings.models import District, Village

        self.districts = list(District.objects.filter(region=region)) if region else []
        by_pk = {d.pk: d for d in self.districts}
        self.villages = list(Village.objects.filter(district__in=self.districts))
        for village in self.villages:
            village.district = by_pk[village.district_id]

    def __bool__(self):
        return bool(self.districts)

    def match(self, district_text: str, village_text: str):
        """The (District, Village) named or coded by what was typed; None where unknown.

        A desa is looked for in the matched kecamatan, or in the whole region when the
        kecamatan did not match (and then only if the name is unique there).
        """
        district_text = (district_text or "").strip()
        village_text = (village_text or "").strip()
        district = village = None
        if district_text:
            key = name_key(district_text)
            district = next(
                (d for d in self.districts if district_text == d.code or name_key(d.name) == key),
                None,
            )
        if village_text:
            key = name_key(village_text)
            found = [
                v
                for v in self.villages
                if (district is None or v.district_id == district.pk)
                and (village_text == v.code or name_key(v.name) == key)
            ]
            if len(found) == 1:
                village = found[0]
        return district, village

    def is_unmatched(self, district_text: str, village_text: str) -> bool:
        """Whether a typed name is not among the region's areas (False when none are loaded)."""
        if not self:
            return False
        district, village = self.match(district_text, village_text)
        return (bool((district_text or "").strip()) and district is None) or (
            bool((village_text or "").strip()) and village is None
        )


def match_location(region, district_text: str, village_text: str):
    """The (District, Village) of `region` named or coded by what was typed."""
    return AreaIndex(region).match(district_text, village_text)


def province_code() -> str:
    return settings.RAKORTEK_PROVINCE_CODE


def place(issue) -> list[str]:
    """Match an issue's typed kecamatan and desa to its region's areas; the changed fields.

    The typed names stay as they are. `location_unmatched` is set when the region has
    areas loaded and one of the typed names is not among them (for the secretariat).
    """
    index = AreaIndex(issue.region)
    district, village = index.match(issue.district, issue.village)
    unmatched = index.is_unmatched(issue.district, issue.village)
    changed = []
    for name, value in (
        ("district_area", district),
        ("village_area", village),
        ("location_unmatched", unmatched),
    ):
        if getattr(issue, name) != value:
            setattr(issue, name, value)
            changed.append(name)
    return changed


def area_options(region, district_text: str = ""):
    """What a form offers for `region`: its kecamatan, and the desa/kelurahan of the typed
    kecamatan (or of the whole region while none matches). Two queries."""
    from meetings.models import District, Village

    if region is None:
        return [], []
    districts = list(District.objects.filter(region=region).only("code", "name", "region_id"))
    key = name_key(district_text) if district_text else ""
    chosen = [d for d in districts if key and (d.code == district_text or name_key(d.name) == key)]
    villages = Village.objects.filter(district__region=region).select_related("district")
    if chosen:
        villages = villages.filter(district=chosen[0])
    return districts, list(villages.only("code", "name", "kind", "district__name"))


def province_bounds() -> tuple[tuple[Decimal, Decimal], tuple[Decimal, Decimal]]:
    """((south, north), (west, east)): where the province's coordinates may fall
    (RAKORTEK_PROVINCE_BOUNDS)."""
    south, north, west, east = (Decimal(str(v)) for v in settings.RAKORTEK_PROVINCE_BOUNDS)
    return (south, north), (west, east)


def example_regency() -> str:
    """A regency of the configured province, to name in examples ("Kabupaten Bangka"):
    the first by code in the reference data, "" before the regions are loaded."""
    from meetings.models import Region

    return (
        Region.objects.in_province()
        .filter(kind=Region.Kind.REGENCY)
        .order_by("kemendagri_code")
        .values_list("name", flat=True)
        .first()
    ) or ""


def province_name() -> str:
    """The configured province's name as documents write it after "Provinsi" or "Gubernur":
    "Kepulauan Bangka Belitung" for 19 (the name of its region, from the data migration or
    `load_areas`)."""
    from meetings.models import Region

    name = (
        Region.objects.filter(kemendagri_code=province_code(), kind=Region.Kind.PROVINCE)
        .values_list("name", flat=True)
        .first()
    )
    return (name or province_code()).removeprefix("Provinsi ")
