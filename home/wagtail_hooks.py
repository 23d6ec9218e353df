"""Registers the portal's admin with Wagtail: the links hub (``home.admin.links``) and "Portal home page"
(``home.admin.home_page``), the editors' way to the portal's one Wagtail page."""

from django.urls import path

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin.home_page import URL_NAME, edit_portal_home_page, portal_home_page_menu_item
from .admin.links import PortalLinkViewSet

register_snippet(PortalLinkViewSet)


@hooks.register("register_admin_urls")
def register_portal_home_page_url():
    # Wagtail requires admin access on every URL of this hook.
    return [path("portal-home-page/", edit_portal_home_page, name=URL_NAME)]


hooks.register("register_admin_menu_item", portal_home_page_menu_item)
