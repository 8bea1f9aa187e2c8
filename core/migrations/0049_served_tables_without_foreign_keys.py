"""The tables training replaces whole (neighbours, candidates, daily mixes) lose their
database foreign keys: core/recommendations/served.py builds them anew and swaps them in by
rename, and a key would be checked row by row at commit. Deletes still cascade, in Django."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0048_insights_settled_generation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="artistneighbour",
            name="artist",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.artist",
            ),
        ),
        migrations.AlterField(
            model_name="artistneighbour",
            name="neighbour",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.artist",
            ),
        ),
        migrations.AlterField(
            model_name="dailymix",
            name="genre",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.genre",
            ),
        ),
        migrations.AlterField(
            model_name="dailymix",
            name="user",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="dailymixitem",
            name="mix",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="core.dailymix",
            ),
        ),
        migrations.AlterField(
            model_name="dailymixitem",
            name="track",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.track",
            ),
        ),
        migrations.AlterField(
            model_name="listenercandidate",
            name="because",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.track",
            ),
        ),
        migrations.AlterField(
            model_name="listenercandidate",
            name="because_genre",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.genre",
            ),
        ),
        migrations.AlterField(
            model_name="listenercandidate",
            name="track",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.track",
            ),
        ),
        migrations.AlterField(
            model_name="listenercandidate",
            name="user",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="trackneighbour",
            name="neighbour",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.track",
            ),
        ),
        migrations.AlterField(
            model_name="trackneighbour",
            name="track",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.track",
            ),
        ),
    ]
