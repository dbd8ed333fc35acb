"""Load demo data: each app's ``demo.seed(context)`` in lifecycle order.

Safe to run twice: seeders look up what exists before creating anything.
"""

import importlib
import os

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings


class Command(BaseCommand):
    help = "Load (or complete) the demo data. Demo users share the password in DEMO_PASSWORD."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "portal-demo")
        context = {"password": password, "log": self.stdout.write}
        # The notifications the demo story triggers stay in the inboxes; their
        # e-mails are not sent (nor printed by the console backend).
        quiet_mail = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        with override_settings(MAILERS=quiet_mail), transaction.atomic():
            for config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        users = context.get("users", [])
        if users:
            self.stdout.write(f"Demo sign-ins (password: {password}):")
            seen = set()
            for username, description in users:
                if username not in seen:
                    seen.add(username)
                    self.stdout.write(f"  {username:<12} {description}")
