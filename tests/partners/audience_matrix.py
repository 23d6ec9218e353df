"""The exhaustive audience matrix of DESIGN §3, shared by the SQLite and PostgreSQL test runs.

One viewer (a Silver reseller in EMEA with the sales role) against every
combination of minimum tier (none / below / equal / above), partner types, regions
and roles (each unrestricted / including the viewer / excluding the viewer), with
the expected answer worked out here independently of the code under test.
"""

import itertools
from dataclasses import dataclass

from partners.factories import (
    PartnerFactory,
    PartnerTypeFactory,
    RegionFactory,
    RoleFactory,
    TierFactory,
    partner_user,
)
from tests.testapp.factories import GatedItemFactory

TIER_CASES = ("none", "below", "equal", "above")
LIST_CASES = ("unrestricted", "in", "out")


@dataclass
class Matrix:
    viewer_user: object
    items: dict  # (tier_case, type_case, region_case, role_case) -> GatedItem
    expected_visible: set  # ids
    world: dict


def build_world():
    tiers = {
        "below": TierFactory(key="registered", rank=10),
        "equal": TierFactory(key="silver", rank=20),
        "above": TierFactory(key="gold", rank=30),
    }
    types = {"in": PartnerTypeFactory(key="reseller"), "out": PartnerTypeFactory(key="distributor")}
    regions = {"in": RegionFactory(key="emea"), "out": RegionFactory(key="apac")}
    roles = {"in": RoleFactory(key="sales"), "out": RoleFactory(key="technical")}
    return {"tiers": tiers, "types": types, "regions": regions, "roles": roles}


def build_matrix(factory=GatedItemFactory, **not_live) -> Matrix:
    """The matrix over ``factory``'s model; ``not_live`` are the arguments of one item that is not live."""
    world = build_world()
    partner = PartnerFactory(
        tier=world["tiers"]["equal"], partner_type=world["types"]["in"], region=world["regions"]["in"]
    )
    viewer_user = partner_user(partner=partner, roles=[world["roles"]["in"]])
    items, expected = {}, set()
    for tier_case, type_case, region_case, role_case in itertools.product(TIER_CASES, *[LIST_CASES] * 3):

        def pick(case, options):
            return [] if case == "unrestricted" else [options[case]]

        item = factory(
            title=f"{tier_case}/{type_case}/{region_case}/{role_case}",
            min_tier=None if tier_case == "none" else world["tiers"][tier_case],
            partner_types=pick(type_case, world["types"]),
            regions=pick(region_case, world["regions"]),
            roles=pick(role_case, world["roles"]),
        )
        items[(tier_case, type_case, region_case, role_case)] = item
        if tier_case != "above" and "out" not in (type_case, region_case, role_case):
            expected.add(item.pk)
    # Not live: never visible, whatever the audience.
    factory(title="draft", **(not_live or {"live": False}))
    return Matrix(viewer_user=viewer_user, items=items, expected_visible=expected, world=world)
