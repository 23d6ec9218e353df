"""factory_boy helpers of accounts: partner users and staff who sign in with a password."""

from partners.factories import PartnerFactory, StaffUserFactory, partner_user

PASSWORD = "a-Strong-passphrase-42"  # noqa: S105 (test accounts only)


def partner_user_with_password(*, email: str, password: str = PASSWORD, partner=None, **membership):
    """A partner user (of ``partner``, or a new active one) who signs in with ``email`` and ``password``."""
    user = partner_user(partner=partner or PartnerFactory(), user__email=email, **membership)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def staff_user_with_password(*, username: str, email: str, password: str = PASSWORD, **extra):
    return StaffUserFactory(username=username, email=email, password=password, **extra)
