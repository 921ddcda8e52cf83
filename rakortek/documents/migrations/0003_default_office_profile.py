from django.db import migrations

# The names DOMAIN.md gives; the secretariat changes them on the letterhead page.
DEFAULTS = {
    "government": "PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG",
    "office": "DINAS PEKERJAAN UMUM, PENATAAN RUANG DAN PERUMAHAN RAKYAT KAWASAN PERMUKIMAN",
    "address": "Kompleks Perkantoran Gubernur, Air Itam, Pangkalpinang",
    "city": "Pangkalpinang",
    "paper": "A4",
}


def add_office_profile(apps, schema_editor):
    OfficeProfile = apps.get_model("documents", "OfficeProfile")
    OfficeProfile.objects.get_or_create(pk=1, defaults=DEFAULTS)


def remove_office_profile(apps, schema_editor):
    apps.get_model("documents", "OfficeProfile").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_office_profile_reopening_render_jobs"),
    ]

    operations = [
        migrations.RunPython(add_office_profile, remove_office_profile),
    ]
