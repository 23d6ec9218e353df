"""URLs of accounts' own pages beside allauth's; the project's URLconf includes them before ``allauth.urls``."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("invitations/<str:token>/", views.accept_invitation, name="invitation_accept"),
]
