from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from articles.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the admin's and API's language cookie
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
]
# The public pages in each language at its own address: Vietnamese at /, English at /en/, so that a page in
# either language can be shared as a link (articles/middleware.py: the URL decides, never a cookie).
urlpatterns += i18n_patterns(path("", include("articles.urls")), prefix_default_language=False)
