"""On PostgreSQL, a sequence that every change to listens older than a day moves (an import, a
late sync, a cleared history, a rebuild): figures read from many listeners' settled rollup
rows (an artist's statistics) are kept under it (docs/architecture.md#insights). SQLite has no
sequences: there those figures are computed for each request.
"""

from django.db import migrations


def _postgresql(statement: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0047_chart_snapshot_previous_at"),
    ]

    operations = [
        migrations.RunPython(
            _postgresql("CREATE SEQUENCE IF NOT EXISTS core_insights_settled_generation"),
            _postgresql("DROP SEQUENCE IF EXISTS core_insights_settled_generation"),
        ),
    ]
