"""``manage.py issue_token USERNAME``: print a new partner API token (shown once, stored hashed)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partners.services import api_token_issue


class Command(BaseCommand):
    help = "Issue a partner API token for USERNAME and print it. Only a digest is stored: keep the token safe."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Partner API", help="A label to recognise the token by.")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            _token, plaintext = api_token_issue(user=user, name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(plaintext)
