"""``load_demo``'s step of the portal: the home page gets campaign banners and featured assets and courses.

Only on a home page the editors have not filled: once it has a banner or a featured item, a re-run keeps
what is there. The content is published as a revision, as an editor's would be, so the admin shows it.
"""

from datetime import UTC, datetime, time, timedelta

from cms.models import Asset
from core.demo import DemoRun
from courses.models import Course
from partners.models import Tier

from .models import HomeBanner, HomeFeaturedAsset, HomeFeaturedCourse, HomePage

#: Featured assets: this many for every tier, then one for each tier that has its own.
FEATURED_FOR_EVERYONE = 3
FEATURED_COURSES = 3


def demo_banners(*, today) -> list[HomeBanner]:
    """A launch for Gold partners and above (first: they see it), then a campaign for everyone."""
    midnight = datetime.combine(today, time(), tzinfo=UTC)
    gold = Tier.objects.filter(key="gold").first()
    return [
        HomeBanner(
            heading="Edge Firewall 9 is here: your launch kit is ready",
            text="Decks, battlecards and a co-branded campaign for Gold and Platinum partners, "
            "a month ahead of general availability.",
            cta_url="/programs/",
            cta_label="See the launch programs",
            starts_at=midnight - timedelta(days=2),
            ends_at=midnight + timedelta(days=30),
            min_tier=gold,
        ),
        HomeBanner(
            heading="Partner Summit: registration is open",
            text="Two days of roadmap, training and awards. Seats for every partner; sessions fill fast.",
            cta_url="/bulletins/",
            cta_label="Read the announcement",
            ends_at=midnight + timedelta(days=60),
        ),
    ]


def demo_featured_assets() -> list[Asset]:
    """Live library assets with a spread of audiences: a few for everyone, one for each gated tier."""
    live = Asset.objects.live_for_partners().exclude(asset_type=Asset.AssetType.LINK).order_by("key", "pk")
    chosen = list(live.filter(min_tier__isnull=True)[:FEATURED_FOR_EVERYONE])
    for tier in Tier.objects.order_by("rank"):
        chosen += list(live.filter(min_tier=tier)[:1])
    return chosen


def demo_home(run: DemoRun) -> None:
    page = HomePage.objects.first()
    if page is None:
        return
    if page.banners.exists() or page.featured_assets.exists() or page.featured_courses.exists():
        run.summary.append("home page: kept the editors' banners and featured items")
        return
    page.banners = demo_banners(today=run.today)
    page.featured_assets = [HomeFeaturedAsset(asset=asset) for asset in demo_featured_assets()]
    courses = Course.objects.live_for_partners().order_by("key", "pk")[:FEATURED_COURSES]
    page.featured_courses = [HomeFeaturedCourse(course=course) for course in courses]
    page.save_revision().publish()
    run.summary.append(
        f"home page: {len(page.banners.all())} banners, {len(page.featured_assets.all())} featured assets, "
        f"{len(page.featured_courses.all())} featured courses"
    )
