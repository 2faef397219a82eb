from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("api/v1/search", views.search_api, name="search-api"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
]
