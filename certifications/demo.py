"""Demo certificates in every state, for ``load_demo`` (see ``core.demo``).

The five certifications built on the demo courses, with tier requirements (Silver, Gold and
Platinum partners need certified staff), are data, in ``fixtures/demo/certifications.json``.
Certificates are not content: the learners of ``courses.demo_progress`` earn them through
the courses' services (issued when they completed the last course, months ago), so some
are active, some expiring and, for the quarterly "Channel Programs Practitioner", some
expired. Then:

* at Acme Networks (the demo partner), the partner admin Priya Patel earned the
  Sales Associate certificate eleven months ago: Acme meets Gold today with Ann Andersen,
  and falls below within 30 days unless Priya renews (by completing "Winning renewals");
* two certificates elsewhere are revoked by staff, with a reason;
* the learners who completed the "Security Solutions Specialist" exam's prerequisite sit its
  stand-alone exam (``fixtures/demo/exams.json``), through the exam services: some pass at the
  first try, some at a later one, some run out of attempts.
"""

import random
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from core.demo import DemoRun
from courses.demo_progress import Clock, demo_learners, prerequisites_first, take_course
from courses.models import Course, Enrollment
from courses.services.enrollment import course_enroll
from partners.demo import DEMO_PARTNER_ADMIN, DEMO_PARTNER_USER, issue_demo_token

from .exam_selectors import exam_for_partner
from .exams import exam_attempt_start, exam_attempt_submit
from .models import Certificate, Certification
from .services import CertificationError, certificate_revoke, compliance_check

REVOCATIONS = [
    "Exam answers were shared with another candidate.",
    "Earned through a login shared by several people at the partner.",
]


#: Learners earning a certification months ago, beyond the demo course progress: (certification key, how
#: many learners, how many days ago their path started, at least and at most). Their certificates are by now
#: active, expiring or (the older ones) expired.
HISTORY = [
    ("sales-associate", 30, 20, 420),
    ("programs-practitioner", 6, 20, 170),
    ("technical-engineer", 6, 60, 400),
    ("security-specialist", 10, 30, 300),  # then the stand-alone exam (``_exam_history``)
]


def _earn(user, courses, start: datetime, rng: random.Random) -> None:
    """``user`` takes ``courses`` in order from ``start`` to completion, as a learner would (through the services)."""
    clock = Clock(start)
    for course in courses:
        course_enroll(user=user, course=course, now=clock.tick(rng))
        take_course(user, course, "complete", clock, rng)


def _with_prerequisites(courses) -> list:
    """``courses`` and every course they require, each after those it requires."""
    path, todo = {}, list(courses)
    while todo:
        course = todo.pop()
        if course.pk not in path:
            path[course.pk] = course
            todo += list(course.prerequisites.all())
    return prerequisites_first(list(path.values()))


def _certification_history(*, seed: int) -> None:
    """Other partner users than the course demo's learners (whose progress a re-run must find unchanged)."""
    learners = {user.pk for user in demo_learners(demo_user=DEMO_PARTNER_USER)}
    users = [
        user
        for user in get_user_model()
        .objects.filter(is_active=True, partner_membership__partner__is_active=True)
        .exclude(username=DEMO_PARTNER_ADMIN)
        .order_by("username")
        if user.pk not in learners
    ]
    now = datetime.now(UTC)
    for key, count, newest, oldest in HISTORY:
        certification = Certification.objects.get(key=f"demo-cert-{key}")
        path = _with_prerequisites(certification.required_courses.prefetch_related("prerequisites"))
        rng = random.Random(f"{seed}:{key}")
        taken = 0
        for user in rng.sample(users, len(users)):
            if taken == count:
                break
            enrolled = dict(
                Enrollment.objects.current().filter(user=user, course__in=path).values_list("course", "completed_at")
            )
            if any(completed is None for completed in enrolled.values()):
                continue  # under way: leave them to it
            to_take = [course for course in path if course.pk not in enrolled]
            if not to_take or Course.objects.visible_to(user).filter(pk__in=[c.pk for c in to_take]).count() < len(
                to_take
            ):
                continue
            user_rng = random.Random(f"{seed}:{key}:{user.username}")
            _earn(user, to_take, now - timedelta(days=user_rng.randint(newest, oldest)), user_rng)
            taken += 1


