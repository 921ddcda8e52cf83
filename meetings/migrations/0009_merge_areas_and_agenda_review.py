from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_merge_agenda_review_and_monitoring_signer"),
        ("meetings", "0008_load_bangka_belitung_areas"),
    ]

    operations = []
