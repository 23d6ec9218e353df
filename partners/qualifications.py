"""Qualification gating: the part of the audience rule (``partners.audience``) about what users hold.

An item may require a ``Qualification`` (certifications keeps one per certification):

* ``user`` mode: the viewer holds it now;
* ``partner`` mode: at least ``required_holders`` active users of the viewer's partner hold it now
  (the viewer among them when they hold it). A holder is an active user, a current member (not past
  their last day) of the partner, whose ``HeldQualification`` has not ended.

Like the rest of the rule it has three forms that tests prove agree: ``Qualifications.satisfies``
(pure, over what ``qualifications_of`` read for one viewer in one query), ``qualification_q``
(an SQL filter with subqueries, no extra query) and ``qualification_search_clause`` (an
Elasticsearch clause built from the viewer's ``Qualifications`` at query time, over the
fields ``qualification_document_fields`` puts in every document). Because what a user holds is
read when the query is made, an issued certificate unlocks and a revoked or expired one locks
again at once, in lists, details, downloads, search, suggestions and the feed, with no reindex.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import HeldQualification, Qualification, past_last_day

#: In search documents "no requirement" is stored as this value (like ``audience.EVERYONE``).
NOTHING_REQUIRED = "*"


class HeldBy(models.TextChoices):
    USER = "user", "The user"
    PARTNER = "partner", "Enough users of the user's partner"


@dataclass(frozen=True)
class Qualifications:
    """What one viewer holds, and how many holders their partner has, per qualification id."""

    held: frozenset[int] = frozenset()
    partner_holders: tuple[tuple[int, int], ...] = ()

    def holders(self, qualification_id: int) -> int:
        return dict(self.partner_holders).get(qualification_id, 0)

    def satisfies(self, qualification_id: int | None, mode: str, required_holders: int) -> bool:
        """The pure form: ``True`` when nothing is required or the requirement is met."""
        if qualification_id is None:
            return True
        if mode == HeldBy.USER:
            return qualification_id in self.held
        return self.holders(qualification_id) >= max(required_holders, 1)


def current_holders(*, partner_id=None, now=None):
    """``HeldQualification`` rows of active, current partner users, held now (of one partner, if given)."""
    now = now or timezone.now()
    rows = (
        HeldQualification.objects.current(now=now)
        .filter(user__is_active=True, user__partner_membership__isnull=False)
        .exclude(past_last_day(timezone.localdate(now), prefix="user__partner_membership__"))
    )
    return rows if partner_id is None else rows.filter(user__partner_membership__partner_id=partner_id)


def qualifications_of(*, user_id: int, partner_id: int, now=None) -> Qualifications:
    """What ``user_id`` holds and their partner's holders per qualification: one query."""
    rows = (
        current_holders(partner_id=partner_id, now=now)
        .order_by()
        .values("qualification_id")
        .annotate(holders=Count("user_id", distinct=True), mine=Count("pk", filter=Q(user_id=user_id)))
        .values_list("qualification_id", "holders", "mine")
    )
    held, counts = set(), []
    for qualification_id, holders, mine in rows:
        counts.append((qualification_id, holders))
        if mine:
            held.add(qualification_id)
    return Qualifications(held=frozenset(held), partner_holders=tuple(sorted(counts)))


def qualifications_of_many(*, viewers, now=None) -> dict[int, Qualifications]:
    """``qualifications_of`` for many viewers at once, by user id: two queries whatever their number."""
    viewers = list(viewers)
    if not viewers:
        return {}
    rows = current_holders(now=now).filter(user__partner_membership__partner_id__in={v.partner_id for v in viewers})
    per_partner: dict[int, list[tuple[int, int]]] = {}
    for partner_id, qualification_id, holders in (
        rows.order_by()
        .values("user__partner_membership__partner_id", "qualification_id")
        .annotate(holders=Count("user_id", distinct=True))
        .values_list("user__partner_membership__partner_id", "qualification_id", "holders")
    ):
        per_partner.setdefault(partner_id, []).append((qualification_id, holders))
    held: dict[int, set[int]] = {}
    for user_id, qualification_id in rows.filter(user_id__in=[v.user_id for v in viewers]).values_list(
        "user_id", "qualification_id"
    ):
        held.setdefault(user_id, set()).add(qualification_id)
    return {
        v.user_id: Qualifications(
            held=frozenset(held.get(v.user_id, ())), partner_holders=tuple(sorted(per_partner.get(v.partner_id, [])))
        )
        for v in viewers
    }


