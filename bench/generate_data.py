"""Generate a DESIGN §8 population: 100k assets, 5k partners, 50k partner users (bulk inserts),
and certifications: 5, with tier requirements, and about 27k certificates of those users.

    python -m bench.generate_data [--assets 100000] [--partners 5000] [--users 50000] [--seed 8]

Point it at PostgreSQL with DATABASE_URL (``make bench`` does). It refuses to run on a
database that already holds partners unless ``--force``. Data is made with bulk inserts,
not through services: this is load for measuring reads, not a way to create content.
"""

import argparse
import os
import random
import sys
import time
import uuid
from datetime import timedelta


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--partners", type=int, default=5_000)
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--force", action="store_true", help="Add to a database that already has partners.")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from wagtail.models import Locale

    from tqdm import tqdm

    from cms.models import Asset, AssetVersion, Product
    from cms.storage import private_storage
    from partners.audience import audience_list_key
    from partners.models import Partner, PartnerMembership, PartnerType, Region, Role, Tier

    if Partner.objects.exists() and not args.force:
        print("This database already has partners; use --force to add the benchmark population anyway.")
        return 2

    rng = random.Random(args.seed)
    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        tiers = [
            Tier.objects.get_or_create(key=k, defaults={"name": k.title(), "rank": r})[0]
            for k, r in (("registered", 10), ("silver", 20), ("gold", 30), ("platinum", 40))
        ]
        types = [
            PartnerType.objects.get_or_create(key=k, defaults={"name": k.title()})[0]
            for k in ("reseller", "distributor", "msp", "referral", "isv", "si")
        ]
        regions = [
            Region.objects.get_or_create(key=k, defaults={"name": k.upper()})[0]
            for k in ("amer", "emea", "apac", "latam")
        ]
        roles = list(Role.objects.all())
        products = [
            Product.objects.get_or_create(key=f"product-{n}", defaults={"name": f"Product {n}"})[0] for n in range(50)
        ]
        locale = Locale.get_default()

        partners = Partner.objects.bulk_create(
            [
                Partner(
                    key=f"bench-partner-{n}",
                    name=f"Bench Partner {n}",
                    tier=rng.choice(tiers),
                    partner_type=rng.choice(types),
                    region=rng.choice(regions),
                )
                for n in range(args.partners)
            ],
            batch_size=2000,
        )
        User = get_user_model()
        users = User.objects.bulk_create(
            [
                User(username=f"bench-user-{n}", email=f"bench-user-{n}@example.test", password="!")  # noqa: S106
                for n in tqdm(range(args.users), desc="users")
            ],
            batch_size=5000,
        )
        memberships = PartnerMembership.objects.bulk_create(
            [PartnerMembership(user=user, partner=rng.choice(partners)) for user in users], batch_size=5000
        )
        RoleThrough = PartnerMembership.roles.through
        RoleThrough.objects.bulk_create(
            [
                RoleThrough(partnermembership_id=m.pk, role_id=role.pk)
                for m in memberships
                for role in rng.sample(roles, rng.randint(1, 2))
            ],
            batch_size=10000,
        )

        sample = private_storage().save("bench/sample.pdf", ContentFile(b"%PDF-1.4\n% benchmark\n"))
        types_choices = Asset.AssetType.values
        asset_rows, audiences = [], []
        for n in tqdm(range(args.assets), desc="assets"):
            published = now - timedelta(minutes=rng.randint(1, 60 * 24 * 365))
            audience = {
                field: (rng.sample(options, rng.randint(1, 2)) if rng.random() < share else [])
                for field, options, share in (
                    ("partner_types", types, 0.2),
                    ("regions", regions, 0.2),
                    ("roles", roles, 0.15),
                )
            }
            audiences.append(audience)
            asset_rows.append(
                Asset(
                    title=f"Benchmark asset {n} {rng.choice(['battlecard', 'deck', 'price list', 'guide'])}",
                    summary="Generated for benchmarks.",
                    asset_type=rng.choice(types_choices),
                    file=sample,
                    live=True,
                    first_published_at=published,
                    last_published_at=published,
                    expire_at=now + timedelta(days=rng.randint(30, 400)) if rng.random() < 0.5 else None,
                    min_tier=rng.choice([None, None, *tiers]),
                    locale=locale,
                    translation_key=uuid.uuid4(),
                    **{
                        f"audience_{field}_key": audience_list_key([o.pk for o in chosen])
                        for field, chosen in audience.items()
                    },
                )
            )
        assets = Asset.objects.bulk_create(asset_rows, batch_size=5000)
        AssetVersion.objects.bulk_create(
            [AssetVersion(asset=a, number=1, file=sample, change_note="First version") for a in assets],
            batch_size=10000,
        )
        for field, options, share in (
            ("partner_types", types, 0.2),
            ("regions", regions, 0.2),
            ("roles", roles, 0.15),
        ):
            through = Asset._meta.get_field(field).remote_field.through
            source, target = (
                Asset._meta.get_field(field).m2m_field_name(),
                Asset._meta.get_field(field).m2m_reverse_field_name(),
            )
            through.objects.bulk_create(
                [
                    through(**{f"{source}_id": a.pk, f"{target}_id": o.pk})
                    for a in assets
                    if rng.random() < share
                    for o in rng.sample(options, rng.randint(1, 2))
                ],
                batch_size=10000,
            )
        through = Asset.products.through
        through.objects.bulk_create(
            [through(asset_id=a.pk, product_id=p.pk) for a in assets for p in rng.sample(products, rng.randint(1, 2))],
            batch_size=10000,
        )
        certificates = _certifications(rng=rng, now=now, memberships=memberships, tiers=tiers)
    # Table statistics, as autovacuum keeps them in production: without them the planner guesses from empty tables.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"Generated {args.partners} partners, {args.users} users, {args.assets} assets, {certificates} certificates "
        f"in {time.monotonic() - started:.1f}s."
    )
    return 0


