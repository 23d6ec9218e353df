"""Owners are reminded before expiry and review dates, once per item, date and lead time."""

from datetime import UTC, date, datetime, timedelta

from django.core import mail

import pytest
import time_machine

from cms.factories import AssetFactory, BulletinFactory, ProgramFactory
from cms.models import Download, OwnerReminder
from cms.services.activity import download_record
from cms.services.reminders import freshness_reminders_send
from partners.factories import StaffUserFactory, partner_user

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 5, 10, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def lead_times(settings):
    settings.FRESHNESS_EXPIRY_REMINDER_DAYS = [14, 3]
    settings.FRESHNESS_REVIEW_REMINDER_DAYS = [7, 0]


def send_at(moment):
    with time_machine.travel(moment, tick=False):
        return freshness_reminders_send()


def test_expiry_reminders_at_each_lead_time_once():
    owner = StaffUserFactory(email="owner@vendor.test", first_name="Olga")
    asset = AssetFactory(live=True, owner=owner, title="Q2 price list", expire_at=NOW + timedelta(days=10))

    assert send_at(NOW) == 1  # inside 14 days
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@vendor.test"]
    assert "Q2 price list" in message.body and "expires on 20 May 2027" in message.body
    assert f"/{asset.pk}/" in message.body  # a link to edit it

    assert send_at(NOW + timedelta(hours=5)) == 0  # never twice
    assert send_at(NOW + timedelta(days=6)) == 0  # 4 days left: still the 14-day window
    assert send_at(NOW + timedelta(days=7)) == 1  # 3 days left: the 3-day reminder
    assert send_at(NOW + timedelta(days=8)) == 0
    assert len(mail.outbox) == 2
    assert set(OwnerReminder.objects.values_list("kind", "days_before")) == {("expiry", 14), ("expiry", 3)}


def test_review_reminders_including_overdue_and_one_digest_per_owner():
    owner = StaffUserFactory(email="owner@vendor.test")
    AssetFactory(live=True, owner=owner, title="Deck", review_by=date(2027, 5, 15))
    ProgramFactory(live=False, owner=owner, title="MDF", review_by=date(2027, 5, 1))  # overdue
    BulletinFactory(live=True, owner=owner, title="Later", review_by=date(2027, 8, 1))  # not yet

    assert send_at(NOW) == 2
    assert len(mail.outbox) == 1  # one digest for both
    body = mail.outbox[0].body
    assert "Deck" in body and "due for review on 15 May 2027" in body
    assert "MDF" in body and "review was due on 1 May 2027" in body
    assert "Later" not in body
    assert send_at(NOW + timedelta(days=1)) == 0


def test_no_reminders_for_archived_ownerless_or_expired_items():
    owner = StaffUserFactory(email="owner@vendor.test")
    AssetFactory(live=True, owner=None, expire_at=NOW + timedelta(days=2))
    AssetFactory(live=True, owner=owner, expire_at=NOW - timedelta(days=1))
    archived = AssetFactory(live=False, owner=owner, review_by=date(2027, 5, 11))
    archived.archived_at = NOW
    archived.save()
    assert send_at(NOW) == 0
    assert mail.outbox == []


def test_a_changed_expiry_date_is_reminded_again():
    owner = StaffUserFactory(email="owner@vendor.test")
    asset = AssetFactory(live=True, owner=owner, expire_at=NOW + timedelta(days=2))
    assert send_at(NOW) == 1
    asset.expire_at = NOW + timedelta(days=12)  # extended: a new date, so a new reminder when due
    asset.save()
    assert send_at(NOW + timedelta(hours=1)) == 1


def test_downloads_are_recorded_with_user_partner_and_version():
    asset = AssetFactory(live=False)
    asset.save_revision().publish()
    user = partner_user()
    download = download_record(asset=asset, user=user)
    assert Download.objects.get() == download
    assert download.partner == user.partner_membership.partner
    assert download.version.number == 1


def _replace_file(asset, note):
    from django.core.files.base import ContentFile

    asset.file = ContentFile(b"%PDF-1.4 " + note.encode(), name="new.pdf")
    asset.version_note = note
    asset.full_clean()
    asset.save()
    asset.save_revision().publish()


def test_partners_who_downloaded_an_earlier_version_get_one_digest():
    from cms.services.reminders import version_digests_send
    from partners.factories import PartnerFactory, TierFactory

    gold = TierFactory(key="gold", rank=30)
    silver = TierFactory(key="silver", rank=20)
    with time_machine.travel(NOW, tick=False):
        asset = AssetFactory(live=False, title="Pricing guide")
        asset.save_revision().publish()
        gated = AssetFactory(live=False, title="Gold-only roadmap", min_tier=gold)
        gated.save_revision().publish()
        reader = partner_user(partner=PartnerFactory(tier=gold))
        silver_reader = partner_user(partner=PartnerFactory(tier=silver))
        again = partner_user()
        never = partner_user()  # noqa: F841 - never downloaded: never told
        for user in (reader, again, silver_reader):
            download_record(asset=asset, user=user)
        download_record(asset=gated, user=reader)
        download_record(asset=gated, user=silver_reader)  # e.g. before its audience was narrowed to gold
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        _replace_file(asset, "2027 prices")
        _replace_file(gated, "New roadmap")
    with time_machine.travel(NOW + timedelta(days=1, hours=1), tick=False):
        download_record(asset=asset, user=again)  # already has the new version

    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        assert version_digests_send() == 3
    by_user = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_user) == {reader.email, silver_reader.email}
    assert "Pricing guide (version 2" in by_user[reader.email] and "2027 prices" in by_user[reader.email]
    assert "Gold-only roadmap" in by_user[reader.email]
    assert "Gold-only roadmap" not in by_user[silver_reader.email]  # may not see it now: not named
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        assert version_digests_send() == 0  # each version once
