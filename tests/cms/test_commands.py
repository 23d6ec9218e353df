"""Management commands: tokens, the demo data, and Wagtail's scheduled publishing task."""

import logging
from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

import pytest

from partners.factories import UserFactory
from partners.models import Partner, PartnerType, Region, Tier
from tests.conftest import make_token_user

pytestmark = pytest.mark.django_db


def call(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_issue_token_prints_a_working_token(client, gold_partner_user):
    token = call("issue_token", gold_partner_user.user.username).strip()
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_issue_token_refuses_unknown_and_staff_users():
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call("issue_token", "ghost")
    staff = UserFactory(is_staff=True)
    with pytest.raises(CommandError, match="cannot use the partner API"):
        call("issue_token", staff.username)


def test_revoke_tokens_revokes_every_token_at_once(client):
    first = make_token_user()
    second_token = call("issue_token", first.user.username).strip()
    out = call("revoke_tokens", first.user.username)
    assert "Revoked 2 token(s)" in out
    for token in (first.token, second_token):
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    with pytest.raises(CommandError, match="No user named"):
        call("revoke_tokens", "ghost")


@override_settings(DEBUG=True)
def test_load_demo_makes_realistic_data_and_a_working_token(client):
    out = call("load_demo", "--no-progress")
    assert Tier.objects.count() >= 4
    assert PartnerType.objects.count() >= 5
    assert Region.objects.count() >= 4
    assert Partner.objects.count() >= 40
    users = get_user_model().objects
    assert users.filter(partner_membership__isnull=False).count() >= 150
    assert users.filter(is_staff=True).count() >= 3
    assert users.get(username="admin").check_password("partnerhub-demo")
    token = next(line.strip() for line in out.splitlines() if line.strip().startswith("wagtail_"))
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["partner"]["tier"]["key"] == "gold"
    assert {r["key"] for r in me["roles"]} == {"sales", "marketing"}
    # The demo partner user signs in at the partners' door with the printed password.
    signed_in = client.post(
        "/accounts/login/", {"login": "ann.andersen@acme-networks.example", "password": "partnerhub-demo"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"
    assert "Partner sign-in:" in out and "ann.andersen@acme-networks.example" in out

    from cms.models import Asset, AssetVersion, Bulletin, Program

    assert Asset.objects.count() >= 300 and Program.objects.count() >= 20 and Bulletin.objects.count() >= 40
    assert {a.lifecycle_state for a in Asset.objects.all()} >= {"live", "scheduled", "archived", "draft"}
    assert Asset.objects.exclude(file="").count() > 150  # real files
    counts = (Partner.objects.count(), users.count(), Asset.objects.count(), AssetVersion.objects.count())
    again = call("load_demo", "--no-progress")
    assert (Partner.objects.count(), users.count(), Asset.objects.count(), AssetVersion.objects.count()) == counts
    for section in ("partners", "users", "assets", "programs", "bulletins"):
        assert f"{section}: 0 created, 0 updated," in again, section


@override_settings(DEBUG=True)
def test_load_demo_prints_a_short_summary_and_ends_with_the_logins_and_tokens(caplog):
    caplog.set_level(logging.INFO)
    err = StringIO()
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=err)  # with its progress bars
    lines = out.getvalue().splitlines()
    assert len(lines) < 40
    assert [record.getMessage() for record in caplog.records if record.levelno <= logging.INFO] == []
    assert err.getvalue().count("\n") < 40  # the progress bar redraws its line; no task or edit lines
    tokens = [n for n, line in enumerate(lines) if line.strip().startswith("wagtail_")]
    assert len(tokens) == 2
    logins = lines.index("Logins and tokens:")
    assert lines[logins + 1].startswith("Admin:") and "'admin@vendor.example'" in lines[logins + 1]
    assert logins < tokens[0] and tokens[1] >= len(lines) - 2  # the tokens come last


def test_load_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call("load_demo", "--no-progress")


def test_beat_schedule_runs_wagtails_scheduled_publishing():
    from django.conf import settings

    from wagtail.models import Page

    from cms.tasks import lifecycle_sweep as publish_scheduled

    entry = settings.CELERY_BEAT_SCHEDULE["lifecycle-sweep"]
    assert entry["task"] == publish_scheduled.name
    home = Page.objects.get(depth=2).specific
    home.expire_at = timezone.now() - timedelta(minutes=1)  # due: the task must expire it
    home.save()
    assert home.live
    publish_scheduled.delay()
    home.refresh_from_db()
    assert home.expired and not home.live