def qualification_q(viewer, *, now=None) -> Q:
    """The SQL form over ``QualificationMixin``'s columns: two correlated subqueries, no extra query."""
    held = current_holders(partner_id=viewer.partner_id, now=now).filter(user_id=viewer.user_id)
    partner_count = (
        current_holders(partner_id=viewer.partner_id, now=now)
        .filter(qualification_id=OuterRef("required_qualification_id"))
        .order_by()
        .values("qualification_id")
        .annotate(holders=Count("user_id", distinct=True))
        .values("holders")[:1]
    )
    return (
        Q(required_qualification__isnull=True)
        | Q(required_qualification_mode=HeldBy.USER, required_qualification__in=held.values("qualification_id"))
        | Q(required_qualification_mode=HeldBy.PARTNER, required_holders__lte=Coalesce(Subquery(partner_count), 0))
    )


def qualification_document_fields(qualification_id: int | None, mode: str, required_holders: int) -> dict:
    """An item's requirement as fields of its search document (see ``qualification_search_clause``)."""
    if qualification_id is None:
        return {
            "audience_qualification": NOTHING_REQUIRED,
            "audience_qualification_mode": NOTHING_REQUIRED,
            "audience_qualification_holders": 0,
        }
    return {
        "audience_qualification": str(qualification_id),
        "audience_qualification_mode": mode,
        "audience_qualification_holders": max(required_holders, 1) if mode == HeldBy.PARTNER else 1,
    }


def qualification_search_clause(qualifications: Qualifications) -> dict:
    """The Elasticsearch form: nothing required, held by the viewer, or enough holders at their partner."""
    should: list[dict] = [{"term": {"audience_qualification": NOTHING_REQUIRED}}]
    if qualifications.held:
        should.append(
            {
                "bool": {
                    "filter": [
                        {"term": {"audience_qualification_mode": HeldBy.USER.value}},
                        {"terms": {"audience_qualification": sorted(str(pk) for pk in qualifications.held)}},
                    ]
                }
            }
        )
    for qualification_id, holders in qualifications.partner_holders:
        should.append(
            {
                "bool": {
                    "filter": [
                        {"term": {"audience_qualification_mode": HeldBy.PARTNER.value}},
                        {"term": {"audience_qualification": str(qualification_id)}},
                        {"range": {"audience_qualification_holders": {"lte": holders}}},
                    ]
                }
            }
        )
    return {"bool": {"should": should, "minimum_should_match": 1}}


class QualificationMixin(models.Model):
    """The requirement of one gated item; mix in before ``AudienceMixin`` (``cms.gating.GatedContent`` does)."""

    required_qualification = models.ForeignKey(
        Qualification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="requires certification",
        help_text="Blank: nothing required. Otherwise only holders of this certification (or their partner) see it.",
    )
    required_qualification_mode = models.CharField(
        max_length=10,
        choices=HeldBy.choices,
        default=HeldBy.USER,
        blank=True,  # forms that leave it out keep the default (``clean`` fills an emptied one)
        verbose_name="held by",
        help_text="The user must hold it, or at least the number below of their partner's active users.",
    )
    required_holders = models.PositiveSmallIntegerField(
        default=1,
        blank=True,
        validators=[MinValueValidator(1)],
        verbose_name="holders needed",
        help_text="How many active users of the partner must hold it (only when held by the partner).",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.required_qualification_mode = self.required_qualification_mode or HeldBy.USER
        self.required_holders = self.required_holders or 1
        if self.required_qualification_mode == HeldBy.USER and self.required_holders != 1:
            raise ValidationError(
                {"required_holders": "Only a requirement held by the partner counts holders; use 1 for the user."}
            )

    @classmethod
    def audience_q(cls, viewer) -> Q:
        return super().audience_q(viewer) & qualification_q(viewer)

    @classmethod
    def locked_q(cls, viewer) -> Q:
        """In the audience apart from the qualification, which the viewer (or their partner) lacks."""
        return super().audience_q(viewer) & Q(required_qualification__isnull=False) & ~qualification_q(viewer)

    def requirement(self) -> dict:
        """What ``audience.Audience`` keeps of the requirement."""
        return {
            "qualification_id": self.required_qualification_id,
            "qualification_mode": self.required_qualification_mode,
            "qualification_holders": self.required_holders,
        }


def qualification_choices():
    """The qualifications an editor may require, by name."""
    return Qualification.objects.order_by("name")
