"""``load_demo``'s step of the portal: the home page gets campaign banners and featured assets and courses.

Only on a home page the editors have not filled: once it has a banner or a featured item, a re-run keeps
what is there. The content is published as a revision, as an editor's would be, so the admin shows it.
"""

import io
from datetime import UTC, datetime, time, timedelta

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

from PIL import Image as PILImage
from PIL import ImageDraw

from cms.models import Asset
from core.demo import DemoRun
from courses.models import Course
from partners.audience import AUDIENCE_LISTS
from partners.models import Tier

from .models import HomeBanner, HomeFeaturedAsset, HomeFeaturedCourse, HomePage

#: Featured assets: this many for every partner, then one for each tier that has its own.
FEATURED_FOR_EVERYONE = 4
FEATURED_COURSES = 4
EVERYONE = {f"audience_{name}_key": "*" for name in AUDIENCE_LISTS}


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
    """Live library files: a few for every partner, then one only for each tier (shown to that tier and above)."""
    live = Asset.objects.live_for_partners().exclude(asset_type=Asset.AssetType.LINK).order_by("key", "pk")
    chosen = list(live.filter(min_tier__isnull=True, **EVERYONE)[:FEATURED_FOR_EVERYONE])
    for tier in Tier.objects.filter(rank__gt=Tier.objects.order_by("rank").values("rank")[:1]).order_by("rank"):
        chosen += list(live.filter(min_tier=tier, **EVERYONE)[:1])
    return chosen


def demo_featured_courses() -> list[Course]:
    """The live courses with the fewest restrictions: most partners see most of them."""
    courses = Course.objects.live_for_partners().order_by("key", "pk")

    def restrictions(course) -> int:
        lists = [getattr(course, f"audience_{name}_key") for name in AUDIENCE_LISTS]
        return (course.min_tier_id is not None) + sum(key != "*" for key in lists)

    return sorted(courses, key=restrictions)[:FEATURED_COURSES]


def demo_banner_image():
    """A small generated illustration for the launch banner (Pillow: no file shipped in the repository)."""
    picture = PILImage.new("RGB", (720, 405), (28, 44, 120))
    draw = ImageDraw.Draw(picture)
    for n, colour in enumerate([(58, 79, 216), (122, 90, 245), (92, 160, 255), (255, 255, 255)]):
        draw.rounded_rectangle(
            [120 + n * 70, 90 + n * 40, 600 - n * 40, 330 - n * 10], radius=24, outline=colour, width=6
        )
    draw.ellipse([470, 40, 660, 230], fill=(122, 90, 245))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return get_image_model().objects.create(
        title="Edge Firewall 9 launch", file=ImageFile(buffer, name="edge-firewall-9-launch.png")
    )


def demo_home(run: DemoRun) -> None:
    page = HomePage.objects.first()
    if page is None:
        return
    if page.banners.exists() or page.featured_assets.exists() or page.featured_courses.exists():
        run.summary.append("home page: kept the editors' banners and featured items")
        return
    banners = demo_banners(today=run.today)
    banners[0].image = demo_banner_image()
    page.banners = banners
    page.featured_assets = [HomeFeaturedAsset(asset=asset) for asset in demo_featured_assets()]
    page.featured_courses = [HomeFeaturedCourse(course=course) for course in demo_featured_courses()]
    page.save_revision().publish()
    run.summary.append(
        f"home page: {len(page.banners.all())} banners, {len(page.featured_assets.all())} featured assets, "
        f"{len(page.featured_courses.all())} featured courses"
    )
