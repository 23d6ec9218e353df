"""THE audience rule of DESIGN §3, in one place.

An item is visible to a user when all of these hold:

* the user is active, not past their last day, and belongs to an active partner;
* the item has no minimum tier, or the partner's tier rank is at least its rank;
* the item names no partner types, or names the partner's type;
* the item names no regions, or names the partner's region;
* the item names no roles, or names one of the user's roles;
* the item requires no qualification, or the user (or enough users of their partner) holds it
  (``partners.qualifications``; gated content has it, other audiences never require one);
* the item is live (the gated model says what live means, see ``live_q``).

It exists in three forms built from the same data, and tests prove they agree:

* ``audience_allows(audience, viewer)``: a pure function deciding one item for one viewer;
* ``AudienceQuerySetMixin.visible_to(user)``: the same rule as one SQL filter;
* ``search_filter(viewer)``: the same rule as an Elasticsearch bool filter over the
  fields ``search_document_fields(audience)`` puts in every indexed document.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.apps import apps
from django.db import models
from django.db.models import ProtectedError, Q

from modelcluster.fields import ParentalManyToManyField

from .models import PartnerType, Region, Role, Tier
from .qualifications import (
    HeldBy,
    Qualifications,
    qualification_document_fields,
    qualification_search_clause,
    qualifications_of,
    qualifications_of_many,
)

#: In search documents an unrestricted list is stored as this single value.
EVERYONE = "*"


@dataclass(frozen=True)
class Viewer:
    """What the rule needs to know about one partner user, read once per request."""

    user_id: int
    partner_id: int
    tier_rank: int
    partner_type_id: int
    region_id: int
    role_ids: frozenset[int]
    tier_id: int | None = None  # for reports; the rule itself compares ranks
    #: The member's last day (``PartnerMembership.leaves_on``), if any: what is cached about them ends with it.
    last_day: date | None = field(default=None, compare=False, repr=False)
    #: What the user and their partner hold; read on first need (``viewer_qualifications``).
    qualifications: Qualifications | None = field(default=None, compare=False, repr=False)

    @property
    def audience_key(self) -> tuple:
        """What the rule looks at apart from qualifications: viewers with the same key see the same
        items among those that require none (``qualified_audience_key`` adds what they hold)."""
        return (self.tier_rank, self.partner_type_id, self.region_id, tuple(sorted(self.role_ids)))

    @property
    def qualified_audience_key(self) -> tuple:
        """``audience_key`` and what the viewer holds: viewers with the same key see exactly the same items."""
        qualifications = viewer_qualifications(self)
        return (*self.audience_key, tuple(sorted(qualifications.held)), qualifications.partner_holders)


def viewer_qualifications(viewer: Viewer) -> Qualifications:
    """What ``viewer`` and their partner hold, read once (one query) and kept on the viewer."""
    if viewer.qualifications is None:
        object.__setattr__(
            viewer, "qualifications", qualifications_of(user_id=viewer.user_id, partner_id=viewer.partner_id)
        )
    return viewer.qualifications


def load_qualifications(viewers) -> list[Viewer]:
    """``viewer_qualifications`` for many viewers at once (two queries): before deciding for each of them."""
    viewers = list(viewers)
    found = qualifications_of_many(viewers=[v for v in viewers if v.qualifications is None])
    for viewer in viewers:
        if viewer.user_id in found:
            object.__setattr__(viewer, "qualifications", found[viewer.user_id])
    return viewers


@dataclass(frozen=True)
class Audience:
    """Who one item is meant for. Empty sets and a missing rank mean "everyone"."""

    min_tier_rank: int | None = None
    partner_type_ids: frozenset[int] = frozenset()
    region_ids: frozenset[int] = frozenset()
    role_ids: frozenset[int] = frozenset()
    qualification_id: int | None = None  # required qualification (``partners.qualifications``), if any
    qualification_mode: str = HeldBy.USER
    qualification_holders: int = 1


def audience_allows(audience: Audience, viewer: Viewer | None) -> bool:
    """Decide whether ``viewer`` falls inside ``audience``. ``None`` is nobody: never allowed."""
    if not audience_allows_apart_from_qualification(audience, viewer):
        return False
    return audience.qualification_id is None or viewer_qualifications(viewer).satisfies(
        audience.qualification_id, audience.qualification_mode, audience.qualification_holders
    )


def locked_by_qualification(audience: Audience, viewer: Viewer | None) -> bool:
    """The viewer is in the audience except for a qualification they (or their partner) lack.

    Such an item is "known to exist": the API and the portal name what unlocks it, never more.
    """
    return audience_allows_apart_from_qualification(audience, viewer) and not audience_allows(audience, viewer)


def audience_allows_apart_from_qualification(audience: Audience, viewer: Viewer | None) -> bool:
    """Tier, partner type, region and roles: the rule without the qualification."""
    if viewer is None:
        return False
    if audience.min_tier_rank is not None and viewer.tier_rank < audience.min_tier_rank:
        return False
    if audience.partner_type_ids and viewer.partner_type_id not in audience.partner_type_ids:
        return False
    if audience.region_ids and viewer.region_id not in audience.region_ids:
        return False
    if audience.role_ids and not (audience.role_ids & viewer.role_ids):
        return False
    return True


_VIEWER_CACHE_ATTR = "_partnerhub_viewer"


def viewer_for(user) -> Viewer | None:
    """The ``Viewer`` for a user, or ``None`` when the user may see no gated content at all.

    ``None`` covers anonymous users, inactive users, users without a partner
    membership, users past their last day (``leaves_on``) and members of inactive partners.
    The answer is kept on the user object, which lives for one request, and its facts in the cache under the
    identity generation (``identity_cache``) for the next requests.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if hasattr(user, _VIEWER_CACHE_ATTR):
        return getattr(user, _VIEWER_CACHE_ATTR)

    from .identity_cache import cached_audience_facts
    from .selectors import audience_facts_for_user

    facts = cached_audience_facts(user_id=user.pk, read=lambda: audience_facts_for_user(user=user))
    viewer = Viewer(user_id=user.pk, **facts) if facts is not None else None
    setattr(user, _VIEWER_CACHE_ATTR, viewer)
    return viewer