def _certifications(*, rng, now, memberships, tiers) -> int:
    """5 live certifications, tier requirements (Silver and up), and certificates of 40% of the users (15% hold
    two), issued over the last two years for 24 months; 2% revoked. Returns how many certificates."""
    from certifications.models import Certificate, Certification, TierRequirement

    certifications = [
        Certification.objects.create(
            title=title,
            live=True,
            first_published_at=now,
            last_published_at=now,
            validity_months=24,
            renewal_window_days=60,
        )
        for title in ("Bench sales", "Bench engineer", "Bench SD-WAN", "Bench security", "Bench programs")
    ]
    _registered, silver, gold, platinum = tiers
    sales, engineer, sdwan, *_ = certifications
    TierRequirement.objects.bulk_create(
        [
            TierRequirement(tier=silver, certification=sales, minimum_holders=1),
            TierRequirement(tier=gold, certification=sales, minimum_holders=2),
            TierRequirement(tier=gold, certification=engineer, minimum_holders=1),
            TierRequirement(tier=platinum, certification=sales, minimum_holders=3),
            TierRequirement(tier=platinum, certification=engineer, minimum_holders=1),
            TierRequirement(tier=platinum, certification=sdwan, minimum_holders=1),
        ]
    )
    rows = []
    for membership in memberships:
        held = rng.random()
        for certification in rng.sample(certifications, 2 if held < 0.15 else 1 if held < 0.4 else 0):
            issued = now - timedelta(days=rng.randint(1, 730))
            revoked = rng.random() < 0.02
            rows.append(
                Certificate(
                    user_id=membership.user_id,
                    certification=certification,
                    partner_id=membership.partner_id,
                    issued_at=issued,
                    expires_at=issued + timedelta(days=730),
                    revoked_at=now if revoked else None,
                    revocation_reason="Benchmark" if revoked else "",
                )
            )
    Certificate.objects.bulk_create(rows, batch_size=5000)
    # bulk_create sends no signals: who holds which certification (qualification gating) in one reconcile.
    from certifications.qualifications import held_qualifications_reconcile

    held_qualifications_reconcile()
    return len(rows)


if __name__ == "__main__":
    sys.exit(main())
