"""The registry of feed sections: what apps add to the partner's feed (``GET /api/v1/feed``).

An app registers each of its sections from its ``AppConfig.ready()``::

    register_feed_section("courses_due", title="My courses due", items=feed_courses_due)

``items(user=, since=, now=, limit=)`` answers at most ``limit`` items for ``user``,
each a dict ``{"kind", "id", "title", "summary", ...}`` (more keys as the section
needs: a due date, an expiry). It must apply the audience rule (``visible_to``) and
cost a fixed number of queries, whatever the number of items.

The feed answers ``sections``: ``[{"name", "title", "items"}]``, one per registered
section in registration (``INSTALLED_APPS``) order, empty ones included.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FeedItems = Callable[..., list[dict[str, Any]]]


@dataclass(frozen=True)
class FeedSection:
    name: str
    title: str
    items: FeedItems


_sections: dict[str, FeedSection] = {}


def register_feed_section(name: str, *, title: str, items: FeedItems) -> None:
    """Add a section to the feed; registering a section of the same name again replaces it."""
    _sections[name] = FeedSection(name, title, items)


def unregister_feed_section(name: str) -> None:
    """Take section ``name`` out of the feed (tests)."""
    _sections.pop(name, None)


def feed_sections() -> list[FeedSection]:
    """The registered sections, in registration order."""
    return list(_sections.values())


def feed_sections_for(*, user, since: datetime, now: datetime, limit: int) -> list[dict[str, Any]]:
    """Every registered section with its items for ``user``."""
    return [
        {
            "name": section.name,
            "title": section.title,
            "items": section.items(user=user, since=since, now=now, limit=limit),
        }
        for section in feed_sections()
    ]
