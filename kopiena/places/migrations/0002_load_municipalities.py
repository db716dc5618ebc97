"""Latvia's 43 municipalities since the 2021 reform, with their ATVK codes."""

import csv
from pathlib import Path

from django.db import migrations

SOURCE = Path(__file__).resolve().parents[2] / "surveys" / "reference" / "municipalities.csv"


def load(apps, schema_editor):
    Municipality = apps.get_model("places", "Municipality")
    with SOURCE.open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            Municipality.objects.update_or_create(
                slug=row["slug"],
                defaults={"name": row["name"], "kind": row["kind"], "atvk": row["atvk"].strip()},
            )


def unload(apps, schema_editor):
    apps.get_model("places", "Municipality").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
