"""Fixtures shared by every test: partner users with API tokens and an authenticated client."""

from dataclasses import dataclass

import pytest

from partners.factories import PartnerFactory, RoleFactory, TierFactory, partner_user
from partners.services import api_token_issue


@dataclass
class TokenUser:
    user: object
    token: str

    @property
    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}


def make_token_user(**membership) -> TokenUser:
    user = partner_user(**membership)
    _token, plaintext = api_token_issue(user=user, name="test")
    return TokenUser(user=user, token=plaintext)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gold_partner_user(db) -> TokenUser:
    partner = PartnerFactory(key="acme", name="Acme Networks", tier=TierFactory(key="gold", name="Gold", rank=30))
    return make_token_user(partner=partner, roles=[RoleFactory(key="sales", name="Sales")])


@pytest.fixture
def admin_user(db, django_user_model, django_username_field):
    """pytest-django's superuser, with the second factor a superuser must have (accounts.mfa)."""
    from partners.factories import give_second_factor

    user = django_user_model._default_manager.create_superuser(
        **{django_username_field: "admin", "email": "admin@example.com", "password": "password"}
    )
    give_second_factor(user)
    return user


@pytest.fixture
def midday():
    """Today at noon UTC, the clock running: a test that loads the demo twice never sees the date change between
    the two (relative demo dates such as "today+60d" would, legitimately, update)."""
    from datetime import UTC, datetime, time

    import time_machine

    with time_machine.travel(datetime.combine(datetime.now(UTC).date(), time(12), tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def clamd(settings):
    """A clamd-speaking server (``tests/cms/fake_clamd.py``) that CLAMAV_URL points at: scanning on."""
    from tests.cms.fake_clamd import FakeClamd

    server = FakeClamd()
    settings.CLAMAV_URL = server.url
    yield server
    server.stop()


@pytest.fixture
def clamd_down(settings):
    """Scanning on, but nothing answers at CLAMAV_URL (a port that was free a moment ago)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CLAMAV_URL = f"tcp://127.0.0.1:{port}"
    return settings.CLAMAV_URL
