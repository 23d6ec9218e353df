"""Realistic demo partners and partner users, as manifest sections (see ``load_demo``)."""

import random
import unicodedata

TIERS = [
    {"key": "registered", "name": "Registered", "rank": 10},
    {"key": "silver", "name": "Silver", "rank": 20},
    {"key": "gold", "name": "Gold", "rank": 30},
    {"key": "platinum", "name": "Platinum", "rank": 40},
]
PARTNER_TYPES = [
    {"key": "reseller", "name": "Reseller"},
    {"key": "distributor", "name": "Distributor"},
    {"key": "msp", "name": "Managed service provider"},
    {"key": "referral", "name": "Referral partner"},
    {"key": "isv", "name": "ISV / technology partner"},
    {"key": "si", "name": "Systems integrator"},
]
REGIONS = [
    {"key": "amer", "name": "Americas"},
    {"key": "emea", "name": "Europe, Middle East & Africa"},
    {"key": "apac", "name": "Asia Pacific"},
    {"key": "latam", "name": "Latin America"},
]
ROLES = [
    {"key": "sales", "name": "Sales"},
    {"key": "marketing", "name": "Marketing"},
    {"key": "technical", "name": "Technical"},
    {"key": "admin", "name": "Partner admin"},
]

_NAME_PARTS = (
    [
        "Northwind",
        "Contoso",
        "Fabrikam",
        "Adatum",
        "Tailspin",
        "Litware",
        "Proseware",
        "Wingtip",
        "Lucerne",
        "Margie's",
        "Fourth Coffee",
        "Alpine Ski",
        "Blue Yonder",
        "Coho",
        "Humongous",
        "Trey",
        "Wide World",
        "Woodgrove",
        "Relecloud",
        "Bellows",
        "Graphic Design",
        "VanArsdel",
        "Southridge",
        "Datum",
    ],
    [
        "Systems",
        "Networks",
        "Solutions",
        "Technologies",
        "Partners",
        "Consulting",
        "Digital",
        "Cloud Services",
        "Integration",
        "Group",
    ],
)
_FIRST = [
    "Ann",
    "Bilal",
    "Chen",
    "Dana",
    "Emeka",
    "Fatima",
    "Giulia",
    "Hiro",
    "Ines",
    "Jonas",
    "Kavya",
    "Lars",
    "Mei",
    "Noah",
    "Olu",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zofia",
]
_LAST = [
    "Andersen",
    "Bianchi",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ito",
    "Jansen",
    "Kowalski",
    "Lopez",
    "Müller",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Urbanski",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhang",
]

#: The demo user whose token ``make demo`` prints: a Gold reseller in EMEA with sales and marketing roles.
DEMO_PARTNER_USER = "ann.andersen"
#: Acme's partner admin: sees Acme's certification compliance (``make demo`` prints her token too).
DEMO_PARTNER_ADMIN = "priya.patel"
#: Staff e-mails (``load_demo``'s editors) of the partners' channel managers, in turn.
CHANNEL_MANAGERS = ["carla.channel@vendor.example", "maria.editor@vendor.example"]


def demo_partner_sections(*, seed: int = 2026, partners: int = 48, users: int = 180) -> dict:
    rng = random.Random(seed)
    tier_weights = [4, 3, 2, 1]
    partner_entries = [
        {
            "key": "acme",
            "name": "Acme Networks",
            "tier": "gold",
            "type": "reseller",
            "region": "emea",
            "active": True,
        }
    ]
    names = {"Acme Networks"}
    while len(partner_entries) < partners:
        name = f"{rng.choice(_NAME_PARTS[0])} {rng.choice(_NAME_PARTS[1])}"
        if name in names:
            continue
        names.add(name)
        key = name.lower().replace("'", "").replace(" ", "-")
        partner_entries.append(
            {
                "key": key,
                "name": name,
                "tier": rng.choices([t["key"] for t in TIERS], weights=tier_weights)[0],
                "type": rng.choice(PARTNER_TYPES)["key"],
                "region": rng.choice(REGIONS)["key"],
                # A few lapsed partners, to show that deactivation locks their users out.
                "active": rng.random() > 0.06,
            }
        )

    user_entries = [
        {
            "key": DEMO_PARTNER_USER,
            "email": "ann.andersen@acme-networks.example",
            "first_name": "Ann",
            "last_name": "Andersen",
            "partner": "acme",
            "roles": ["sales", "marketing"],
            "active": True,
        },
        {
            "key": DEMO_PARTNER_ADMIN,
            "email": "priya.patel@acme-networks.example",
            "first_name": "Priya",
            "last_name": "Patel",
            "partner": "acme",
            "roles": ["admin", "sales"],
            "active": True,
        },
    ]
    usernames = {DEMO_PARTNER_USER, DEMO_PARTNER_ADMIN}
    while len(user_entries) < users:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        base = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode().lower()
        username = base
        suffix = 2
        while username in usernames:
            username = f"{base}{suffix}"
            suffix += 1
        usernames.add(username)
        partner = rng.choice(partner_entries)
        role_count = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
        user_entries.append(
            {
                "key": username,
                "email": f"{username}@{partner['key']}.example",
                "first_name": first,
                "last_name": last,
                "partner": partner["key"],
                "roles": sorted(rng.sample([r["key"] for r in ROLES], role_count)),
                "active": rng.random() > 0.04,
            }
        )
    for n, partner in enumerate(partner_entries):
        partner["channel_manager"] = CHANNEL_MANAGERS[n % len(CHANNEL_MANAGERS)]
    return {
        "tiers": TIERS,
        "partner_types": PARTNER_TYPES,
        "regions": REGIONS,
        "roles": ROLES,
        "partners": partner_entries,
        "users": user_entries,
    }
