"""``manage.py load_demo``: realistic demo data, made through the importer and services."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from certifications.demo import demo_certificates, demo_certification_sections
from certifications.services import compliance_check
from cms.demo import demo_content_sections
from cms.importer import ManifestError, import_manifest
from courses.demo import demo_course_progress, demo_course_sections
from partners.demo import DEMO_PARTNER_ADMIN, DEMO_PARTNER_USER, demo_partner_sections
from partners.services import api_token_issue, editor_upsert

DEMO_PASSWORD = "partnerhub-demo"
EDITORS = [
    ("admin", "admin@vendor.example", True, ()),
    ("maria.editor", "maria.editor@vendor.example", False, ("Editors",)),
    ("sam.moderator", "sam.moderator@vendor.example", False, ("Moderators",)),
    ("carla.channel", "carla.channel@vendor.example", False, ("Editors",)),  # a channel manager
]


class Command(BaseCommand):
    help = (
        "Load realistic demo data: tiers, partner types, regions, 48 partners, 180 partner users, 4 editors, "
        "320 assets with real files, 20 programs, 40 bulletins, 8 courses with question banks and quizzes, "
        "with some partner users' progress in them, and 5 certifications with tier requirements and certificates. "
        "Safe to re-run (it updates, never duplicates). Prints the "
        "admin login and demo tokens."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, no_progress: bool, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo creates known passwords; it only runs with DEBUG on (or --force).")

        def progress(section, total):
            bar = tqdm(total=total, desc=f"demo {section}", unit="entry", disable=no_progress, file=self.stderr)
            return bar.update

        # Editors first: they own the demo content.
        for username, email, is_superuser, groups in EDITORS:
            editor_upsert(
                username=username, email=email, password=DEMO_PASSWORD, is_superuser=is_superuser, group_names=groups
            )
        base_dir = settings.VAR_DIR
        content = demo_content_sections(files_dir=base_dir / "demo-files")
        manifest = {
            **demo_partner_sections(),
            **content,
            **demo_course_sections(assets=content["assets"]),
            **demo_certification_sections(),
        }
        try:
            summary = import_manifest(manifest, base_dir=base_dir, progress=progress)
        except ManifestError as exc:
            raise CommandError(str(exc)) from None
        # Learners' progress is not content: it is made through the courses' services, as the API would.
        # Completing courses earns certificates (issued when the last course was completed).
        course_progress = demo_course_progress(demo_user=DEMO_PARTNER_USER)
        certificates = demo_certificates()
        # The daily compliance check, now, so that the alerts report has something; no one is e-mailed.
        alerts = compliance_check(notify=False)

        demo_user = get_user_model().objects.get(username=DEMO_PARTNER_USER)
        _token, plaintext = api_token_issue(user=demo_user, name="make demo")

        self.stdout.write(self.style.SUCCESS("Demo data loaded:"))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(
            "  course progress: " + ", ".join(f"{count} {what}" for what, count in course_progress.items()) + " added"
        )
        self.stdout.write(
            "  certificates: " + ", ".join(f"{count} {status}" for status, count in sorted(certificates.items()))
        )
        self.stdout.write(f"  partners below their tier: {alerts['raised'] + alerts['open']}")
        self.stdout.write(f"  editors: {', '.join(name for name, *_ in EDITORS)} (password {DEMO_PASSWORD!r})")
        self.stdout.write("")
        self.stdout.write(f"Admin:  {settings.WAGTAILADMIN_BASE_URL}/admin/  user 'admin', password {DEMO_PASSWORD!r}")
        self.stdout.write(f"Demo partner user {DEMO_PARTNER_USER} (Acme Networks, Gold reseller, EMEA) token:")
        self.stdout.write(f"  {plaintext}")
        self.stdout.write(f"  curl -H 'Authorization: Bearer {plaintext}' {settings.WAGTAILADMIN_BASE_URL}/api/v1/me")
        admin_user = get_user_model().objects.get(username=DEMO_PARTNER_ADMIN)
        _token, admin_plaintext = api_token_issue(user=admin_user, name="make demo")
        self.stdout.write(f"Acme's partner admin {DEMO_PARTNER_ADMIN} (sees Acme's certification compliance) token:")
        self.stdout.write(f"  {admin_plaintext}")
        self.stdout.write(
            f"  curl -H 'Authorization: Bearer {admin_plaintext}' "
            f"{settings.WAGTAILADMIN_BASE_URL}/api/v1/me/partner/compliance"
        )