def can_view(user, item: AudienceMixin) -> bool:
    """The rule for one item and one user: audience and liveness."""
    return item.is_live_for_partners() and audience_allows(item.get_audience(), viewer_for(user))


def search_document_fields(audience: Audience) -> dict:
    """The audience of one item as fields of its search document (see ``search_filter``)."""
    return {
        "audience_min_tier_rank": audience.min_tier_rank or 0,
        "audience_partner_types": sorted(str(pk) for pk in audience.partner_type_ids) or [EVERYONE],
        "audience_regions": sorted(str(pk) for pk in audience.region_ids) or [EVERYONE],
        "audience_roles": sorted(str(pk) for pk in audience.role_ids) or [EVERYONE],
        **qualification_document_fields(
            audience.qualification_id, audience.qualification_mode, audience.qualification_holders
        ),
    }


def search_filter(viewer: Viewer | None) -> dict:
    """The rule as an Elasticsearch filter clause over ``search_document_fields``."""
    if viewer is None:
        return {"bool": {"must_not": {"match_all": {}}}}
    return {
        "bool": {
            "filter": [
                {"range": {"audience_min_tier_rank": {"lte": viewer.tier_rank}}},
                {"terms": {"audience_partner_types": [EVERYONE, str(viewer.partner_type_id)]}},
                {"terms": {"audience_regions": [EVERYONE, str(viewer.region_id)]}},
                {"terms": {"audience_roles": [EVERYONE, *sorted(str(pk) for pk in viewer.role_ids)]}},
                qualification_search_clause(viewer_qualifications(viewer)),
            ]
        }
    }


class AudienceQuerySetMixin:
    """Adds ``visible_to(user)``; mix into the queryset of every gated model."""

    def visible_to(self, user):
        viewer = viewer_for(user)
        if viewer is None:
            return self.none()
        return self.filter(self.model.live_q()).filter(self.model.audience_q(viewer))

    def audience_counts(self) -> list[tuple[Audience, int]]:
        """How many rows each distinct audience has: one grouped query, the same for every viewer.

        ``count_visible(audience_counts, viewer)`` then counts what one viewer may see
        without another query. Apply the liveness and other filters first.
        """
        required = REQUIREMENT_FIELDS if hasattr(self.model, "required_qualification") else ()
        rows = (
            self.order_by()
            .values_list("min_tier__rank", *(f"audience_{name}_key" for name in AUDIENCE_LISTS), *required)
            .annotate(rows=models.Count("pk"))
        )
        counts = []
        for rank, types_key, regions_key, roles_key, *requirement, count in rows:
            audience = Audience(
                min_tier_rank=rank,
                partner_type_ids=audience_list_ids(types_key),
                region_ids=audience_list_ids(regions_key),
                role_ids=audience_list_ids(roles_key),
            )
            if requirement:
                audience = with_requirement(audience, *requirement)
            counts.append((audience, count))
        return counts


def count_visible(audience_counts: list[tuple[Audience, int]], viewer: Viewer | None) -> int:
    """The rows of ``audience_counts`` that ``viewer`` may see (the pure rule, no query)."""
    return sum(count for audience, count in audience_counts if audience_allows(audience, viewer))


class AudienceQuerySet(AudienceQuerySetMixin, models.QuerySet):
    pass


AUDIENCE_LISTS = ("partner_types", "regions", "roles")
#: The columns of a requirement (``qualifications.QualificationMixin``), in ``with_requirement``'s order.
REQUIREMENT_FIELDS = ("required_qualification_id", "required_qualification_mode", "required_holders")


def with_requirement(audience: Audience, qualification_id, mode, holders) -> Audience:
    """``audience`` with a requirement read from ``REQUIREMENT_FIELDS`` (none when ``qualification_id`` is)."""
    if qualification_id is None:
        return audience
    return replace(audience, qualification_id=qualification_id, qualification_mode=mode, qualification_holders=holders)


