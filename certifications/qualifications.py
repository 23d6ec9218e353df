"""Certifications as qualifications that gated content can require (``partners.qualifications``).

Every certification has one ``partners.Qualification`` (its key: the certification's key, or
``certification-<id>`` without one; its name: the certification's title), which is what an
editor picks under "Requires certification" on an asset, program, bulletin or course. Who holds
it is kept in ``partners.HeldQualification`` from the certificates themselves: a user holds it
while they have a current (not superseded), unrevoked certificate, until that one expires.

* Issue, renewal, revocation and deletion of a certificate refresh that holder at once, in the
  same transaction (``post_save`` / ``post_delete`` of ``Certificate``, so services, the admin,
  factories and the demo are all covered).
* Expiry needs no write: a held qualification ends at ``valid_until``, compared with the clock
  when content is read. The hourly job (``apply_due_certificates``) also reconciles every holder
  with the certificates (``held_qualifications_reconcile``), clearing ended rows and repairing
  anything written around the signals (bulk loads).
* ``unlock_hints`` tells the API and the portal what unlocks an item: the certification and its
  required courses, as far as the user may see them (``core.qualifications``).
"""

from django.db.models import Max
from django.utils import timezone

from courses.models import Course
from partners.models import Qualification
from partners.services import held_qualification_set, held_qualifications_replace, qualification_upsert

from .models import Certificate, Certification


def qualification_key(certification: Certification) -> str:
    """The certification's key (what manifests name), or ``certification-<id>`` without one that fits."""
    key = certification.key or ""
    fits = 0 < len(key) <= Qualification._meta.get_field("key").max_length
    return key if fits else f"certification-{certification.pk}"


def certification_qualification_sync(*, certification: Certification) -> Qualification:
    """Create or update the certification's qualification (key and name) and link it."""
    linked = Qualification.objects.filter(pk=certification.qualification_id).first()
    qualification = qualification_upsert(
        key=qualification_key(certification), name=certification.title, instance=linked
    )
    if certification.qualification_id != qualification.pk:
        Certification.objects.filter(pk=certification.pk).update(qualification=qualification)
        certification.qualification = qualification
    return qualification


def _current_certificates(*, now=None):
    """Certificates that make their holder hold the certification now: current, unrevoked, not expired."""
    return Certificate.objects.filter(
        superseded_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
    )


def holder_refresh(*, user_id: int, certification_id: int) -> None:
    """Make what ``user_id`` holds of one certification match their certificates (issue, renewal, revocation)."""
    certification = Certification.objects.filter(pk=certification_id).first()
    if certification is None:
        return
    qualification_id = certification.qualification_id
    if qualification_id is None:
        qualification_id = certification_qualification_sync(certification=certification).pk
    # Until the current certificate expires (compared with the clock when read, so not filtered here).
    until = Certificate.objects.filter(
        user_id=user_id, certification_id=certification_id, superseded_at__isnull=True, revoked_at__isnull=True
    ).aggregate(until=Max("expires_at"))["until"]
    held_qualification_set(user_id=user_id, qualification_id=qualification_id, valid_until=until)


def held_qualifications_reconcile(*, now=None) -> dict[str, int]:
    """Every certification's qualification and holders made to match the certificates (a few queries)."""
    for certification in Certification.objects.filter(qualification__isnull=True):
        certification_qualification_sync(certification=certification)
    qualification_ids = set(Certification.objects.values_list("qualification_id", flat=True))
    wanted = {
        (user_id, qualification_id): until
        for user_id, qualification_id, until in _current_certificates(now=now)
        .order_by()
        .values("user_id", "certification__qualification_id")
        .annotate(until=Max("expires_at"))
        .values_list("user_id", "certification__qualification_id", "until")
    }
    return held_qualifications_replace(qualification_ids=qualification_ids, wanted=wanted)


def unlock_hints(*, user, qualification_ids) -> dict[int, dict]:
    """What unlocks each qualification, for ``user``: the certification and the courses that earn it.

    Only what ``user`` may see is named (two queries): a certification outside their audience is left
    out (the caller says only that a certification is required), and so are courses they may not see.
    """
    certifications = list(
        Certification.objects.visible_to(user)
        .filter(qualification_id__in=list(qualification_ids))
        .only("pk", "title", "qualification_id")
    )
    courses: dict[int, list[dict]] = {}
    rows = (
        Course.objects.visible_to(user)
        .filter(certifications__in=[c.pk for c in certifications])
        .order_by("title", "pk")
        .values_list("certifications", "pk", "title")
    )
    for certification_id, pk, title in rows:
        courses.setdefault(certification_id, []).append({"id": pk, "title": title, "url": f"/api/v1/courses/{pk}"})
    return {
        certification.qualification_id: {
            "certification": {
                "id": certification.pk,
                "title": certification.title,
                "url": f"/api/v1/certifications/{certification.pk}",
            },
            "courses": courses.get(certification.pk, []),
        }
        for certification in certifications
    }


# --- receivers (connected in ``signals.connect``) ------------------------------------------------


def on_certification_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        certification_qualification_sync(certification=instance)


def on_certificate_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        holder_refresh(user_id=instance.user_id, certification_id=instance.certification_id)
