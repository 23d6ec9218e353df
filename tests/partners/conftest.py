"""What the invitation, people and token tests share: two partners with an admin and a colleague each, the
signals heard, and the link an e-mail carried (``last_link_token``)."""

import re

from django.core import mail

import pytest

from core.signals import access_revoked, identity_event
from partners.factories import PartnerFactory, RoleFactory
from tests.conftest import make_token_user

LINK = re.compile(r"https?://\S+/accounts/invitations/(?P<token>[^/\s]+)/")


def last_link_token(to: str) -> str:
    """The token of the link in the last e-mail sent to ``to``."""
    message = [m for m in mail.outbox if to in m.to][-1]
    return LINK.search(message.body)["token"]


@pytest.fixture
def world(db):
    admin_role = RoleFactory(key="admin", name="Admin")
    sales = RoleFactory(key="sales", name="Sales")
    technical = RoleFactory(key="technical", name="Technical")
    acme = PartnerFactory(key="acme", name="Acme Networks")
    globex = PartnerFactory(key="globex", name="Globex Systems")
    return {
        "acme": acme,
        "globex": globex,
        "admin_role": admin_role,
        "sales": sales,
        "technical": technical,
        "admin": make_token_user(partner=acme, roles=[admin_role]),
        "colleague": make_token_user(partner=acme, roles=[sales]),
        "globex_admin": make_token_user(partner=globex, roles=[admin_role]),
        "globex_user": make_token_user(partner=globex, roles=[sales]),
    }


@pytest.fixture
def events():
    """The ``identity_event``s and ``access_revoked`` user ids sent during the test."""
    heard = {"identity": [], "revoked": []}

    def on_identity(sender, event, **kwargs):
        heard["identity"].append((event, kwargs["email"], kwargs["partner"], kwargs["actor"], kwargs["user"]))

    def on_revoked(sender, user_ids, **kwargs):
        heard["revoked"].extend(user_ids)

    identity_event.connect(on_identity, dispatch_uid="test-identity")
    access_revoked.connect(on_revoked, dispatch_uid="test-revoked")
    yield heard
    identity_event.disconnect(dispatch_uid="test-identity")
    access_revoked.disconnect(dispatch_uid="test-revoked")
