"""Writes of partner data: one function per use case, keyword-only, validated before saving.

The importer, ``load_demo``, the management commands and the API change partner
data through these functions; the admin's generic views save their validated
forms directly, as Wagtail's do.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import APIToken

from core.models import keyed_upsert, model_update
from core.signals import access_revoked, identity_event

from .identity_cache import identity_changed
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
    mfa_policy=_UNCHANGED,
):
    """Create or update a partner; its channel manager and MFA policy stay as they are unless given.

    Deactivating a partner this way (the importer) ends its users' sessions, as ``partner_set_active`` does.
    """
    extra = {} if channel_manager is _UNCHANGED else {"channel_manager": channel_manager}
    if mfa_policy is not _UNCHANGED:
        extra["mfa_policy"] = mfa_policy
    was_active = Partner.objects.filter(key=key).values_list("is_active", flat=True).first()
    partner, created, changed = keyed_upsert(
        Partner, key=key, name=name, tier=tier, partner_type=partner_type, region=region, is_active=is_active, **extra
    )
    if was_active and not partner.is_active:
        _revoke_partner_access(partner)
    return partner, created, changed


def _revoke_partner_access(partner: Partner, *, actor=None) -> None:
    user_ids = list(partner.memberships.values_list("user_id", flat=True))
    if user_ids:
        access_revoked.send(sender=Partner, user_ids=user_ids, actor=actor)


def partner_set_active(*, partner: Partner, is_active: bool, actor=None) -> Partner:
    """Activate or deactivate a partner. Deactivating ends its users' sessions at once (``access_revoked``);
    their tokens are refused on their very next request."""
    was_active = Partner.objects.filter(pk=partner.pk).values_list("is_active", flat=True).first()
    partner.is_active = is_active
    partner.full_clean()
    partner.save(update_fields=["is_active", "updated_at"])
    partner_access_changed(partner=partner, was_active=was_active, actor=actor)
    return partner


def partner_access_changed(*, partner: Partner, was_active: bool, actor=None) -> None:
    """``partner`` was saved active or not (here, in the admin's form, anywhere): when that changed, its users'
    sessions end (``access_revoked``) or the audit records access restored."""
    if partner.is_active and not was_active:
        identity_event.send(
            sender=Partner,
            event="access.restored",
            user=None,
            actor=actor,
            partner=partner,
            email="",
            request=None,
            detail="Partner reactivated",
        )
    if was_active and not partner.is_active:
        _revoke_partner_access(partner, actor=actor)


def partner_user_set_active(*, user, active: bool, actor=None, request=None):
    """Activate or deactivate a partner user. Deactivating ends their sessions at once (``access_revoked``);
    their tokens are refused on their very next request. Staff are not partner users: refused."""
    if user.is_staff:
        raise ValidationError(f"{user.get_username()} is staff, not a partner user: change them in Settings → Users.")
    membership = PartnerMembership.objects.select_related("partner").filter(user=user).first()
    if membership is None:
        raise ValidationError(f"{user.get_username()} is not a member of any partner.")
    was_active = type(user).objects.filter(pk=user.pk).values_list("is_active", flat=True).first()
    user.is_active = active
    user.full_clean()
    user.save(update_fields=["is_active"])
    partner_user_access_changed(user=user, was_active=was_active, actor=actor, request=request)
    return user


def partner_user_access_changed(*, user, was_active: bool, actor=None, request=None) -> None:
    """``user`` was saved active or not (here, in Wagtail's user editor or bulk action): when that changed for a
    partner user, their sessions end (``access_revoked``) or the audit records access restored."""
    identity_changed()  # the bulk action writes with an UPDATE, which no signal reports: cached tokens end here
    if bool(was_active) == user.is_active:
        return
    membership = PartnerMembership.objects.select_related("partner").filter(user=user).first()
    if membership is None:
        return  # staff: the partner hub's lock-out is not theirs
    if user.is_active:
        identity_event.send(
            sender=type(user),
            event="access.restored",
            user=user,
            actor=actor,
            partner=membership.partner,
            email=user.email,
            request=request,
            detail="User reactivated",
        )
    else:
        access_revoked.send(sender=type(user), user_ids=[user.pk], actor=actor, request=request)


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

    New users get an unusable password: partner users sign in through the portal's SSO, set a password
    by "forgot password" at /accounts/, or use API tokens. ``leaves_on`` (their last day, or ``None``) stays
    as it is unless given. Deactivating a user, or giving a last day already past, ends their sessions.
    """
    User = get_user_model()
    values = {"email": email, "is_active": is_active, "first_name": first_name, "last_name": last_name}
    user = User.objects.filter(username=username).first()
    created = user is None
    was_active = user is not None and user.is_active
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
    past_last_day = membership.leaves_on is not None and membership.leaves_on < timezone.localdate()
    if not created and changed and ((was_active and not user.is_active) or past_last_day):
        access_revoked.send(sender=User, user_ids=[user.pk])
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


def partner_user_password_set(*, user, password: str):
    """Give a partner user a password they sign in with at /accounts/login/ (Django's validators apply)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def api_tokens_revoke(*, user) -> int:
    """Revoke every live token of ``user``, each audited; return how many were revoked."""
    tokens = list(APIToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.revoke()
        log(token, "wagtail.apitoken.revoke", data={"source": "partnerhub"})
    return len(tokens)


# --- qualifications (``partners.qualifications``): kept by the app that owns each one ---------------


def qualification_upsert(*, key: str, name: str, instance=None):
    """Create or update a qualification by ``key`` (or rename ``instance``'s key); answer the row."""
    from .models import Qualification

    qualification = instance or Qualification.objects.filter(key=key).first() or Qualification(key=key)
    if qualification.pk is None or (qualification.key, qualification.name) != (key, name[:100]):
        qualification.key, qualification.name = key, name[:100]
        qualification.full_clean()
        qualification.save()
    return qualification


def qualification_reserve(*, key: str):
    """The qualification with ``key``, created (named by its key) when its owner app has not written it yet.

    The importer names a certification that may come later in the same manifest; certifications then
    finds this row by its key and names it.
    """
    from .models import Qualification

    return Qualification.objects.filter(key=key).first() or qualification_upsert(key=key, name=key)


def held_qualification_set(*, user_id: int, qualification_id: int, valid_until) -> None:
    """``user_id`` holds the qualification until ``valid_until`` (``None``: holds it no longer)."""
    from .models import HeldQualification

    rows = HeldQualification.objects.filter(user_id=user_id, qualification_id=qualification_id)
    if valid_until is None:
        rows.delete()
        return
    held = rows.first() or HeldQualification(user_id=user_id, qualification_id=qualification_id)
    if held.pk is None or held.valid_until != valid_until:
        held.valid_until = valid_until
        held.full_clean(validate_constraints=False)
        held.save()


@transaction.atomic
def held_qualifications_replace(*, qualification_ids, wanted: dict[tuple[int, int], object]) -> dict[str, int]:
    """Make the holders of ``qualification_ids`` exactly ``wanted`` (``(user_id, qualification_id) -> valid_until``).

    Few queries whatever the number of rows (bulk writes): for reconciliation and bulk loads.
    """
    from .models import HeldQualification

    stored = {
        (user_id, qualification_id): (pk, valid_until)
        for pk, user_id, qualification_id, valid_until in HeldQualification.objects.filter(
            qualification_id__in=list(qualification_ids)
        ).values_list("pk", "user_id", "qualification_id", "valid_until")
    }
    gone = [pk for key, (pk, _until) in stored.items() if key not in wanted]
    HeldQualification.objects.filter(pk__in=gone).delete()
    changed = [
        HeldQualification(pk=stored[key][0], user_id=key[0], qualification_id=key[1], valid_until=until)
        for key, until in wanted.items()
        if key in stored and stored[key][1] != until
    ]
    HeldQualification.objects.bulk_update(changed, ["valid_until"], batch_size=1000)
    new = [
        HeldQualification(user_id=key[0], qualification_id=key[1], valid_until=until)
        for key, until in wanted.items()
        if key not in stored
    ]
    HeldQualification.objects.bulk_create(new, batch_size=1000)
    if gone or changed or new:  # bulk writes send no signals: what viewers hold is cached (``identity_cache``)
        identity_changed()
    return {"created": len(new), "updated": len(changed), "deleted": len(gone)}


def partner_branding_update(*, partner: Partner, actor, display_name: str, logo=None, remove_logo: bool = False):
    """A partner admin (or staff) changes what co-branded downloads carry: the display name and the logo.

    ``logo`` is a new upload (validated: PNG or JPEG, 2 MB); ``remove_logo`` drops the current one. The old
    logo's file is deleted after the commit. Co-branded copies are made again on their next download (their
    fingerprint covers the logo's SHA-256 and the name). Logged in the partner's history.
    """
    old_logo = partner.logo.name if partner.logo else ""
    partner.display_name = display_name.strip()
    if logo is not None:
        partner.logo = logo
    elif remove_logo:
        partner.logo = None
    partner.full_clean()
    with transaction.atomic():
        partner.save()
        log(instance=partner, action="wagtail.edit", user=actor, title=partner.name)
        if old_logo and old_logo != (partner.logo.name if partner.logo else ""):
            storage = partner._meta.get_field("logo").storage
            transaction.on_commit(lambda: storage.delete(old_logo), robust=True)
    return partner
