"""Editors assign courses to a partner, a partner type or a tier: the right learners get enrolled."""

import datetime

from django.core.exceptions import ValidationError

import pytest

from courses.factories import CourseFactory
from courses.models import CourseAssignment, Enrollment
from courses.services.assignments import course_assignment_apply
from courses.services.enrollment import course_enroll
from partners.factories import PartnerFactory, PartnerTypeFactory, RoleFactory, TierFactory, partner_user

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 1, 31)


def enrolled(course) -> dict:
    return {e.user.username: (e.source, e.due_date) for e in Enrollment.objects.filter(course=course)}


def test_assigning_to_a_partner_enrols_its_active_users_the_course_is_for():
    sales, technical = RoleFactory(key="sales"), RoleFactory(key="technical")
    acme, other = PartnerFactory(key="acme"), PartnerFactory(key="other")
    seller = partner_user(partner=acme, roles=[sales], user__username="seller")
    partner_user(partner=acme, roles=[technical], user__username="engineer")  # the course is for sales only
    partner_user(partner=acme, roles=[sales], user__username="gone", user__is_active=False)
    partner_user(partner=other, roles=[sales], user__username="elsewhere")
    course = CourseFactory(roles=[sales])
    assignment = CourseAssignment.objects.create(course=course, partner=acme, due_date=DUE)
    assert course_assignment_apply(assignment=assignment) == 1
    assert enrolled(course) == {"seller": ("assigned", DUE)}
    assert Enrollment.objects.get(user=seller).assignment == assignment
    assert course_assignment_apply(assignment=assignment) == 0  # idempotent


def test_assigning_to_a_tier_or_a_type_reaches_every_partner_in_it():
    gold, silver = TierFactory(key="gold", rank=30), TierFactory(key="silver", rank=20)
    msp = PartnerTypeFactory(key="msp")
    partner_user(partner=PartnerFactory(tier=gold), user__username="gold1")
    partner_user(partner=PartnerFactory(tier=gold, partner_type=msp), user__username="gold-msp")
    partner_user(partner=PartnerFactory(tier=silver, partner_type=msp), user__username="silver-msp")
    by_tier, by_type = CourseFactory(), CourseFactory()
    course_assignment_apply(assignment=CourseAssignment.objects.create(course=by_tier, tier=gold))
    course_assignment_apply(assignment=CourseAssignment.objects.create(course=by_type, partner_type=msp))
    assert set(enrolled(by_tier)) == {"gold1", "gold-msp"}
    assert set(enrolled(by_type)) == {"gold-msp", "silver-msp"}


def test_a_learner_enrolled_already_keeps_progress_and_gets_the_due_date():
    acme = PartnerFactory()
    learner = partner_user(partner=acme, user__username="keen")
    course = CourseFactory()
    course_enroll(user=learner, course=course)
    course_assignment_apply(assignment=CourseAssignment.objects.create(course=course, partner=acme, due_date=DUE))
    assert enrolled(course) == {"keen": ("self", DUE)}


@pytest.mark.parametrize("targets", [{}, {"partner": True, "tier": True}])
def test_an_assignment_names_exactly_one_target(targets):
    course = CourseFactory()
    fields = {}
    if targets.get("partner"):
        fields["partner"] = PartnerFactory()
    if targets.get("tier"):
        fields["tier"] = TierFactory(key="gold", rank=30)
    with pytest.raises(ValidationError, match="exactly one of"):
        CourseAssignment(course=course, **fields).full_clean()


def test_saving_an_assignment_in_the_admin_enrols_its_learners(admin_client):
    from django.urls import reverse

    acme = PartnerFactory(key="acme")
    partner_user(partner=acme, user__username="seller")
    course = CourseFactory(title="Renewals")
    response = admin_client.post(
        reverse("wagtailsnippets_courses_courseassignment:add"),
        {"course": course.pk, "partner": acme.pk, "partner_type": "", "tier": "", "due_date": "2027-01-31"},
        follow=True,
    )
    assert "1 learner(s) newly enrolled in “Renewals”." in response.content.decode()
    assert enrolled(course) == {"seller": ("assigned", DUE)}
    assert CourseAssignment.objects.get().created_by.is_superuser


def test_the_nightly_run_enrols_learners_who_joined_since():
    from courses.tasks import apply_course_assignments

    acme = PartnerFactory()
    course = CourseFactory()
    course_assignment_apply(assignment=CourseAssignment.objects.create(course=course, partner=acme))
    partner_user(partner=acme, user__username="newcomer")
    assert apply_course_assignments.delay().get() == 1
    assert set(enrolled(course)) == {"newcomer"}


def test_due_reminders_go_once_per_lead_time_to_learners_not_done(settings):
    from datetime import datetime, timedelta

    from django.core import mail
    from django.utils import timezone

    import time_machine

    from courses.services.reminders import due_reminders_send

    settings.COURSE_DUE_REMINDER_DAYS = [7, 1]
    acme = PartnerFactory()
    late = partner_user(partner=acme, user__username="late", user__email="late@example.com")
    done = partner_user(partner=acme, user__username="done", user__email="done@example.com")
    course = CourseFactory(title="Renewals")
    due = timezone.localdate() + timedelta(days=10)
    course_assignment_apply(assignment=CourseAssignment.objects.create(course=course, partner=acme, due_date=due))
    Enrollment.objects.filter(user=done).update(completed_at=timezone.now())

    def on(days_before):
        moment = datetime.combine(
            due - timedelta(days=days_before), datetime.min.time(), tzinfo=timezone.get_current_timezone()
        )
        with time_machine.travel(moment + timedelta(hours=9), tick=False):
            return due_reminders_send()

    assert on(9) == 0  # not yet
    assert on(6) == 1 and on(5) == 0  # inside 7 days: once
    assert on(1) == 1 and on(0) == 0  # the last day: once more
    assert [m.to for m in mail.outbox] == [["late@example.com"], ["late@example.com"]]
    assert mail.outbox[0].subject.startswith("“Renewals” is due on")
    assert "0% through it" in mail.outbox[0].body
    assert late.enrollments.get().reminded_days == 1
