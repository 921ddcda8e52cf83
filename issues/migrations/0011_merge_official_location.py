from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0008_issue_official_location"),
        ("issues", "0010_merge_set_aside_and_volume_decimals"),
    ]

    operations = []
