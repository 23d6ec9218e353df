"""``manage.py previews_generate``: make the previews of current asset versions that have none (or all, again)."""

from django.core.management.base import BaseCommand

from tqdm import tqdm

from cms.previews.selectors import versions_needing_previews
from cms.previews.services import version_previews_generate
from core.console import LineStream


class Command(BaseCommand):
    help = (
        "Make the thumbnail and page previews of every current, servable asset version that has none yet (files "
        "stored before previews existed, or while no worker ran), here and now rather than through the worker. "
        "--all makes every current version's previews again (after changing PARTNERHUB_PREVIEW_PAGES or _WIDTH)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Make every current version's previews again.")

    def handle(self, *args, **options):
        version_ids = versions_needing_previews(everything=options["all"])
        counts: dict[str, int] = {}
        bar = tqdm(version_ids, desc="previews", unit="version", leave=False, file=LineStream(self.stderr))
        for version_id in bar:
            preview = version_previews_generate(version_id=version_id)
            status = preview.status if preview else "not servable"
            counts[status] = counts.get(status, 0) + 1
        summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items())) or "nothing to do"
        self.stdout.write(self.style.SUCCESS(f"Previews: {summary}."))
