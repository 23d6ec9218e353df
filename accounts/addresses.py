"""Writes of users' e-mail addresses as allauth keeps them."""

from allauth.account.models import EmailAddress


def known_address_adopt(*, user) -> EmailAddress | None:
    """Record the address an operator gave ``user`` (importer, admin, invitation) as verified and primary.

    Done at their first sign-in, when allauth has no address of theirs yet: the operator vouched for it,
    and without it allauth would take it for an unconfirmed change and drop it when the user changes to a
    new address. An address the user adds later is used only once they confirmed it. An address another
    account already verified stays theirs (addresses are unique once verified).
    """
    email = (user.email or "").lower()
    if not email or EmailAddress.objects.filter(user_id=user.pk).exists():
        return None
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
        return None
    return EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
