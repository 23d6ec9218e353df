"""allauth's adapter for Partner Hub: no open sign-up, and the client address the rate limits use."""

from django.core.exceptions import PermissionDenied

from allauth.account.adapter import DefaultAccountAdapter

from .throttling import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Nobody signs up: partner users come from the importer, invitations and single sign-on."""
        return False

    def get_client_ip(self, request) -> str:
        """The address behind ``NINJA_NUM_PROXIES`` trusted proxies, as the API and django-axes see it."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address
