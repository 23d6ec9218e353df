"""The ``briefings`` section of the import manifest, built on cms's public content section."""

import pydantic

from cms.importing import ContentEntry, ContentSection
from cms.services.importing import content_import

from .models import Briefing


class BriefingEntry(ContentEntry):
    body: str = pydantic.Field(default="", max_length=10_000)


class BriefingsSection(ContentSection):
    name = "briefings"
    schema = BriefingEntry
    model = Briefing

    def write(self, entry, context):
        return content_import(
            model=Briefing,
            key=entry.key,
            values={**self.common_values(entry), "body": entry.body},
            relations=self.audience(entry),
            state=entry.state,
        )
