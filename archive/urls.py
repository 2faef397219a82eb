from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from articles.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # the language switch (set_language)
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("", include("articles.urls")),
]
