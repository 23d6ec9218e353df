"""The cmi5 player's addresses, under /learn/cmi5/ (``elearning.urls``): each authorised by its launch token."""

from django.urls import path

from . import views

app_name = "cmi5"

urlpatterns = [
    path("<str:token>/", views.player, name="player"),
    path("<str:token>/fetch", views.fetch, name="fetch"),
    path("<str:token>/launch", views.relaunch, name="relaunch"),
    path("<str:token>/done/", views.done, name="done"),
]
