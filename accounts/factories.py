"""factory_boy factories of accounts, for tests and benchmarks."""

from django.utils import timezone

import factory

from partners.factories import UserFactory

from .models import SignInEvent, SignInEventType, SignInMethod


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
