"""The kecamatan and desa/kelurahan of Kepulauan Bangka Belitung (province 19).

From the committed extract of the idn-area-data set (meetings/data/areas/19, ODbL).
The regions already exist (0002) and keep their names; another province loads its own
areas with `manage.py load_areas <code> --source <folder>`.
"""

from django.db import migrations


def load(apps, schema_editor):
    from meetings.areas import load_areas

    load_areas(
        province_code="19",
        models=(
            apps.get_model("meetings", "Region"),
            apps.get_model("meetings", "District"),
            apps.get_model("meetings", "Village"),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0007_areas_kecamatan_desa")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
