"""A lesson's body as the player shows it: rich text, callouts, images, video embeds, library assets and learning
packages (``packages``).

Library assets pass the audience rule (``Asset.objects.visible_to``) in one query for the whole lesson; one
the learner may not see is left out entirely. Videos play through the privacy-friendly players the
Content-Security-Policy's ``frame-src`` allows (YouTube's no-cookie domain, Vimeo's player); any other link is
shown as a link, never framed.
"""

import re
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from cms.models import Asset
from cms.rich_text import rich_text_html

from .packages import package_blocks

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
VIMEO_ID = re.compile(r"^[0-9]{4,12}$")


def framable_origins() -> list[str]:
    """The origins the portal's Content-Security-Policy lets a page frame."""
    directives = settings.CONTENT_SECURITY_POLICY.get("DIRECTIVES", {})
    return [origin.rstrip("/") for origin in directives.get("frame-src", [])]


def _youtube_id(url) -> str | None:
    host, path = url.hostname or "", url.path.strip("/")
    if host == "youtu.be":
        candidate = path.split("/")[0]
    elif host.endswith(("youtube.com", "youtube-nocookie.com")):
        parts = path.split("/")
        if parts[0] in ("embed", "shorts", "live") and len(parts) > 1:
            candidate = parts[1]
        else:
            candidate = (parse_qs(url.query).get("v") or [""])[0]
    else:
        return None
    return candidate if YOUTUBE_ID.match(candidate) else None


def _vimeo_id(url) -> str | None:
    host, parts = url.hostname or "", url.path.strip("/").split("/")
    if host == "player.vimeo.com" and parts[0] == "video" and len(parts) > 1:
        candidate = parts[1]
    elif host.endswith("vimeo.com"):
        candidate = parts[-1]
    else:
        return None
    return candidate if VIMEO_ID.match(candidate) else None


def video_embed_url(link: str) -> str | None:
    """The player address of a YouTube or Vimeo link, when the CSP lets the page frame it; else ``None``."""
    try:
        url = urlparse(link or "")
    except ValueError:
        return None
    if url.scheme not in ("http", "https"):
        return None
    if video := _youtube_id(url):
        embed = f"https://www.youtube-nocookie.com/embed/{video}"
    elif video := _vimeo_id(url):
        embed = f"https://player.vimeo.com/video/{video}"
    else:
        return None
    origin = "/".join(embed.split("/")[:3])
    return embed if origin in framable_origins() else None


def _visible_assets(user, lesson) -> dict:
    """The lesson's library assets the learner may see, by block id (one query; none when it has none)."""
    raw = lesson.body.raw_data
    asset_ids = {block["id"]: block["value"].get("asset") for block in raw if block["type"] == "asset"}
    if not asset_ids:
        return {}
    visible = {asset.pk: asset for asset in Asset.objects.visible_to(user).filter(pk__in=asset_ids.values())}
    return {block_id: visible[asset_id] for block_id, asset_id in asset_ids.items() if asset_id in visible}


def lesson_blocks(*, user, lesson) -> list[dict]:
    """The lesson's body in order, each block a dict the template renders by its ``type``."""
    assets = _visible_assets(user, lesson)
    raw_videos = {block["id"]: block["value"] for block in lesson.body.raw_data if block["type"] == "video"}
    packages = package_blocks(user=user, lesson=lesson)
    blocks = []
    for block in lesson.body:
        kind, value = block.block_type, block.value
        if kind == "text":
            blocks.append({"type": "text", "html": mark_safe(rich_text_html(value.source))})  # noqa: S308 (cleaned)
        elif kind == "callout":
            html = mark_safe(rich_text_html(value["text"].source))  # noqa: S308 (Wagtail's cleaned rich text)
            blocks.append({"type": "callout", "kind": value["kind"], "html": html})
        elif kind == "image" and value is not None:
            blocks.append({"type": "image", "url": value.get_rendition("max-1200x1200").url, "alt": value.title})
        elif kind == "video":
            link = raw_videos.get(block.id) or getattr(value, "url", "") or ""
            blocks.append({"type": "video", "url": link, "embed_url": video_embed_url(link)})
        elif kind == "asset" and block.id in assets:
            asset = assets[block.id]
            blocks.append(
                {
                    "type": "asset",
                    "asset": asset,
                    "note": value["note"],
                    "url": reverse("home:library_asset", args=[asset.pk]),
                }
            )
        elif kind == "package" and block.id in packages:
            blocks.append(packages[block.id])
    return blocks
