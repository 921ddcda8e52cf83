"""Reference data: the regions of Kepulauan Bangka Belitung and the six fields.

Kept here, not in a fixture, so that `migrate` on an empty production database
gives a usable system.
"""

from django.db import migrations

REGIONS = [
    # (Kemendagri code, BPS code, name, kind, capital, slug)
    ("19", "19", "Provinsi Kepulauan Bangka Belitung", "provinsi", "Pangkalpinang", "provinsi"),
    ("19.01", "1901", "Kabupaten Bangka", "kabupaten", "Sungailiat", "bangka"),
    ("19.02", "1902", "Kabupaten Belitung", "kabupaten", "Tanjung Pandan", "belitung"),
    ("19.03", "1905", "Kabupaten Bangka Selatan", "kabupaten", "Toboali", "bangka-selatan"),
    ("19.04", "1904", "Kabupaten Bangka Tengah", "kabupaten", "Koba", "bangka-tengah"),
    ("19.05", "1903", "Kabupaten Bangka Barat", "kabupaten", "Mentok", "bangka-barat"),
    ("19.06", "1906", "Kabupaten Belitung Timur", "kabupaten", "Manggar", "belitung-timur"),
    ("19.71", "1971", "Kota Pangkalpinang", "kota", "Pangkalpinang", "pangkalpinang"),
]

FIELDS = [
    # (order, code, slug, name, description)
    (1, "BM", "bina-marga", "Bina Marga", "Jalan dan jembatan."),
    (
        2,
        "SDA",
        "sumber-daya-air",
        "Sumber Daya Air",
        "Irigasi, pengendalian banjir, air baku, pantai dan abrasi, kolong bekas tambang.",
    ),
    (
        3,
        "PRP",
        "penataan-ruang",
        "Penataan Ruang dan Pertanahan",
        "Rencana tata ruang (RTRW/RDTR) dan pertanahan.",
    ),
    (4, "PRM", "perumahan", "Perumahan", "Rumah tidak layak huni (RTLH) dan relokasi bencana."),
    (
        5,
        "KP",
        "kawasan-permukiman",
        "Kawasan Permukiman",
        "Air minum (SPAM), sanitasi, drainase, persampahan dan kawasan kumuh.",
    ),
    (
        6,
        "JK",
        "jasa-konstruksi",
        "Jasa Konstruksi",
        "Jasa konstruksi dan sertifikasi tenaga kerja konstruksi.",
    ),
]


def add_reference_data(apps, schema_editor):
    Region = apps.get_model("meetings", "Region")
    Field = apps.get_model("meetings", "Field")
    for kemendagri, bps, name, kind, capital, slug in REGIONS:
        Region.objects.update_or_create(
            kemendagri_code=kemendagri,
            defaults={
                "bps_code": bps,
                "name": name,
                "kind": kind,
                "capital": capital,
                "slug": slug,
            },
        )
    for order, code, slug, name, description in FIELDS:
        Field.objects.update_or_create(
            slug=slug,
            defaults={"order": order, "code": code, "name": name, "description": description},
        )


def remove_reference_data(apps, schema_editor):
    apps.get_model("meetings", "Region").objects.filter(
        kemendagri_code__in=[r[0] for r in REGIONS], users__isnull=True
    ).delete()
    apps.get_model("meetings", "Field").objects.filter(
        slug__in=[f[2] for f in FIELDS], desks__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(add_reference_data, remove_reference_data)]
