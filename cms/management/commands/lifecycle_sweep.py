"""``manage.py lifecycle_sweep``: run every due content transition once, now (what beat runs)."""

from django.core.management.base import BaseCommand

from cms.gating.lifecycle import lifecycle_sweep


class Command(BaseCommand):
    help = (
        "Publish scheduled content, expire content past its expiry date and archive content that expired "
        "ARCHIVE_AFTER_EXPIRY_DAYS ago. Catches up after missed runs; a second run does nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Items per UPDATE (default 500).")

    def handle(self, *args, batch_size: int, **options):
        result = lifecycle_sweep(batch_size=batch_size)
        for name, (published, expired, archived) in result.by_model.items():
            self.stdout.write(f"  {name}: {published} published, {expired} expired, {archived} archived")
        self.stdout.write(self.style.SUCCESS(f"Sweep done: {result}."))
