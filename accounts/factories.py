"""factory_boy helpers of accounts: users who sign in with a password, sign-in audit events, SSO connections."""

from django.utils import timezone

import factory

from partners.factories import PartnerFactory, StaffUserFactory, UserFactory, partner_user

from .models import (
    SignInEvent,
    SignInEventType,
    SignInMethod,
    SSOConnection,
    SSOEmailDomain,
    SSOProtocol,
    SSORoleMapping,
)

PASSWORD = "a-Strong-passphrase-42"  # noqa: S105 (test accounts only)


def partner_user_with_password(*, email: str, password: str = PASSWORD, partner=None, **membership):
    """A partner user (of ``partner``, or a new active one) who signs in with ``email`` and ``password``."""
    user = partner_user(partner=partner or PartnerFactory(), user__email=email, **membership)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def staff_user_with_password(*, username: str, email: str, password: str = PASSWORD, second_factor=False, **extra):
    """A superuser who signs in with ``email`` and ``password``; without a second factor unless asked."""
    return StaffUserFactory(username=username, email=email, password=password, second_factor=second_factor, **extra)


class SignInEventFactory(factory.django.DjangoModelFactory):
    """A sign-in event; the partner is the user's partner unless given (``partner=None`` for none)."""

    class Meta:
        model = SignInEvent

    at = factory.LazyFunction(timezone.now)
    event = SignInEventType.SIGN_IN_SUCCEEDED
    user = factory.SubFactory(UserFactory)
    identifier = factory.LazyAttribute(lambda o: o.user.email if o.user else "someone@example.test")
    partner = factory.LazyAttribute(
        lambda o: getattr(getattr(o.user, "partner_membership", None), "partner", None) if o.user else None
    )
    ip_address = "192.0.2.10"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    method = SignInMethod.PASSWORD
    detail = ""


class SSOConnectionFactory(factory.django.DjangoModelFactory):
    """An active OIDC connection of a new partner; ``domains=[...]`` and ``mappings={group: role}`` add children."""

    class Meta:
        model = SSOConnection
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner {n} SSO")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    partner = factory.SubFactory(PartnerFactory)
    protocol = SSOProtocol.OIDC
    issuer = factory.Sequence(lambda n: f"http://127.0.0.1:9/realms/partner-{n}")
    client_id = "partnerhub"
    client_secret = "a-client-secret"  # noqa: S105 (test connections only)

    @factory.post_generation
    def domains(obj, create, extracted, **kwargs):
        for domain in extracted or []:
            SSOEmailDomain.objects.create(connection=obj, domain=domain)

    @factory.post_generation
    def mappings(obj, create, extracted, **kwargs):
        """``{idp_group: Role or Group}``."""
        for idp_group, target in (extracted or {}).items():
            field = "group" if obj.partner_id is None else "role"
            SSORoleMapping.objects.create(connection=obj, idp_group=idp_group, **{field: target})
