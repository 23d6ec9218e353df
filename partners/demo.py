"""Partners' computed demo steps: the vendor's editors, and the demo partner user's token.

Tiers, partner types, regions, roles, the 48 partners and their 180 users are data, in
``fixtures/demo/partners.json``.
"""

from django.conf import settings
from django.contrib.auth import get_user_model

from core.demo import DemoRun

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
    base_url = settings.WAGTAILADMIN_BASE_URL
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
