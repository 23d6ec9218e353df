"""URLs of partners' own pages; the project's URLconf includes them at its root (``path("", include(...))``)."""

from django.urls import path

from . import views

app_name = "partner_accounts"  # not "partners": the admin's partners viewset has that namespace

urlpatterns = [
    path("accounts/invitations/<str:token>/", views.accept_invitation, name="invitation_accept"),
]
