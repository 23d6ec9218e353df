"""The package player's addresses, under /learn/ (cms/urls.py): each authorised by its launch token alone."""

from django.urls import path

from .views import content, player

app_name = "elearning"

urlpatterns = [
    path("play/<str:token>/", player.player, name="player"),
    path("play/<str:token>/commit", player.commit, name="commit"),
    path("play/<str:token>/exit/", player.exit_page, name="exit"),
    path("play/<str:token>/content/<path:path>", content.package_content, name="content"),
]
