"""Fixtures of the cms tests: admin users."""

from django.contrib.auth import get_user_model

import pytest

from partners.factories import StaffUserFactory, give_second_factor


@pytest.fixture
def admin_user():
    """A superuser, with the second factor a superuser must have (accounts.mfa)."""
    user = get_user_model().objects.create_superuser("admin", "admin@example.test", "admin-password")
    give_second_factor(user)
    return user


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def editor():
    return StaffUserFactory(username="erin", first_name="Erin", last_name="Editor")


@pytest.fixture
def staff_client(client):
    """The admin as a staff user without special permissions."""
    client.force_login(StaffUserFactory())
    return client
