"""``manage.py revoke_tokens USERNAME``: revoke every API token of a user, effective at once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from partners.services import api_tokens_revoke


class Command(BaseCommand):
    help = "Revoke all API tokens of USERNAME. Requests with them are refused from now on."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        count = api_tokens_revoke(user=user)
        self.stdout.write(self.style.SUCCESS(f"Revoked {count} token(s) of {username}."))
