"""The authentication backend that keeps passwords out of domains an identity provider owns.

First in ``AUTHENTICATION_BACKENDS`` after the lock-out's: a password sign-in (at /accounts/login/,
the admin's, the API's) for an address whose domain an active ``SSOConnection`` owns is refused
outright, whatever the password, so that leaving the company's IdP leaves the hub too.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .connections import connection_for_email


class SSODomainBackend:
    """Refuses (``PermissionDenied`` stops Django's backends) a password for an SSO domain; never signs anyone in.

    No ``get_user``: a backend with one could be chosen by ``force_login`` and sessions, and this one keeps nobody.
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        identifier = (email or username or "").strip()
        if not identifier or password is None:
            return None
        address = identifier
        if "@" not in identifier:  # a username: the account's own address decides
            user = get_user_model().objects.filter(Q(username=identifier)).only("email").first()
            address = user.email if user is not None else ""
        if connection_for_email(address) is not None:
            raise PermissionDenied("This address signs in through its organisation's identity provider.")
        return None
