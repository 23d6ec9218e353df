"""``load_demo``'s learning-package course: a SCORM 2004 package of three SCOs (``elearning.samples``, generated,
not a copied ZIP) uploaded as an editor would, a course made of it ("Create a course"), published, and the demo
partner user enrolled: the portal's package lesson page has something to show (``make screenshots``)."""

from django.core.files.base import ContentFile

from core.demo import DemoRun
from elearning import samples
from elearning.models import Package
from elearning.services import package_upload
from partners.demo import DEMO_PARTNER_USER

from .models import Course
from .services.enrollment import course_enroll
from .services.packages import course_from_package

PACKAGE_KEY = "demo-selling-with-partners"
TITLE = "Selling with partners (SCORM 2004)"


def demo_package_course(*, demo_user: str = DEMO_PARTNER_USER) -> Course:
    """The package, its course (live) and the demo user's enrolment; idempotent (an existing package is kept)."""
    from django.contrib.auth import get_user_model

    package = Package.objects.filter(key=PACKAGE_KEY).first()
    if package is None:
        zipped = samples.scorm2004_multi_sco_zip(title="Selling with partners", scos=3)
        package = package_upload(
            file=ContentFile(zipped, name="selling-with-partners.zip"), title=TITLE, key=PACKAGE_KEY, user=None
        )
    course = Course.objects.filter(title=TITLE).first()
    if course is None:
        course = course_from_package(package=package, title=TITLE, user=None, key=PACKAGE_KEY)
        course.save_revision().publish(skip_permission_checks=True)
        course = Course.objects.get(pk=course.pk)
    user = get_user_model().objects.filter(username=demo_user).first()
    if user is not None:
        course_enroll(user=user, course=course)
    return course


def demo_packages(run: DemoRun) -> None:
    """``load_demo``'s step: the learning-package course (see the module's docstring)."""
    course = demo_package_course()
    run.summary.append(f"learning-package course: “{course.title}”, {course.modules.count()} module(s)")
