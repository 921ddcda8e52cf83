from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0008_issue_event_set_aside"),
        ("issues", "0009_enable_pg_trgm_on_postgresql"),
    ]

    operations = []
