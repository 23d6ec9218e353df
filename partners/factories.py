"""factory_boy factories of partners, for tests and benchmarks."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

import factory

from .invitations import token_digest
from .models import (
    HeldQualification,
    Invitation,
    Partner,
    PartnerMembership,
    PartnerType,
    Qualification,
    Region,
    Role,
    Tier,
)


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"tier-{n}")
    name = factory.LazyAttribute(lambda o: o.key.replace("-", " ").title())
    rank = factory.Sequence(lambda n: 100 + n * 10)


class PartnerTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerType
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"type-{n}")
    name = factory.LazyAttribute(lambda o: o.key.title())


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"region-{n}")
    name = factory.LazyAttribute(lambda o: o.key.upper())


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"role-{n}")
    name = factory.LazyAttribute(lambda o: o.key.title())


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    key = factory.Sequence(lambda n: f"partner-{n}")
    name = factory.Faker("company")
    tier = factory.SubFactory(TierFactory)
    partner_type = factory.SubFactory(PartnerTypeFactory)
    region = factory.SubFactory(RegionFactory)
    is_active = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    is_active = True
    password = factory.django.Password("not-a-real-password")


def give_second_factor(user) -> None:
    """Give ``user`` an authenticator app, as staff who can publish or administer must have (accounts.mfa).

    Written directly (no allauth signal, so no audit line): test staff are set up, not enrolling.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt("JBSWY3DPEHPK3PXP")}}
    )


class StaffUserFactory(UserFactory):
    """A superuser with a second factor (``second_factor=False`` for one who has none yet)."""

    class Meta:
        skip_postgeneration_save = True  # the hook writes an authenticator, never the user

    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            give_second_factor(obj)


def staff_user_with_permissions(*permissions: str, **kwargs):
    """A staff user (not a superuser) who may open the admin, in a group of their own holding ``permissions``,
    named as ``user.has_perm`` names them (``"cms.change_asset"``); the group is ``user.groups.get()``.

    Without a second factor unless ``second_factor=True``; other ``kwargs`` go to ``StaffUserFactory``.
    """
    user = StaffUserFactory(**{"is_superuser": False, "second_factor": False, **kwargs})
    group = Group.objects.create(name=f"Permissions of {user.username}")
    for permission in ("wagtailadmin.access_admin", *permissions):
        app_label, codename = permission.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.groups.add(group)
    return user


class PartnerMembershipFactory(factory.django.DjangoModelFactory):
    """A partner user: ``PartnerMembershipFactory(roles=[role, ...])`` sets their roles."""

    class Meta:
        model = PartnerMembership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(extracted)


def partner_user(**kwargs):
    """A partner user (the ``User``), with ``partner=`` and ``roles=`` passed to the membership."""
    return PartnerMembershipFactory(**kwargs).user


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation whose link's token is ``invitation-token-<n>`` (``token`` sets another one).

    For a state other than pending, set ``expires_at``, ``accepted_at`` or ``revoked_at``; the services in
    ``partners.invitations`` make real ones (and send the e-mail).
    """

    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    class Params:
        token = factory.Sequence(lambda n: f"invitation-token-{n}")

    partner = factory.SubFactory(PartnerFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    token_hash = factory.LazyAttribute(lambda o: token_digest(o.token))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    last_sent_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(extracted)


class QualificationFactory(factory.django.DjangoModelFactory):
    """A qualification as certifications keeps them (tests of the rule need no certification)."""

    class Meta:
        model = Qualification
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"qualification-{n}")
    name = factory.LazyAttribute(lambda o: o.key.replace("-", " ").title())


class HeldQualificationFactory(factory.django.DjangoModelFactory):
    """``user`` holds ``qualification`` for a year (``valid_until`` in the past: it has ended)."""

    class Meta:
        model = HeldQualification

    user = factory.SubFactory(UserFactory)
    qualification = factory.SubFactory(QualificationFactory)
    valid_until = factory.LazyFunction(lambda: timezone.now() + timedelta(days=365))
