"""Latvia's 43 municipalities since the 2021 reform, with their ATVK codes."""

from django.db import migrations


def load(apps, schema_editor):
    from kopiena.places.services import municipalities_load

    municipalities_load(model=apps.get_model("places", "Municipality"))


def unload(apps, schema_editor):
    apps.get_model("places", "Municipality").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