def audience_list_key(ids) -> str:
    """A list of the audience as stored on the row: ``*`` for everyone, else ``|3|7|``."""
    ids = sorted(int(pk) for pk in ids)
    return f"|{'|'.join(str(pk) for pk in ids)}|" if ids else EVERYONE


def audience_list_ids(key: str) -> frozenset[int]:
    """The ids in a stored list key (``audience_list_key``); everyone is the empty set."""
    return frozenset() if key == EVERYONE else frozenset(int(pk) for pk in key.strip("|").split("|"))


def _list_allows(field_name: str, allowed_ids) -> Q:
    """Unrestricted, or naming one of ``allowed_ids``: a test on the row itself, no subquery."""
    column = f"audience_{field_name}_key"
    allows = Q(**{column: EVERYONE})
    for pk in allowed_ids:
        allows |= Q(**{f"{column}__contains": f"|{int(pk)}|"})
    return allows


class AudienceMixin(models.Model):
    """The audience of DESIGN §3 for any gated model (page, snippet or plain model).

    Concrete models must be ``ClusterableModel`` subclasses (pages are), so the
    audience is kept in revisions and previews like any other field. Give them a
    queryset with ``AudienceQuerySetMixin`` and override ``live_q`` /
    ``is_live_for_partners`` with their lifecycle.
    """

    min_tier = models.ForeignKey(
        Tier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="minimum tier",
        help_text="Blank: every tier. Otherwise this tier and every higher one.",
    )
    partner_types = ParentalManyToManyField(
        PartnerType, blank=True, related_name="+", help_text="None selected: every partner type."
    )
    regions = ParentalManyToManyField(Region, blank=True, related_name="+", help_text="None selected: every region.")
    roles = ParentalManyToManyField(Role, blank=True, related_name="+", help_text="None selected: every role.")

    # The three lists above, copied onto the row on every save (``|3|7|``, or ``*`` for everyone), so
    # that ``visible_to`` filters each row by itself instead of building subqueries over the lists.
    audience_partner_types_key = models.CharField(max_length=1000, default=EVERYONE, editable=False)
    audience_regions_key = models.CharField(max_length=1000, default=EVERYONE, editable=False)
    audience_roles_key = models.CharField(max_length=1000, default=EVERYONE, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_audience_keys()
        super().save(*args, **kwargs)

    def refresh_audience_keys(self) -> None:
        """Copy the audience lists (as they are in memory, saved or not) onto the row's key columns."""
        for name in AUDIENCE_LISTS:
            try:
                ids = [obj.pk for obj in getattr(self, name).all()]
            except ValueError:  # unsaved, with nothing set in memory
                ids = []
            setattr(self, f"audience_{name}_key", audience_list_key(ids))

    @classmethod
    def audience_q(cls, viewer: Viewer) -> Q:
        return (
            (Q(min_tier__isnull=True) | Q(min_tier__rank__lte=viewer.tier_rank))
            & _list_allows("partner_types", [viewer.partner_type_id])
            & _list_allows("regions", [viewer.region_id])
            & _list_allows("roles", viewer.role_ids)
        )

    @classmethod
    def live_q(cls) -> Q:
        """What "live" means for partners, as a filter. Lifecycle-aware models override this."""
        return Q()

    def is_live_for_partners(self) -> bool:
        """``live_q`` for one loaded item. Lifecycle-aware models override this."""
        return True

    def get_audience(self) -> Audience:
        audience = Audience(
            min_tier_rank=self.min_tier.rank if self.min_tier_id else None,
            partner_type_ids=frozenset(pt.pk for pt in self.partner_types.all()),
            region_ids=frozenset(r.pk for r in self.regions.all()),
            role_ids=frozenset(r.pk for r in self.roles.all()),
        )
        if hasattr(self, "required_qualification_id"):
            audience = with_requirement(audience, *(getattr(self, name) for name in REQUIREMENT_FIELDS))
        return audience


def gated_models() -> list[type[AudienceMixin]]:
    """Every concrete model that carries an audience."""
    return [m for m in apps.get_models() if issubclass(m, AudienceMixin) and not m._meta.abstract]


def protect_audience_references(sender, instance, **kwargs):
    """Refuse to delete a partner type, region or role that an audience names.

    Deleting it would silently drop it from those audiences, and an emptied list
    means "everyone": content meant for one role would open up to all. So, like
    ``on_delete=PROTECT`` for the minimum tier, deletion is refused while in use.
    Models call this from ``delete()`` (before Django opens its transaction, as
    PROTECT does); a ``pre_delete`` receiver also calls it for queryset deletes.
    """
    sender = type(instance) if sender is None else sender
    field_name = {PartnerType: "partner_types", Region: "regions", Role: "roles"}[sender]
    users = []
    for model in gated_models():
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        rows = through.objects.filter(**{field.m2m_reverse_field_name(): instance.pk})
        if rows.exists():
            users += list(model.objects.filter(pk__in=rows.values(field.m2m_field_name()))[:5])
    if users:
        raise ProtectedError(
            f"{sender._meta.verbose_name.capitalize()} {instance} is part of the audience of "
            f"{len(users)}+ item(s), e.g. {users[0]}; remove it from them first.",
            set(users),
        )
