from importlib import import_module

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def ensure_editors_group(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """The Editors group after every migrate and every flush: migration 0008 made it once, and a
    flush (which empties every table) left a database without it until the next migration."""
    archive_models = import_module("articles.migrations.0008_editors_group").ARCHIVE_MODELS
    group, permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    editors, _ = group.objects.using(using).get_or_create(name="Editors")
    archive = permission.objects.using(using).filter(content_type__app_label="articles")
    editors.permissions.set(archive.filter(content_type__model__in=archive_models))


def forget_overview_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """A flush empties the tables the kept overview counted; a partial migrate may not have the cache table."""
    from articles import overview

    backend = caches["default"]
    if isinstance(backend, DatabaseCache) and backend._table not in connections[using].introspection.table_names():
        return
    overview.forget()


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Archive")

    def ready(self) -> None:
        from archive.command_language import activate_if_asked

        activate_if_asked()  # manage.py: the shell's language (archive/command_language.py)
        # Connected here, after django.contrib.auth's handler: the articles' permissions exist by then.
        post_migrate.connect(ensure_editors_group, sender=self)
        # What the overview counts changed: it is counted again when next read (articles.overview).
        from articles import overview

        post_migrate.connect(forget_overview_after_migrate, sender=self)
        for name in ("Article", "Event", "Person", "Quote", "Speech"):
            model = self.get_model(name)
            post_save.connect(overview.forget, sender=model, dispatch_uid=f"overview-{name}-saved")
            post_delete.connect(overview.forget, sender=model, dispatch_uid=f"overview-{name}-deleted")
