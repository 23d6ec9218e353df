"""The admin's way to the portal's home page for editors who never need Wagtail's page tree.

The site has one page, ``HomePage`` (banners, featured assets and courses). Editors reach it
from the menu item "Portal home page", which opens its edit view; the page tree and its
furniture are kept for superusers (``cms.wagtail_hooks``).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.menu import MenuItem

from home.models import HomePage

URL_NAME = "portal_home_page"


def edit_portal_home_page(request):
    """Redirects to the home page's edit view (Wagtail checks the permission there)."""
    page = HomePage.objects.first()
    if page is None:
        messages.error(request, "The portal has no home page yet: a superuser creates it under Pages.")
        return redirect("wagtailadmin_home")
    return redirect("wagtailadmin_pages:edit", page.pk)


class PortalHomePageMenuItem(MenuItem):
    def is_shown(self, request):
        return not request.user.is_superuser and user_has_any_page_permission(request.user)


def portal_home_page_menu_item() -> MenuItem:
    return PortalHomePageMenuItem(
        "Portal home page", reverse(URL_NAME), name="portal-home-page", icon_name="home", order=150
    )
