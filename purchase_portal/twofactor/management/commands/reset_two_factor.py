"""Remove a user's authenticator app (lost phone); audited.

python manage.py reset_two_factor USERNAME
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from purchase_portal.twofactor.services import device_reset


class Command(BaseCommand):
    help = "Remove a user's two-factor device so they can set up a new one at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        removed = device_reset(user=user)
        self.stdout.write(f"Removed {removed} device(s) of {username}.")
