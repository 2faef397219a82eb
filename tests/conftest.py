import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Templates can use {% static %} without a collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
