"""The "Editors" group: may change the archive's records, not users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ARCHIVE_MODELS = [
    "source",
    "event",
    "person",
    "personredirect",
    "role",
    "article",
    "speech",
    "quote",
    "quoteoccurrence",
    "quotetoreview",
    "undatedarticle",
]


def create_editors(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(
        Permission.objects.filter(content_type__app_label="articles", content_type__model__in=ARCHIVE_MODELS)
    )


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_work_queue"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_editors, remove_editors)]
