"""What an identity provider's answer means here (services of single sign-on).

An IdP vouches for a user; the hub decides, at every sign-in, before anyone is signed in
(``sso_sign_in_check``):

* the address must be of a domain the connection owns: partner A's IdP never signs in an
  address of partner B's (nor of the vendor's);
* the user's groups must map to at least one role (staff group for the vendor's IdP): a user
  whose groups no longer map is refused, as one the IdP disabled never gets here at all;
* an existing user must belong to the connection's partner (staff: to no partner), and still
  have access (active, partner active, before their last day).

Then ``sso_roles_apply`` sets the roles (or staff groups) the mapping manages from the groups
the IdP sent, every time, and ``sso_user_provision`` makes a new user a member of the
connection's partner just in time. Roles the mapping does not mention stay as they were.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from partners.members import member_roles_sync
from partners.models import PartnerMembership

from ..access import NO_ACCESS_MESSAGE, may_be_signed_in
from ..models import SSOConnection
from .connections import owns_email


@dataclass(frozen=True)
class SSOIdentity:
    """Who the IdP says the user is: what the hub uses of its answer."""

    email: str
    groups: tuple[str, ...]


class SSORefused(Exception):
    """The IdP vouched for the user, but they may not sign in here: ``message`` says why, to them."""

    def __init__(self, message: str, *, detail: str):
        super().__init__(message)
        self.message = message
        self.detail = detail  # for the audit: what an administrator needs to fix it


def groups_from_claim(value) -> tuple[str, ...]:
    """A groups claim as names: a list, or one string (a single group, or several separated by commas)."""
    if value is None:
        return ()
    values = value if isinstance(value, list | tuple) else str(value).split(",")
    names = []
    for item in values:
        name = str(item).strip().rsplit("/", 1)[-1]  # "/sales" (a full path) and "sales" are one group
        if name and name not in names:
            names.append(name)
    return tuple(names)


def mapped(connection: SSOConnection, groups) -> tuple[list, list]:
    """The roles (or staff groups) ``groups`` give, and all those the connection's mapping manages."""
    given, managed = [], []
    for mapping in connection.role_mappings.all():
        target = mapping.group if connection.for_staff else mapping.role
        if target is None:
            continue
        if target not in managed:
            managed.append(target)
        if mapping.idp_group in groups and target not in given:
            given.append(target)
    return given, managed


def sso_sign_in_check(*, connection: SSOConnection, identity: SSOIdentity, user) -> list:
    """Refuse (``SSORefused``) a sign-in the hub must not accept; the roles (staff groups) it gives otherwise.

    ``user`` is the existing user the IdP's answer points to, ``None`` for a new one.
    """
    if not identity.email:
        raise SSORefused(
            "Your identity provider did not tell us your e-mail address, so we cannot sign you in.",
            detail=f"{connection.name}: no e-mail address in the IdP's answer",
        )
    if not owns_email(connection, identity.email):
        raise SSORefused(
            f"{connection.name} cannot sign in {identity.email}: that address belongs to another organisation.",
            detail=f"{connection.name} vouched for an address of a domain it does not own ({identity.email})",
        )
    given, _ = mapped(connection, identity.groups)
    if not given:
        raise SSORefused(
            "Your account at your identity provider gives you no access to Partner Hub (none of your groups is "
            "one that does). Ask your IT department or your partner administrator.",
            detail=f"{connection.name}: no mapped group among {', '.join(identity.groups) or 'no groups'}",
        )
    if user is not None and user.pk is not None:
        membership = PartnerMembership.objects.filter(user=user).select_related("partner").first()
        if connection.for_staff and membership is not None:
            raise SSORefused(
                "This account belongs to a partner: sign in with your company's identity provider.",
                detail=f"{connection.name} (staff) vouched for a partner user",
            )
        if not connection.for_staff and (membership is None or membership.partner_id != connection.partner_id):
            raise SSORefused(
                f"{identity.email} is not an account of {connection.partner}.",
                detail=f"{connection.name} vouched for a user of "
                f"{membership.partner if membership else 'no partner (staff)'}",
            )
        if not user.is_active or (membership is not None and not may_be_signed_in(user)):
            raise SSORefused(NO_ACCESS_MESSAGE, detail=f"{connection.name}: the user has no access")
    elif not connection.for_staff and not connection.partner.is_active:
        raise SSORefused(NO_ACCESS_MESSAGE, detail=f"{connection.name}: the partner is inactive")
    return given


@transaction.atomic
def sso_roles_apply(*, connection: SSOConnection, user, groups) -> bool:
    """Set the roles (staff groups) the connection's mapping manages from ``groups``; whether any changed.

    A new user becomes a member of the connection's partner here (just in time).
    """
    given, managed = mapped(connection, groups)
    if connection.for_staff:
        held = set(user.groups.all())
        wanted = (held - set(managed)) | set(given)
        if wanted != held:
            user.groups.set(wanted)
            return True
        return False
    try:
        _, changed = member_roles_sync(user=user, partner=connection.partner, roles=given, managed_roles=managed)
    except ValidationError as error:
        raise SSORefused(
            f"This account is not one of {connection.partner}'s.", detail=f"{connection.name}: {error.messages[0]}"
        ) from error
    return changed
