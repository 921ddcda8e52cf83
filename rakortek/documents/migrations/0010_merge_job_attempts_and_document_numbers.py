from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_job_attempts"),
        ("documents", "0009_monitoring_report_signed"),
    ]

    operations = []
