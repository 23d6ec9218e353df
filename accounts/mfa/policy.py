"""Who must sign in with a second factor, and who has one (selectors).

``mfa_required_for(user)`` is true for an active user who is:

* staff who can publish or administer (``staff_may_publish_or_administer``):
  - a superuser;
  - a member of a group with the page permission "publish" anywhere in the page tree (a ``GroupPagePermission``);
  - holding any model permission whose codename starts with ``publish_`` (Wagtail's publishing of snippets:
    assets, programs, bulletins, courses, certifications);
  - holding a permission to add, change or delete users or groups (Wagtail's Settings → Users and Groups),
    which is how someone could give themselves any of the above;
* a partner user of a partner whose ``mfa_policy`` is ``required``.

Editors who may only edit and submit for moderation, and partner users of partners with the default
"optional" policy, may turn MFA on themselves; nobody is held to it.

The answers are cached on the user object, which lives for one request.
"""

from django.contrib.auth.models import AnonymousUser

from wagtail.models import GroupPagePermission

from allauth.mfa.models import Authenticator

from partners.models import PartnerMembership, PartnerMfaPolicy

#: Permissions that administer people: whoever holds one can grant themselves anything.
ADMINISTRATION_PERMISSIONS = frozenset(
    f"auth.{action}_{model}" for action in ("add", "change", "delete") for model in ("user", "group")
)
PAGE_PUBLISH_CODENAME = "publish_page"
#: Authenticators that are a second factor (recovery codes only back one up).
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

_REQUIRED_CACHE = "_partnerhub_mfa_required"
_ENABLED_CACHE = "_partnerhub_mfa_enabled"

REASON_STAFF = "your account can publish content or administer Partner Hub"
REASON_PARTNER = "your company requires it for everyone who signs in to Partner Hub"


def _is_signed_in(user) -> bool:
    return user is not None and not isinstance(user, AnonymousUser) and user.is_authenticated and user.is_active


def staff_may_publish_or_administer(user) -> bool:
    """Superusers, page publishers (any ``GroupPagePermission`` "publish"), holders of a ``publish_*`` model
    permission, and user or group administrators."""
    if not _is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    permissions = user.get_all_permissions()  # cached on the user; Wagtail's admin reads the same cache
    if permissions & ADMINISTRATION_PERMISSIONS:
        return True
    if any(permission.split(".", 1)[-1].startswith("publish_") for permission in permissions):
        return True
    return GroupPagePermission.objects.filter(group__user=user, permission__codename=PAGE_PUBLISH_CODENAME).exists()


def partner_policy_of(user) -> str | None:
    """The MFA policy of the user's partner (``PartnerMfaPolicy``); ``None`` for a user without a partner."""
    return PartnerMembership.objects.filter(user_id=user.pk).values_list("partner__mfa_policy", flat=True).first()


def mfa_required_reason(user) -> str | None:
    """Why ``user`` must have a second factor (a phrase to show them), or ``None`` when they need not."""
    if not _is_signed_in(user):
        return None
    if hasattr(user, _REQUIRED_CACHE):
        return getattr(user, _REQUIRED_CACHE)
    policy = partner_policy_of(user)
    if policy == PartnerMfaPolicy.REQUIRED:
        reason = REASON_PARTNER
    elif policy is None or user.is_staff or user.is_superuser:  # partner users are never staff (a constraint)
        reason = REASON_STAFF if staff_may_publish_or_administer(user) else None
    else:
        reason = None
    setattr(user, _REQUIRED_CACHE, reason)
    return reason


def mfa_required_for(user) -> bool:
    """Must ``user`` sign in with a second factor? (See the module's docstring for who.)"""
    return mfa_required_reason(user) is not None


def mfa_enabled_for(user) -> bool:
    """Does ``user`` have a second factor (an authenticator app, or a security key)? One query, then cached."""
    if not _is_signed_in(user):
        return False
    if not hasattr(user, _ENABLED_CACHE):
        setattr(
            user, _ENABLED_CACHE, Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()
        )
    return getattr(user, _ENABLED_CACHE)


def mfa_enrolment_pending(user) -> bool:
    """A signed-in user who must have a second factor and has none yet."""
    return mfa_required_for(user) and not mfa_enabled_for(user)
