"""pg_trgm for the duplicate finder's trigram similarity, on PostgreSQL only.

SQLite has no extensions: there issues.board.trigrams computes the same similarity in
Python. Creating an extension needs a role allowed to (the database owner on
PostgreSQL 13+ for trusted extensions such as pg_trgm). The extension is left in
place when migrating back: other schemas may use it.
"""

from django.db import migrations


def enable_pg_trgm(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0008_issue_volume_three_decimals"),
    ]

    operations = [
        migrations.RunPython(enable_pg_trgm, migrations.RunPython.noop, elidable=False),
    ]
