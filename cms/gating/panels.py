"""Panels of the gated content editor that depend on who is editing.

``SchedulingPanel``: go-live and expiry are entered and shown in the editor's own time zone
(Wagtail's account setting, else ``TIME_ZONE``), which the date pickers never said. The panel
says it, with the zone's current offset.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from wagtail.admin.panels import MultiFieldPanel


def editor_time_zone(user) -> str:
    profile = getattr(user, "wagtail_userprofile", None)
    return (profile.get_current_time_zone() if profile else "") or settings.TIME_ZONE


class SchedulingPanel(MultiFieldPanel):
    class BoundPanel(MultiFieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            zone = editor_time_zone(self.request.user) if self.request else settings.TIME_ZONE
            offset = timezone.localtime(timezone=ZoneInfo(zone)).strftime("UTC%z")
            offset = f"{offset[:-2]}:{offset[-2:]}"
            note = f"Times are in {zone} ({offset}), your time zone: change it under Account → Preferences."
            self.help_text = f"{self.help_text} {note}".strip()
