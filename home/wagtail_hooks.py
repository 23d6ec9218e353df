"""Registers the portal's admin with Wagtail: the links hub (``home.admin.links``)."""

from wagtail.snippets.models import register_snippet

from .admin.links import PortalLinkViewSet

register_snippet(PortalLinkViewSet)
