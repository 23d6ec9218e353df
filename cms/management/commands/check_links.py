"""``manage.py check_links``: check assets' external URLs now, as the scheduled job does, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from cms.services.link_checks import LinkCheckBusy, link_checks_run
from core.console import LineStream


class Command(BaseCommand):
    help = (
        "Check that the external URLs of assets (links, hosted videos; archived ones aside) still answer, as beat's "
        "check-links job does: HEAD then GET, redirects followed to LINK_CHECK_MAX_REDIRECTS, a pause of "
        "LINK_CHECK_HOST_INTERVAL seconds between requests to one host, public addresses only (unless in "
        "LINK_CHECK_ALLOWED_HOSTS). Without options it checks the links due, the stalest first, at most "
        "LINK_CHECK_MAX_PER_RUN; --asset and --host check those links now, due or not. Results are in the report "
        "'Assets: broken links'."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--asset", type=int, action="append", dest="asset_ids", metavar="ID", help="An asset's id (repeatable)."
        )
        parser.add_argument("--host", help="Only the links to this host (e.g. www.example.com).")
        parser.add_argument("--limit", type=int, help="At most this many links (default LINK_CHECK_MAX_PER_RUN).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, asset_ids, host, limit, no_progress, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        host = host.strip().lower() if host else None
        if host is not None and (not host or "/" in host):
            raise CommandError("--host takes a host name, such as www.example.com (no scheme or path).")
        force = bool(asset_ids or host)
        with tqdm(total=0, unit="link", disable=no_progress, file=LineStream(self.stderr), leave=False) as bar:

            def on_start(total):
                bar.reset(total=total)

            try:
                run = link_checks_run(
                    asset_ids=asset_ids, host=host, force=force, limit=limit, progress=bar.update, on_start=on_start
                )
            except LinkCheckBusy as busy:
                raise CommandError(f"{busy} Try again when it is done.") from busy
        if force and run.checked == 0 and run.left == 0:
            raise CommandError("No asset with an external URL matches (archived assets are not checked).")
        style = self.style.WARNING if run.broken else self.style.SUCCESS
        self.stdout.write(style(f"Links: {run}."))