def _exam_history(*, seed: int) -> None:
    """The learners who completed a stand-alone exam's prerequisites sit it, each with a skill of their own."""
    now = datetime.now(UTC)
    for certification in Certification.objects.filter(exam_standalone=True, exam__isnull=False).order_by("key"):
        prerequisites = list(certification.exam_prerequisites.values_list("pk", flat=True))
        completions = (
            Enrollment.objects.filter(course_id__in=prerequisites, completed_at__isnull=False)
            .select_related("user")
            .order_by("user__username", "completed_at")
        )
        last_completed = {}
        for enrollment in completions:
            last_completed.setdefault(enrollment.user, []).append(enrollment.completed_at)
        for user, dates in last_completed.items():
            if len(dates) < len(prerequisites):
                continue
            visible = exam_for_partner(user=user, certification_id=certification.pk)
            if visible is None:
                continue
            rng = random.Random(f"{seed}:exam:{certification.key}:{user.username}")
            skill, moment = rng.uniform(0.6, 0.95), max(dates) + timedelta(days=rng.randint(1, 20))
            while moment < now - timedelta(hours=1):
                try:
                    attempt, _created = exam_attempt_start(user=user, certification=visible, now=moment, rng=rng)
                except CertificationError:
                    break  # passed, or out of attempts
                answers = {}
                for question in attempt.questions:
                    right = rng.random() < skill  # one of the right choices, or one of the wrong ones
                    answers[question["id"]] = [c["id"] for c in question["choices"] if c["correct"] == right][:1]
                submitted = moment + timedelta(minutes=rng.randint(4, 12))
                exam_attempt_submit(
                    user=user, certification=visible, attempt_id=attempt.pk, answers=answers, now=submitted
                )
                skill, moment = min(skill + 0.1, 1.0), submitted + timedelta(days=rng.randint(2, 14))


@transaction.atomic
def demo_certificates(*, seed: int = 2026) -> dict:
    """Learners earn certifications months back, Acme's partner admin eleven months back, and two certificates
    are revoked. A re-run adds nothing. Answers the certificates by status."""
    priya = get_user_model().objects.get(username=DEMO_PARTNER_ADMIN)
    if not Certificate.objects.filter(user=priya).exists():  # the first run
        courses = [
            Course.objects.get(key=f"demo-course-{key}") for key in ("product-fundamentals", "deal-registration")
        ]
        _earn(priya, courses, datetime.now(UTC) - timedelta(days=340), random.Random(f"{seed}:{DEMO_PARTNER_ADMIN}"))
        _certification_history(seed=seed)
        _exam_history(seed=seed)
    if not Certificate.objects.filter(revoked_at__isnull=False).exists():
        candidates = (
            Certificate.objects.filter(superseded_at__isnull=True, revoked_at__isnull=True)
            .exclude(partner__key="acme")
            .select_related("certification")
            .order_by("user__username", "certification__title")
        )
        for certificate, reason in zip(candidates[: len(REVOCATIONS)], REVOCATIONS, strict=False):
            certificate_revoke(certificate=certificate, reason=reason)
    counts: dict[str, int] = {}
    for certificate in Certificate.objects.select_related("certification"):
        counts[certificate.status] = counts.get(certificate.status, 0) + 1
    return counts


def demo_steps(run: DemoRun) -> None:
    """``load_demo``'s steps of this app: certificates, today's compliance check, Acme's partner admin's token."""
    certificates = demo_certificates()
    run.summary.append(
        "certificates: " + ", ".join(f"{count} {status}" for status, count in sorted(certificates.items()))
    )
    # The daily compliance check, now, so that the alerts report has something; no one is e-mailed.
    alerts = compliance_check(notify=False)
    run.summary.append(f"partners below their tier: {alerts['raised'] + alerts['open']}")
    token = issue_demo_token(DEMO_PARTNER_ADMIN)
    base_url = settings.PARTNERHUB_PUBLIC_URL
    run.logins += [
        f"Acme's partner admin {DEMO_PARTNER_ADMIN} (sees Acme's certification compliance) token:",
        f"  {token}",
        f"  curl -H 'Authorization: Bearer {token}' {base_url}/api/v1/me/partner/compliance",
    ]
