"""Registers the admin of partners with Wagtail: the "Partners" menu group (``partners.admin``)."""

from wagtail import hooks

from .admin.viewsets import PartnersViewSetGroup


@hooks.register("register_admin_viewset")
def register_partners_viewset_group():
    return PartnersViewSetGroup()
