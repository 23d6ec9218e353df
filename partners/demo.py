"""Partners' computed demo steps: the vendor's editors, the demo partner user's token, Acme's invitations.

Tiers, partner types, regions, roles, the 48 partners and their 180 users are data, in
``fixtures/demo/partners.json``.
"""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail.backends.base import BaseEmailBackend

from core.demo import DemoRun

from .invitations import invitation_create, invitation_resend
from .models import Invitation, Role
from .services import api_token_issue, editor_upsert, partner_user_password_set

#: The demo user whose token ``make demo`` prints: a Gold reseller in EMEA with sales and marketing roles.
DEMO_PARTNER_USER = "ann.andersen"
#: Acme's partner admin: sees Acme's certification compliance (``make demo`` prints her token too).
DEMO_PARTNER_ADMIN = "priya.patel"
DEMO_PASSWORD = "partnerhub-demo"
#: (username, e-mail, superuser, groups); the demo partners' channel managers are among them.
EDITORS = [
    ("admin", "admin@vendor.example", True, ()),
    ("maria.editor", "maria.editor@vendor.example", False, ("Editors",)),
    ("sam.moderator", "sam.moderator@vendor.example", False, ("Moderators",)),
    ("carla.channel", "carla.channel@vendor.example", False, ("Editors",)),  # a channel manager
]


def demo_editors(run: DemoRun) -> None:
    """Editors first: they own the demo content and manage the demo partners."""
    for username, email, is_superuser, groups in EDITORS:
        editor_upsert(
            username=username, email=email, password=DEMO_PASSWORD, is_superuser=is_superuser, group_names=groups
        )
    run.summary.append(f"editors: {', '.join(name for name, *_ in EDITORS)} (password {DEMO_PASSWORD!r})")


def issue_demo_token(username: str) -> str:
    """A fresh API token of a demo partner user (the plaintext)."""
    _token, plaintext = api_token_issue(user=get_user_model().objects.get(username=username), name="make demo")
    return plaintext


def demo_logins(run: DemoRun) -> None:
    base_url = settings.PARTNERHUB_PUBLIC_URL
    token = issue_demo_token(DEMO_PARTNER_USER)
    partner_users = get_user_model().objects.filter(username__in=[DEMO_PARTNER_USER, DEMO_PARTNER_ADMIN])
    for user in partner_users:
        partner_user_password_set(user=user, password=DEMO_PASSWORD)
    run.logins += [
        f"Admin:  {base_url}/admin/  e-mail 'admin@vendor.example', password {DEMO_PASSWORD!r} "
        "(then set up two-factor authentication: superusers must have it)",
        f"Partner sign-in:  {base_url}/accounts/login/  "
        + ", ".join(sorted(user.email for user in partner_users))
        + f", password {DEMO_PASSWORD!r}",
        f"Demo partner user {DEMO_PARTNER_USER} (Acme Networks, Gold reseller, EMEA) token:",
        f"  {token}",
        f"  curl -H 'Authorization: Bearer {token}' {base_url}/api/v1/me",
    ]


#: Colleagues Acme's partner admin has invited (pending): (e-mail, role keys).
DEMO_INVITATIONS = [
    ("nina.newcomer@acme-networks.example", ["sales"]),
    ("tom.techlead@acme-networks.example", ["technical", "sales"]),
]


class KeptMail(BaseEmailBackend):
    """An e-mail connection that keeps the messages instead of sending them: ``load_demo`` prints no e-mail."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.messages = []

    def send_messages(self, email_messages):
        self.messages.extend(email_messages)
        return len(email_messages)


def demo_invitations(run: DemoRun) -> None:
    """Two pending invitations from Acme's partner admin; the first one's link is printed (re-runs renew it)."""
    actor = get_user_model().objects.get(username=DEMO_PARTNER_ADMIN)
    partner = actor.partner_membership.partner
    mail = KeptMail()
    for email, role_keys in DEMO_INVITATIONS:
        if get_user_model().objects.filter(email__iexact=email).exists():
            continue  # accepted in an earlier run: they are a member now
        pending = Invitation.objects.open().filter(email__iexact=email).first()
        if pending is not None:
            invitation_resend(invitation=pending, actor=actor, mail_connection=mail)
        else:
            roles = list(Role.objects.filter(key__in=role_keys))
            invitation_create(partner=partner, email=email, roles=roles, actor=actor, mail_connection=mail)
    links = [re.search(r"https?://\S+/accounts/invitations/\S+/", m.body) for m in mail.messages]
    if links and links[0]:
        run.logins.append(f"Invitation for {mail.messages[0].to[0]} (from {actor.get_full_name()}): {links[0][0]}")
