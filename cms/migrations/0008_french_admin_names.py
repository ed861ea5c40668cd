"""Names Wagtail creates in English, shown as such in the French admin: renamed in French.

The root page and root collection (« Root »), the default workflow and its task (« Moderators
approval »). Only names still as Wagtail created them are changed; reversing restores them.
"""

from django.db import migrations

RENAMES = [
    ("wagtailcore", "Page", "title", "Root", "Racine", {"depth": 1}),
    ("wagtailcore", "Collection", "name", "Root", "Racine", {"depth": 1}),
    ("wagtailcore", "Workflow", "name", "Moderators approval", "Validation par les modérateurs", {}),
    ("wagtailcore", "Task", "name", "Moderators approval", "Validation par les modérateurs", {}),
]


def _rename(apps, forward: bool) -> None:
    for app, model, field, english, french, extra in RENAMES:
        old, new = (english, french) if forward else (french, english)
        manager = apps.get_model(app, model).objects
        manager.filter(**{field: old}, **extra).update(**{field: new})


def forwards(apps, schema_editor):
    _rename(apps, True)


def backwards(apps, schema_editor):
    _rename(apps, False)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_headless_preview"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
