"""Realistic demo content as manifest sections, with real small files generated on the fly.

This stays Python, not a manifest under ``fixtures/demo/``: every entry has a generated
file or dates relative to today, and written out it would be ~10,000 lines of JSON
that say less than the seeded generator below.

320 assets over every type (PDF documents and decks, PNG images, CSV price lists,
ZIP brand kits, hosted videos and links), 20 programs and 40 bulletins, with a
spread of audiences, owners and lifecycle states: mostly live, some scheduled, some
expiring soon, some expired and some archived. Dates are anchored to today's
midnight (UTC), so re-running the demo on the same day changes nothing.
"""

import csv
import io
import random
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

from core.demo import DemoRun

FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
PRODUCTS = ["cloud-gateway", "edge-firewall", "sd-wan", "secure-access", "threat-intel", "backup-vault"]
LANGUAGES = [("en", 8), ("de", 2), ("fr", 2), ("es", 2), ("ja", 1), ("pt-br", 1)]
OWNERS = ["maria.editor@vendor.example", "sam.moderator@vendor.example", "admin@vendor.example"]
PRODUCT_NAMES = {
    "cloud-gateway": "Cloud Gateway", "edge-firewall": "Edge Firewall", "sd-wan": "SD-WAN",
    "secure-access": "Secure Access", "threat-intel": "Threat Intel", "backup-vault": "Backup Vault",
}  # fmt: skip
#: Topics that fit each asset type: a case study is a document or a video, never a battlecard.
TOPICS = {
    "document": ["Solution brief", "Customer case study", "Technical overview", "Reference architecture",
                 "Quick-start guide", "Migration guide", "Datasheet"],
    "presentation": ["Partner pitch deck", "Sales playbook", "Technical deep dive", "Executive briefing"],
    "battlecard": ["Competitive battlecard", "Objection handling"],
    "price_list": ["Pricing guide", "Price list"],
    "image": ["Product diagram", "Reference architecture diagram", "Social media banner"],
    "brand_kit": ["Co-branding guidelines", "Logo pack"],
    "video": ["Webinar recording", "Product demo", "Customer case study"],
    "link": ["ROI calculator", "Product page", "Online configurator"],
}  # fmt: skip
TYPES = [
    ("document", 70), ("presentation", 50), ("battlecard", 40), ("price_list", 30), ("image", 30),
    ("brand_kit", 20), ("video", 40), ("link", 40),
]  # fmt: skip


def _pdf(path: Path, title: str, lines: list[str]) -> None:
    page = Image.new("RGB", (612, 792), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 0, 612, 70], fill=(24, 60, 120))
    draw.text((36, 28), title[:70], fill="white")
    for n, line in enumerate(lines):
        draw.text((36, 110 + n * 22), line[:90], fill=(30, 30, 30))
    # Fixed dates keep the bytes identical from run to run, so a re-run is not a new version.
    page.save(path, "PDF", resolution=72, creationDate=FIXED_DATE.timetuple(), modDate=FIXED_DATE.timetuple())


def _png(path: Path, label: str, colour) -> None:
    image = Image.new("RGB", (480, 270), colour)
    ImageDraw.Draw(image).text((24, 120), label[:50], fill="white")
    image.save(path, "PNG", optimize=True)


def _csv(path: Path, product: str, rng: random.Random) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["SKU", "Description", "List price (USD)", "Partner discount"])
    for n in range(12):
        writer.writerow([f"{product[:3].upper()}-{100 + n}", f"{product} licence tier {n + 1}", 500 + n * 250, "25%"])
    path.write_text(buffer.getvalue())


def _zip(path: Path, label: str) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for colour, name in (((24, 60, 120), "logo-dark.png"), ((240, 240, 240), "logo-light.png")):
            buffer = io.BytesIO()
            Image.new("RGB", (200, 80), colour).save(buffer, "PNG")
            archive.writestr(zipfile.ZipInfo(name, FIXED_DATE.timetuple()[:6]), buffer.getvalue())
        readme = zipfile.ZipInfo("README.txt", FIXED_DATE.timetuple()[:6])
        archive.writestr(readme, f"{label}\nUse the dark logo on light backgrounds.\n")


