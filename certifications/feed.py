"""The feed section of certifications: "My certifications expiring" (registered in ``CertificationsConfig.ready()``,
see ``core.feed``)."""

from datetime import timedelta

from django.conf import settings

from .models import Certificate, Certification


def feed_certificates_expiring(*, user, since, now, limit: int) -> list[dict]:
    """``user``'s current certificates expiring within the reminder window, soonest first.

    The window is the longest lead time of ``CERTIFICATE_EXPIRY_REMINDER_DAYS`` (the
    first reminder e-mail). Current means neither renewed nor revoked; only
    certifications ``user`` may see. One query.
    """
    window = max(settings.CERTIFICATE_EXPIRY_REMINDER_DAYS, default=0)
    certificates = (
        Certificate.objects.filter(
            user=user,
            superseded_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=window),
            certification__in=Certification.objects.visible_to(user),
        )
        .select_related("certification")
        .order_by("expires_at", "pk")[:limit]
    )
    return [
        {
            "kind": "certification",
            "id": certificate.certification.pk,
            "title": certificate.certification.title,
            "summary": certificate.certification.summary,
            "certificate_id": certificate.pk,
            "expires_at": certificate.expires_at,
            "renewal_opens_at": certificate.renewal_opens_at,
        }
        for certificate in certificates
    ]
