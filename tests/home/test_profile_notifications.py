"""E-mail preferences (Profile → E-mails): saved from the page, and honoured by the code that sends each kind."""

import re
from datetime import UTC, datetime, timedelta

from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

import pytest
import time_machine

from accounts.models import UserPreferences
from accounts.preferences import ASSET_UPDATES, email_wanted, preferences_update
from certifications.factories import CertificateFactory
from certifications.services import expiry_reminders_send
from cms.factories import AssetFactory
from cms.services.activity import download_record
from cms.services.reminders import version_digests_send
from courses.factories import CourseFactory
from courses.models import Enrollment
from courses.services.reminders import due_reminders_send
from partners.factories import PartnerFactory, RoleFactory, partner_user

pytestmark = pytest.mark.django_db
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def member(client, gold_partner_user):
    client.force_login(gold_partner_user.user)
    return gold_partner_user.user


def test_the_page_saves_which_e_mails_i_get(client, member):
    page = client.get("/profile/").content.decode()
    assert page.count('type="checkbox"') == 3 and page.count("checked") == 3  # everything, until I say otherwise
    response = client.post(
        "/profile/notifications/", {"email_asset_updates": "on", "email_certificate_reminders": "on"}
    )
    assert response.status_code == 302
    preferences = UserPreferences.objects.get(user=member)
    assert (preferences.email_asset_updates, preferences.email_course_reminders) == (True, False)
    assert preferences.email_certificate_reminders is True
    page = client.get("/profile/").content.decode()
    assert "Your e-mail preferences are saved." in page
    boxes = dict(re.findall(r'<input type="checkbox" name="(\w+)"([^>]*)>', page))
    assert {name for name, attributes in boxes.items() if "checked" in attributes} == {
        "email_asset_updates",
        "email_certificate_reminders",
    }


def test_a_user_without_preferences_gets_everything(member):
    assert email_wanted(member, ASSET_UPDATES) is True
    preferences_update(user=member, email_asset_updates=False)
    member.refresh_from_db()
    assert email_wanted(member, ASSET_UPDATES) is False


def _new_version(asset, note):
    asset.file = ContentFile(b"%PDF-1.4 " + note.encode(), name="new.pdf")
    asset.version_note = note
    asset.full_clean()
    asset.save()
    asset.save_revision().publish()


def test_the_digest_of_updated_assets_skips_who_turned_it_off():
    with time_machine.travel(NOW, tick=False):
        asset = AssetFactory(live=False, title="Pricing guide")
        asset.save_revision().publish()
        keen, quiet = partner_user(), partner_user()
        for user in (keen, quiet):
            download_record(asset=asset, user=user)
        preferences_update(user=quiet, email_asset_updates=False)
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        _new_version(asset, "2027 prices")
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        assert version_digests_send() == 1
    assert [message.to for message in mail.outbox] == [[keen.email]]


def test_course_due_reminders_skip_who_turned_them_off(settings):
    settings.COURSE_DUE_REMINDER_DAYS = [7]
    course = CourseFactory(title="Renewals")
    keen, quiet = partner_user(), partner_user()
    due = timezone.localdate() + timedelta(days=3)
    for user in (keen, quiet):
        Enrollment.objects.create(user=user, course=course, due_date=due, source=Enrollment.Source.ASSIGNED)
    preferences_update(user=quiet, email_course_reminders=False)
    assert due_reminders_send() == 1
    assert [message.to for message in mail.outbox] == [[keen.email]]
    preferences_update(user=quiet, email_course_reminders=True)  # on again: the reminder that is due now comes
    assert due_reminders_send() == 1 and mail.outbox[-1].to == [quiet.email]


def test_certificate_reminders_skip_the_holder_or_the_admin_who_turned_them_off(settings):
    settings.CERTIFICATE_EXPIRY_REMINDER_DAYS = [30]
    acme = PartnerFactory(name="Acme")
    boss = partner_user(partner=acme, roles=[RoleFactory(key="admin")], user__email="boss@acme.example")
    holder = partner_user(partner=acme, user__email="ann@acme.example")
    other = partner_user(partner=acme, user__email="bob@acme.example")
    CertificateFactory(user=holder, expires_in=timedelta(days=20))
    CertificateFactory(user=other, expires_in=timedelta(days=20))
    preferences_update(user=holder, email_certificate_reminders=False)
    preferences_update(user=boss, email_certificate_reminders=False)
    preferences_update(user=other, email_certificate_reminders=True)
    assert expiry_reminders_send() == 1  # Ann's goes to nobody: she and her admin turned it off
    assert [message.to for message in mail.outbox] == [["bob@acme.example"]]
    assert boss.email not in mail.outbox[0].to