def _audience(rng: random.Random) -> dict:
    return {
        "min_tier": rng.choices([None, "registered", "silver", "gold", "platinum"], weights=[5, 2, 3, 3, 1])[0],
        "partner_types": rng.sample(
            ["reseller", "distributor", "msp", "referral", "isv", "si"], rng.choice([0, 0, 0, 1, 2])
        ),
        "regions": rng.sample(["amer", "emea", "apac", "latam"], rng.choice([0, 0, 0, 1, 2])),
        "roles": rng.sample(["sales", "marketing", "technical", "admin"], rng.choice([0, 0, 1, 1, 2])),
    }


def _schedule(rng: random.Random, today: datetime) -> dict:
    """A lifecycle spread: mostly live, some scheduled, expiring soon, expired, archived, drafts."""
    kind = rng.choices(
        ["live", "scheduled", "expiring", "expired", "archived", "draft"], weights=[60, 8, 10, 7, 8, 7]
    )[0]
    values = {"state": "live", "go_live_at": None, "expire_at": None}
    if kind == "live":
        values["expire_at"] = _iso(today + timedelta(days=rng.randint(60, 400)))
    elif kind == "scheduled":
        values["go_live_at"] = _iso(today + timedelta(days=rng.randint(1, 30), hours=9))
        values["expire_at"] = _iso(today + timedelta(days=rng.randint(120, 365)))
    elif kind == "expiring":
        values["expire_at"] = _iso(today + timedelta(days=rng.randint(1, 14)))
    elif kind == "expired":
        values["expire_at"] = _iso(today - timedelta(days=rng.randint(1, 20)))
    elif kind == "archived":
        values["state"] = "archived"
        values["expire_at"] = _iso(today - timedelta(days=rng.randint(40, 200)))
    else:
        values["state"] = "draft"
    return values


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def demo_content_sections(*, files_dir: Path, seed: int = 2026, assets: int = 320) -> dict:
    """Manifest sections ``assets``, ``programs`` and ``bulletins``; files are written to ``files_dir``."""
    rng = random.Random(seed)
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    files_dir.mkdir(parents=True, exist_ok=True)
    type_pool = [t for t, weight in TYPES for _ in range(weight)]
    language_pool = [code for code, weight in LANGUAGES for _ in range(weight)]

    asset_entries = []
    for n in range(assets):
        asset_type = type_pool[n % len(type_pool)]
        product = rng.choice(PRODUCTS)
        product_name = PRODUCT_NAMES[product]
        topic = rng.choice(TOPICS[asset_type])
        title = f"{product_name}: {topic}" + (f" ({n})" if n >= 90 else "")  # later ones numbered, as before
        key = f"demo-asset-{n:03d}"
        entry = {
            "key": key,
            "title": title,
            "summary": f"{topic} for {product_name}, ready to use with your customers.",
            "type": asset_type,
            "products": sorted({product, *rng.sample(PRODUCTS, rng.choice([0, 0, 1]))}),
            "languages": sorted({rng.choice(language_pool)}),
            "audience": _audience(rng),
            "owner": rng.choice(OWNERS),
            "review_by": (today + timedelta(days=rng.randint(-20, 180))).date().isoformat(),
            **_schedule(rng, today),
        }
        if asset_type in ("document", "presentation", "battlecard"):
            name = f"{key}.pdf"
            _pdf(files_dir / name, title, [entry["summary"], f"Product: {product_name}", f"Asset {key}"])
            entry["file"] = f"{files_dir.name}/{name}"
        elif asset_type == "image":
            name = f"{key}.png"
            _png(files_dir / name, title, (rng.randint(0, 120), rng.randint(40, 140), rng.randint(80, 200)))
            entry["file"] = f"{files_dir.name}/{name}"
        elif asset_type == "price_list":
            name = f"{key}.csv"
            _csv(files_dir / name, product_name, rng)
            entry["file"] = f"{files_dir.name}/{name}"
        elif asset_type == "brand_kit":
            name = f"{key}.zip"
            _zip(files_dir / name, title)
            entry["file"] = f"{files_dir.name}/{name}"
        elif asset_type == "video":
            entry["url"] = f"https://videos.vendor.example/{product}/{key}"
        else:
            entry["url"] = f"https://www.vendor.example/partners/{product}/{key}"
        asset_entries.append(entry)

    # Language variants: German and French versions of some live documents, with the same audience.
    sources = [
        a for a in asset_entries if a["type"] == "document" and a["state"] == "live" and not a.get("go_live_at")
    ]
    for n, source in enumerate(sources[:16]):
        locale, word = ("de", "Leitfaden") if n % 2 == 0 else ("fr", "Guide")
        variant_key = f"{source['key']}-{locale}"
        name = f"{variant_key}.pdf"
        _pdf(files_dir / name, f"{source['title']} ({word})", [f"{word}: {source['summary']}"])
        asset_entries.append(
            {
                **{k: v for k, v in source.items() if k != "file"},
                "key": variant_key,
                "title": f"{source['title']} ({word})",
                "languages": [locale],
                "locale": locale,
                "translation_of": source["key"],
                "file": f"{files_dir.name}/{name}",
            }
        )

    live_asset_keys = [a["key"] for a in asset_entries if a["state"] == "live" and not a.get("go_live_at")]
    programs = []
    for n in range(20):
        name = rng.choice(["Deal registration", "MDF", "Rebate", "Certification bonus", "Co-selling", "Spiff"])
        programs.append(
            {
                "key": f"demo-program-{n:02d}",
                "title": f"{name} program {today.year} #{n + 1}",
                "summary": f"The {name.lower()} program: what partners earn and how.",
                "body": f"<p>Our {name.lower()} program rewards partners who grow with us.</p>",
                "eligibility": "<p>Active partners in good standing.</p>",
                "key_dates": [
                    {"label": "Enrolment closes", "date": (today + timedelta(days=30 + n)).date().isoformat()},
                    {"label": "Claims due", "date": (today + timedelta(days=90 + n)).date().isoformat()},
                ],
                "related_assets": rng.sample(live_asset_keys, 3),
                "audience": _audience(rng),
                "owner": rng.choice(OWNERS),
                "review_by": (today + timedelta(days=rng.randint(-10, 120))).date().isoformat(),
                **_schedule(rng, today),
            }
        )
    bulletins = []
    for n in range(40):
        priority = rng.choices(["info", "important", "critical"], weights=[6, 3, 1])[0]
        bulletins.append(
            {
                "key": f"demo-bulletin-{n:02d}",
                "title": rng.choice(
                    ["Price update", "New release", "Portal maintenance", "Program change", "Security advisory"]
                )
                + f" #{n + 1}",
                "summary": "What changed and what partners need to do.",
                "body": "<p>Please read and share with your team.</p>",
                "priority": priority,
                "pinned": priority == "critical" or n % 13 == 0,
                "requires_acknowledgement": priority != "info",
                "attachments": rng.sample(live_asset_keys, rng.choice([0, 1, 2])),
                "audience": _audience(rng),
                "owner": rng.choice(OWNERS),
                "review_by": (today + timedelta(days=rng.randint(0, 60))).date().isoformat(),
                **_schedule(rng, today),
            }
        )
    return {"assets": asset_entries, "programs": programs, "bulletins": bulletins}


def demo_content(run: DemoRun) -> dict:
    """``load_demo``'s computed sections of this app (see ``core.demo``)."""
    return demo_content_sections(files_dir=run.files_dir)
