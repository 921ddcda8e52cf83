from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_agenda_item_needs_review"),
        ("meetings", "0006_signer_monitoring_report"),
    ]

    operations = []
