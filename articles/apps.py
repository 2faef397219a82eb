from importlib import import_module

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def ensure_editors_group(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """The Editors group after every migrate and every flush: migration 0008 made it once, and a
    flush (which empties every table) left a database without it until the next migration."""
    archive_models = import_module("articles.migrations.0008_editors_group").ARCHIVE_MODELS
    group, permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    editors, _ = group.objects.using(using).get_or_create(name="Editors")
    archive = permission.objects.using(using).filter(content_type__app_label="articles")
    editors.permissions.set(archive.filter(content_type__model__in=archive_models))


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Archive"

    def ready(self) -> None:
        # Connected here, after django.contrib.auth's handler: the articles' permissions exist by then.
        post_migrate.connect(ensure_editors_group, sender=self)
