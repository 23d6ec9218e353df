"""A partner user's access ends at the end of their last day (``leaves_on``, in the project's time zone)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest
import time_machine

from courses.factories import CourseFactory
from courses.models import CourseAssignment, Enrollment
from courses.services.assignments import course_assignment_apply
from partners.audience import viewer_for
from partners.factories import PartnerFactory, partner_user
from partners.models import PartnerMembership
from partners.services import api_token_issue
from tests.conftest import make_token_user
from tests.testapp.factories import GatedItemFactory
from tests.testapp.models import GatedItem

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def days_from_today(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def leaves_on(member, last_day: datetime.date):
    PartnerMembership.objects.filter(user=member.user).update(leaves_on=last_day)


def test_a_token_stops_working_after_the_last_day(client):
    leaver, staying = make_token_user(), make_token_user()
    leaves_on(leaver, days_from_today(-1))
    leaves_on(staying, days_from_today(0))  # today is still theirs
    assert client.get(ME, **leaver.headers).status_code == 401
    assert client.get(ME, **staying.headers).status_code == 200


def test_a_session_stops_working_after_the_last_day(client):
    client.force_login(partner_user(leaves_on=days_from_today(-1)))
    assert client.get(ME).status_code == 401


def test_a_leaver_sees_no_gated_content():
    GatedItemFactory()
    leaver = partner_user(leaves_on=days_from_today(-1))
    assert viewer_for(leaver) is None
    assert not GatedItem.objects.visible_to(leaver).exists()
    assert GatedItem.objects.visible_to(partner_user(leaves_on=days_from_today(30))).exists()


def test_access_ends_at_midnight_in_the_project_time_zone(client, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    member = make_token_user()
    leaves_on(member, datetime.date(2026, 3, 10))
    # 23:30 on their last day in Los Angeles, already 11 March in UTC: still in.
    with time_machine.travel(datetime.datetime(2026, 3, 11, 6, 30, tzinfo=datetime.UTC), tick=False):
        assert client.get(ME, **member.headers).status_code == 200
    # 00:30 the next day in Los Angeles: out.
    with time_machine.travel(datetime.datetime(2026, 3, 11, 7, 30, tzinfo=datetime.UTC), tick=False):
        assert client.get(ME, **member.headers).status_code == 401


def test_no_new_token_for_someone_past_their_last_day():
    with pytest.raises(ValidationError, match="cannot use the partner API"):
        api_token_issue(user=partner_user(leaves_on=days_from_today(-1)))


def test_course_assignments_do_not_enrol_someone_past_their_last_day():
    acme = PartnerFactory(key="acme")
    partner_user(partner=acme, user__username="stays")
    partner_user(partner=acme, user__username="left", leaves_on=days_from_today(-1))
    course = CourseFactory()
    course_assignment_apply(assignment=CourseAssignment.objects.create(course=course, partner=acme))
    assert set(Enrollment.objects.filter(course=course).values_list("user__username", flat=True)) == {"stays"}


def test_no_course_due_reminder_after_the_last_day(settings):
    from django.core import mail

    from courses.services.reminders import due_reminders_send

    settings.COURSE_DUE_REMINDER_DAYS = [7]
    acme = PartnerFactory(key="acme")
    partner_user(partner=acme, user__email="stays@example.com")
    leaver = partner_user(partner=acme, user__email="left@example.com", leaves_on=days_from_today(20))
    course = CourseFactory()
    due = days_from_today(3)
    course_assignment_apply(assignment=CourseAssignment.objects.create(course=course, partner=acme, due_date=due))
    PartnerMembership.objects.filter(user=leaver).update(leaves_on=days_from_today(-1))
    assert due_reminders_send() == 1
    assert [m.to for m in mail.outbox] == [["stays@example.com"]]


def _certificate_expiring(holder, settings):
    from certifications.factories import CertificationFactory
    from certifications.services import certificate_issue_if_earned
    from courses.factories import course_with
    from courses.services.enrollment import course_enroll

    settings.CERTIFICATE_EXPIRY_REMINDER_DAYS = [40]  # a one-month certificate: reminded from the start
    course = course_with()
    certification = CertificationFactory(required_courses=[course], validity_months=1)
    enrollment, _ = course_enroll(user=holder, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())
    return certificate_issue_if_earned(user=holder, certification=certification)


def test_no_certificate_reminder_to_a_partner_admin_past_their_last_day(settings):
    from django.core import mail

    from certifications.services import expiry_reminders_send
    from partners.factories import RoleFactory

    admin = RoleFactory(key="admin")
    acme = PartnerFactory(key="acme")
    partner_user(partner=acme, roles=[admin], user__email="boss@example.com")
    partner_user(partner=acme, roles=[admin], user__email="gone-boss@example.com", leaves_on=days_from_today(-1))
    holder = partner_user(partner=acme, user__email="ann@example.com")
    assert _certificate_expiring(holder, settings) is not None
    assert expiry_reminders_send() == 1
    assert sorted(mail.outbox[0].to) == ["ann@example.com", "boss@example.com"]


def test_no_certificate_reminder_about_a_holder_past_their_last_day(settings):
    from django.core import mail

    from certifications.services import expiry_reminders_send
    from partners.factories import RoleFactory

    acme = PartnerFactory(key="acme")
    partner_user(partner=acme, roles=[RoleFactory(key="admin")], user__email="boss@example.com")
    holder = partner_user(partner=acme, user__email="ann@example.com", leaves_on=days_from_today(20))
    assert _certificate_expiring(holder, settings) is not None
    PartnerMembership.objects.filter(user=holder).update(leaves_on=days_from_today(-1))
    assert expiry_reminders_send() == 0
    assert mail.outbox == []


def test_no_version_digest_after_the_last_day():
    from django.core import mail
    from django.core.files.base import ContentFile

    from cms.factories import AssetFactory
    from cms.services.activity import download_record
    from cms.services.reminders import version_digests_send

    acme = PartnerFactory(key="acme")
    stays = partner_user(partner=acme, user__email="stays@example.com")
    leaver = partner_user(partner=acme, user__email="left@example.com", leaves_on=days_from_today(20))
    asset = AssetFactory(live=False, title="Pricing guide")
    asset.save_revision().publish()
    for user in (stays, leaver):
        download_record(asset=asset, user=user)
    membership = PartnerMembership.objects.get(user=leaver)
    membership.leaves_on = days_from_today(-1)  # the partner admin records that they left yesterday
    membership.save()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):  # version 2
        asset.file = ContentFile(b"%PDF-1.4 new", name="new.pdf")
        asset.version_note = "2027 prices"
        asset.full_clean()
        asset.save()
        asset.save_revision().publish()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert version_digests_send() == 1
    assert [m.to for m in mail.outbox] == [["stays@example.com"]]
