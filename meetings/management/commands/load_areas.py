"""Load or refresh one province's kecamatan and desa/kelurahan from the area data."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings.areas import AreaDataError, default_source, load_areas


class Command(BaseCommand):
    help = (
        "Load one province's regencies, kecamatan and desa/kelurahan (Kemendagri codes) from "
        "the idn-area-data CSV files. Can be run again after an update: names are updated, "
        "new areas added, nothing deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "province",
            nargs="?",
            help="Kemendagri province code, e.g. 19; default RAKORTEK_PROVINCE_CODE.",
        )
        parser.add_argument(
            "--source",
            type=Path,
            help="Folder with provinces.csv, regencies.csv, districts.csv and villages.csv "
            "(default: the committed meetings/data/areas/<province>/).",
        )

    def handle(self, *args, province=None, source=None, **options):
        code = province or settings.RAKORTEK_PROVINCE_CODE
        source = source or default_source(code)
        try:
            result = load_areas(province_code=code, source=source)
        except AreaDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Province {code} from {source}: {result.regencies} regencies/cities, "
            f"{result.districts} kecamatan, {result.villages} desa/kelurahan "
            f"({result.desa} desa, {result.kelurahan} kelurahan)."
        )
        self.stdout.write(
            f"New: {result.regions_created} regions, {result.districts_created} kecamatan, "
            f"{result.villages_created} desa/kelurahan. Renamed or moved: "
            f"{result.districts_updated} kecamatan, {result.villages_updated} desa/kelurahan."
        )
        if result.missing_districts or result.missing_villages:
            self.stdout.write(
                f"Kept although no longer in the data: {result.missing_districts} kecamatan, "
                f"{result.missing_villages} desa/kelurahan."
            )
