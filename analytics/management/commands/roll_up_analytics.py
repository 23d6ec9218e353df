"""``manage.py roll_up_analytics``: roll up days now (a backfill, or a day again), with a progress bar."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tqdm import tqdm

from analytics.services import roll_up_day
from core.console import LineStream


class Command(BaseCommand):
    help = (
        "Roll up the analytics of past days from the raw records (sign-ins, views, downloads, searches, "
        "acknowledgements, enrolments, certificates), replacing what was rolled up for them before. The worker "
        "does this each hour for today and yesterday; use this after installing (--days 90 fills the scorecards' "
        "window) or to roll up a range again (--from/--to)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="The last N days, today included (default 1: today).")
        parser.add_argument("--from", dest="first", type=date.fromisoformat, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="last", type=date.fromisoformat, help="Last day, YYYY-MM-DD (default today).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, days, first, last, no_progress, **options):
        today = timezone.localdate()
        if days is not None and first is not None:
            raise CommandError("Give either --days or --from, not both.")
        if days is not None and not 1 <= days <= 3660:
            raise CommandError("--days must be between 1 and 3660.")
        last = last or today
        first = first or last - timedelta(days=(days or 1) - 1)
        if last > today:
            raise CommandError(f"--to {last} is in the future: only days up to today ({today}) can be rolled up.")
        if first > last:
            raise CommandError(f"--from {first} is after --to {last}.")
        total = (last - first).days + 1
        users = scores = 0
        with tqdm(total=total, unit="day", disable=no_progress, file=LineStream(self.stderr), leave=False) as bar:
            day = first
            while day <= last:
                bar.set_description(str(day))
                done = roll_up_day(day=day)
                users += done.users
                scores += done.scores
                bar.update()
                day += timedelta(days=1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rolled up {total} day{'s' if total != 1 else ''} ({first} to {last}): "
                f"{users} active user-days, {scores} partner scorecards."
            )
        )
