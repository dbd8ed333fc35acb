"""Load demo data: each app's ``demo.seed(context)`` in lifecycle order.

Safe to run twice: seeders look up what exists before creating anything.
"""

import importlib
import os

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load (or complete) the demo data. Demo users share the password in DEMO_PASSWORD."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", "portal-demo")
        context = {"password": password, "log": self.stdout.write}
        with transaction.atomic():
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
            for username, description in users:
                self.stdout.write(f"  {username:<12} {description}")
