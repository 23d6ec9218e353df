"""The qualification matrix: users who hold, lack, lost or share a qualification, against every kind of requirement.

Shared by the unit tests (SQLite), the PostgreSQL and Elasticsearch runs and the leak tests of
each content kind. The expected answers are worked out here from the story of each user, not
from the code under test.

Everyone is in the same tier, type, region and role as every item, so only the qualification decides:

* ``holder`` holds SD-WAN Pro (partner ``alpha``, one holder in all), ``colleague`` in ``alpha`` does not;
* ``expired`` held it until yesterday, ``revoked_user`` had it revoked (no row), both at ``bravo``;
* ``short`` is at ``charlie``, which has N - 1 = 1 active holder; ``enough`` at ``delta``, which has N = 2;
* ``echo`` has 2 holders on paper, but one is deactivated and one is past their last day: 0 count.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from partners.factories import HeldQualificationFactory, PartnerFactory, QualificationFactory, partner_user
from partners.qualifications import HeldBy
from tests.testapp.factories import GatedItemFactory

N = 2


@dataclass
class QualificationMatrix:
    users: dict  # name -> user
    items: dict  # name -> item
    expected: dict  # user name -> set of visible item names
    qualification: object
    other: object

    def expected_ids(self, user_name: str) -> set[int]:
        return {self.items[name].pk for name in self.expected[user_name]}

    def locked_ids(self, user_name: str) -> set[int]:
        return {item.pk for item in self.items.values()} - self.expected_ids(user_name)


def requirement(qualification, mode=HeldBy.USER, holders=1) -> dict:
    return {"required_qualification": qualification, "required_qualification_mode": mode, "required_holders": holders}


def build_qualification_matrix(factory=GatedItemFactory, **common) -> QualificationMatrix:
    """The matrix over ``factory``'s model; ``common`` are arguments every item gets (e.g. its audience)."""
    sdwan = QualificationFactory(key="sdwan-pro", name="SD-WAN Pro")
    sase = QualificationFactory(key="sase-expert", name="SASE Expert")
    year, yesterday = timezone.now() + timedelta(days=365), timezone.now() - timedelta(days=1)
    partners = {name: PartnerFactory(key=name) for name in ("alpha", "bravo", "charlie", "delta", "echo")}
    users = {
        "holder": partner_user(partner=partners["alpha"]),
        "colleague": partner_user(partner=partners["alpha"]),
        "expired": partner_user(partner=partners["bravo"]),
        "revoked_user": partner_user(partner=partners["bravo"]),
        "short": partner_user(partner=partners["charlie"]),
        "enough": partner_user(partner=partners["delta"]),
        "echo": partner_user(partner=partners["echo"]),
    }
    HeldQualificationFactory(user=users["holder"], qualification=sdwan, valid_until=year)
    HeldQualificationFactory(user=users["expired"], qualification=sdwan, valid_until=yesterday)
    HeldQualificationFactory(user=partner_user(partner=partners["charlie"]), qualification=sdwan, valid_until=year)
    for _ in range(N):
        HeldQualificationFactory(user=partner_user(partner=partners["delta"]), qualification=sdwan, valid_until=year)
    gone = partner_user(partner=partners["echo"])
    gone.is_active = False
    gone.save()
    leaver = partner_user(partner=partners["echo"])
    leaver.partner_membership.leaves_on = timezone.localdate() - timedelta(days=1)
    leaver.partner_membership.save()
    for user in (gone, leaver):
        HeldQualificationFactory(user=user, qualification=sdwan, valid_until=year)
    HeldQualificationFactory(user=partner_user(partner=partners["echo"]), qualification=sase, valid_until=year)

    items = {
        "open": factory(title="Open item", **common),
        "user_sdwan": factory(title="For SD-WAN Pro holders", **requirement(sdwan), **common),
        "partner_sdwan_1": factory(
            title="Partners with one SD-WAN Pro", **requirement(sdwan, HeldBy.PARTNER, 1), **common
        ),
        "partner_sdwan_n": factory(
            title="Partners with N SD-WAN Pros", **requirement(sdwan, HeldBy.PARTNER, N), **common
        ),
        "user_sase": factory(title="For SASE experts", **requirement(sase), **common),
    }
    expected = {
        "holder": {"open", "user_sdwan", "partner_sdwan_1"},
        "colleague": {"open", "partner_sdwan_1"},
        "expired": {"open"},
        "revoked_user": {"open"},
        "short": {"open", "partner_sdwan_1"},
        "enough": {"open", "partner_sdwan_1", "partner_sdwan_n"},
        "echo": {"open"},
    }
    return QualificationMatrix(users=users, items=items, expected=expected, qualification=sdwan, other=sase)


def es_matches(clause: dict, document: dict) -> bool:
    """Evaluate the Elasticsearch filter clauses the audience rule builds against one document (keyword fields).

    Just enough of the query DSL (bool filter/should/must_not, term, terms, range, match_all) to check in
    unit tests that the Elasticsearch form agrees; the integration tests run it on the real node.
    """
    (kind, body), *_ = clause.items()
    if kind == "match_all":
        return True
    if kind == "bool":
        filters = body.get("filter", [])
        filters = filters if isinstance(filters, list) else [filters]
        must_not = body.get("must_not", [])
        must_not = must_not if isinstance(must_not, list) else [must_not]
        should = body.get("should", [])
        if not all(es_matches(c, document) for c in filters):
            return False
        if any(es_matches(c, document) for c in must_not):
            return False
        needed = body.get("minimum_should_match", 1 if should and not filters else 0)
        return sum(es_matches(c, document) for c in should) >= needed
    (field, value), *_ = body.items()
    stored = document[field]
    values = stored if isinstance(stored, list) else [stored]
    if kind == "term":
        return value in values
    if kind == "terms":
        return bool(set(value) & set(values))
    if kind == "range":
        return all(
            {"lte": v <= bound, "lt": v < bound, "gte": v >= bound, "gt": v > bound}[op]
            for op, bound in value.items()
            for v in values
        )
    raise AssertionError(f"not evaluated here: {clause}")
