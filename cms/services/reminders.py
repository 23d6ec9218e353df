"""Writes of reminders: owners' freshness reminders (expiry, review) and partners' digests of new asset versions.

Each is recorded when sent, so that each reminder and each notice goes out once.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from wagtail.admin.admin_url_finder import AdminURLFinder

from accounts.preferences import ASSET_UPDATES, wants_email
from cms.models import Asset, AssetVersion, Download, OwnerReminder, VersionNotice
from cms.selectors import freshness_reminders_due
from core.links import public_url


def freshness_reminders_send(*, now=None) -> int:
    """E-mail each owner one digest of their due reminders and record them, so each is sent once."""
    now = now or timezone.now()
    by_owner: dict = {}
    for reminder in freshness_reminders_due(now=now):
        by_owner.setdefault(reminder.item.owner, []).append(reminder)
    url_finder = AdminURLFinder()
    sent = 0
    for owner, reminders in by_owner.items():
        reminders.sort(key=lambda r: (r.due_on, r.item.title))
        lines = [
            {
                "reminder": r,
                "url": public_url(url_finder.get_edit_url(r.item) or "/admin/"),
                "type": r.item._meta.verbose_name,
            }
            for r in reminders
        ]
        try:
            with transaction.atomic():
                OwnerReminder.objects.bulk_create(
                    OwnerReminder(
                        content_type=ContentType.objects.get_for_model(r.item, for_concrete_model=False),
                        object_id=r.item.pk,
                        kind=r.kind,
                        due_on=r.due_on,
                        days_before=r.days_before,
                        owner=owner,
                        sent_at=now,
                    )
                    for r in reminders
                )
                context = {"owner": owner, "lines": lines, "today": timezone.localdate(now)}
                send_mail(
                    subject=f"Partner Hub: {len(reminders)} item(s) of yours need attention",
                    message=render_to_string("cms/emails/freshness_reminder.txt", context),
                    from_email=None,
                    recipient_list=[owner.email],
                    html_message=render_to_string("cms/emails/freshness_reminder.html", context),
                )
        except IntegrityError:
            continue  # another run recorded (and sent) these at the same moment
        sent += len(reminders)
    return sent


def version_digests_send(*, now=None, within_days: int = 30) -> int:
    """E-mail partner users a digest of assets they downloaded that have a newer version since.

    Each user hears about each version once, and only about assets they may still see
    (the audience rule is applied per user, so a digest never reveals a gated title); never
    a user who turned these e-mails off (Profile).
    Returns how many notices were sent.
    """
    now = now or timezone.now()
    versions = AssetVersion.objects.filter(number__gt=1, created_at__gte=now - timedelta(days=within_days))
    pending: dict[int, list[AssetVersion]] = {}
    for version in versions.select_related("asset"):
        downloaded_before = Download.objects.filter(asset_id=version.asset_id, downloaded_at__lt=version.created_at)
        downloaded_since = Download.objects.filter(
            asset_id=version.asset_id, user_id=OuterRef("user_id"), downloaded_at__gte=version.created_at
        )
        users = (
            downloaded_before.exclude(user=None)
            .annotate(again=Exists(downloaded_since))
            .filter(again=False)
            .exclude(user__in=VersionNotice.objects.filter(version=version).values("user"))
            .values_list("user_id", flat=True)
            .distinct()
        )
        for user_id in users:
            pending.setdefault(user_id, []).append(version)

    sent = 0
    recipients = get_user_model().objects.filter(wants_email(ASSET_UPDATES), pk__in=pending, is_active=True)
    for user in recipients.exclude(email=""):
        visible = set(
            Asset.objects.visible_to(user)
            .filter(pk__in=[v.asset_id for v in pending[user.pk]])
            .values_list("pk", flat=True)
        )
        versions_for_user = [v for v in pending[user.pk] if v.asset_id in visible]
        if not versions_for_user:
            continue
        context = {"user": user, "versions": versions_for_user}
        try:
            with transaction.atomic():
                VersionNotice.objects.bulk_create(
                    VersionNotice(user=user, version=v, sent_at=now) for v in versions_for_user
                )
                send_mail(
                    subject=f"Partner Hub: {len(versions_for_user)} asset(s) you downloaded have been updated",
                    message=render_to_string("cms/emails/version_digest.txt", context),
                    from_email=None,
                    recipient_list=[user.email],
                )
        except IntegrityError:
            continue
        sent += len(versions_for_user)
    return sent
