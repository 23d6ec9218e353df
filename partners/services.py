"""Writes of partner data: one function per use case, keyword-only, validated before saving.

The importer, ``load_demo``, the management commands and the API change partner
data through these functions; the admin's generic views save their validated
forms directly, as Wagtail's do.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from wagtail.log_actions import log
from wagtail.models import APIToken

from core.models import keyed_upsert, model_update

from .models import Partner, PartnerMembership, PartnerType, Region, Role, Tier


def tier_upsert(*, key: str, name: str, rank: int):
    return keyed_upsert(Tier, key=key, name=name, rank=rank)


def partner_type_upsert(*, key: str, name: str):
    return keyed_upsert(PartnerType, key=key, name=name)


def region_upsert(*, key: str, name: str):
    return keyed_upsert(Region, key=key, name=name)


def role_upsert(*, key: str, name: str):
    return keyed_upsert(Role, key=key, name=name)


_UNCHANGED = object()


def partner_upsert(
    *,
    key: str,
    name: str,
    tier: Tier,
    partner_type: PartnerType,
    region: Region,
    is_active: bool,
    channel_manager=_UNCHANGED,
):
    """Create or update a partner; its channel manager stays as it is unless one (or ``None``) is given."""
    extra = {} if channel_manager is _UNCHANGED else {"channel_manager": channel_manager}
    return keyed_upsert(
        Partner, key=key, name=name, tier=tier, partner_type=partner_type, region=region, is_active=is_active, **extra
    )


def partner_set_active(*, partner: Partner, is_active: bool) -> Partner:
    """Activate or deactivate a partner; its users are refused on their very next request."""
    partner.is_active = is_active
    partner.full_clean()
    partner.save(update_fields=["is_active", "updated_at"])
    return partner


@transaction.atomic
def partner_user_upsert(
    *,
    username: str,
    email: str,
    partner: Partner,
    roles: list[Role],
    is_active: bool = True,
    first_name: str = "",
    last_name: str = "",
    leaves_on=_UNCHANGED,
):
    """Create or update a partner user and their membership; return ``(user, created, changed)``.

    New users get an unusable password: partner users sign in through the portal's
    SSO or use API tokens. ``leaves_on`` (their last day, or ``None``) stays as it is unless given.
    """
    User = get_user_model()
    values = {"email": email, "is_active": is_active, "first_name": first_name, "last_name": last_name}
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username, **values)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        changed = True
    else:
        user, changed = model_update(instance=user, fields=list(values), data=values)

    membership = PartnerMembership.objects.filter(user=user).first()
    if membership is None:
        membership = PartnerMembership(user=user, partner=partner)
        if leaves_on is not _UNCHANGED:
            membership.leaves_on = leaves_on
        membership.full_clean()
        membership.save()
        changed = True
    else:
        updates = {"partner": partner}
        if leaves_on is not _UNCHANGED:
            updates["leaves_on"] = leaves_on
        elif membership.partner_id != partner.pk:
            updates["leaves_on"] = None  # the notice was given at the partner they left
        membership, updated = model_update(instance=membership, fields=list(updates), data=updates)
        changed = changed or updated
    wanted_roles = {role.pk for role in roles}
    if set(membership.roles.values_list("pk", flat=True)) != wanted_roles:
        membership.roles.set(roles)
        changed = True
    return user, created, changed


def editor_upsert(*, username: str, email: str, password: str, is_superuser: bool = False, group_names=()):
    """Create or update a vendor-side editor who works in the Wagtail admin."""
    from django.contrib.auth.models import Group

    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    user.email = email
    user.is_staff = True
    user.is_superuser = is_superuser
    user.is_active = True
    user.set_password(password)
    user.full_clean()
    user.save()
    groups = [Group.objects.get(name=name) for name in group_names]
    if groups:
        user.groups.add(*groups)
    return user, created


def api_token_issue(*, user, name: str = "Partner API"):
    """Issue a new API token for a partner user; return ``(token, plaintext)``.

    Wagtail stores only an HMAC digest; the plaintext is returned once. Staff and
    users without an active partner get a clear error: the partner API would refuse them.
    """
    from .audience import viewer_for

    if viewer_for(user) is None:
        raise ValidationError(
            f"{user.get_username()} cannot use the partner API: the user must be active, "
            "a member of an active partner and not past their last day there."
        )
    token, plaintext = APIToken.create_token(user=user, name=name)
    log(token, "wagtail.apitoken.create", data={"source": "partnerhub"})
    return token, plaintext


def api_tokens_revoke(*, user) -> int:
    """Revoke every live token of ``user``, each audited; return how many were revoked."""
    tokens = list(APIToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.revoke()
        log(token, "wagtail.apitoken.revoke", data={"source": "partnerhub"})
    return len(tokens)
