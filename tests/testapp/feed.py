"""The feed section of the test-only kind: briefings published since the user's last visit."""

from .models import Briefing


def feed_new_briefings(*, user, since, now, limit) -> list[dict]:
    briefings = (
        Briefing.objects.visible_to(user)
        .filter(first_published_at__gt=since)
        .order_by("-first_published_at", "-pk")
        .values("pk", "title", "summary")[:limit]
    )
    return [
        {"kind": "briefing", "id": row["pk"], "title": row["title"], "summary": row["summary"]} for row in briefings
    ]
