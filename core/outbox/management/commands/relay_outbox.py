"""``manage.py relay_outbox``: hand the broker every task waiting in the outbox now (what beat's sweep does)."""

from django.core.management.base import BaseCommand

from core.outbox.selectors import outbox_depth
from core.outbox.services import outbox_sweep


class Command(BaseCommand):
    help = "Hand the broker the tasks waiting in the outbox (recorded while it was down); print what is left."

    def handle(self, *args, **options):
        relayed = outbox_sweep()
        depth = outbox_depth()
        self.stdout.write(
            f"Relayed {relayed} task(s); {depth['tasks']} still waiting, {depth['emails_unsent']} e-mail(s) unsent."
        )
