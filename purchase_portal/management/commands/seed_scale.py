"""Build a city-sized database: each app's ``scale.seed(ctx)`` in lifecycle order.

Sizes default to DESIGN §5 (10,000 organizations, 5,000 rounds, 200,000 bids,
2,000,000 progress-report rows, plus the audit events their history implies);
``--scale`` multiplies them all. The same ``--seed`` and ``--as-of`` build the
same rows.
It refuses a database that holds data it did not seed, unless ``--force``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from purchase_portal import scale
from purchase_portal.audit import verify_chain


def _as_of(day: dt.date | None) -> dt.datetime:
    """The moment the seeded history leads up to: 02:00 UTC of the given day
    (default today), so that open calls are open and due reports are due."""
    day = day or dt.datetime.now(dt.UTC).date()
    return dt.datetime.combine(day, dt.time(2, 0), tzinfo=dt.UTC)


class Command(BaseCommand):
    help = "Build a city-sized database for load tests (PostgreSQL; see DESIGN §5 'Scale')."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="randomness seed (default 1)")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="multiply every size (e.g. 0.01 for a try)"
        )
        for name, default in scale.DEFAULTS.items():
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                type=int,
                default=None,
                help=f"rows (default {default:,} × --scale)",
            )
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="the day the history leads up to, YYYY-MM-DD (default today); "
            "the same --seed and --as-of build the same rows",
        )
        parser.add_argument(
            "--password",
            default="portal-scale",
            help="password of every seeded user (default portal-scale)",
        )
        parser.add_argument(
            "--force", action="store_true", help="seed even if the database holds other data"
        )
        parser.add_argument(
            "--no-verify", action="store_true", help="skip verifying the audit chain afterwards"
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql" and not options["force"]:
            self.stderr.write(
                "seed_scale is meant for PostgreSQL (DATABASE_URL=postgres://...); "
                "pass --force to fill another database anyway."
            )
        factor = options["scale"]
        if factor <= 0:
            raise CommandError("--scale must be positive.")
        sizes = {
            name: options[name] if options[name] is not None else max(1, round(default * factor))
            for name, default in scale.DEFAULTS.items()
        }
        self._refuse_unless_allowed(options["seed"], options["force"])
        ctx = scale.ScaleContext(
            seed=options["seed"],
            sizes=sizes,
            now=_as_of(options["as_of"]),
            password_hash=make_password(options["password"]),
            out=self.stdout,
        )
        self.stdout.write(
            f"Seeding, as of {ctx.now:%Y-%m-%d}, "
            + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in sizes.items())
        )
        started = time.perf_counter()
        with transaction.atomic():
            ctx.start_chain()
            for config in apps.get_app_configs():
                if config.name == "purchase_portal":
                    continue  # the kernel's scale module is the machinery itself
                try:
                    module = importlib.import_module(f"{config.name}.scale")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.scale":
                        raise
                    continue
                module.seed(ctx)
            ctx.finish_chain()
        loaded = time.perf_counter() - started
        analyzed = time.perf_counter()
        scale.analyze()
        analyzed = time.perf_counter() - analyzed
        self.stdout.write("")
        self.stdout.write(f"{'table':<24}{'rows':>12}{'seconds':>10}")
        for label, (rows, seconds) in ctx.summary.items():
            self.stdout.write(f"{label:<24}{rows:>12,}{seconds:>10.1f}")
        total = sum(rows for rows, _ in ctx.summary.values())
        self.stdout.write(
            f"{'total':<24}{total:>12,}{loaded:>10.1f}   (then VACUUM ANALYZE {analyzed:.1f} s)"
        )
        if not options["no_verify"]:
            checked = time.perf_counter()
            problem = verify_chain()
            if problem is not None:
                raise CommandError(f"audit chain broken at #{problem.seq}: {problem.reason}")
            self.stdout.write(f"Audit chain verified in {time.perf_counter() - checked:.1f} s.")
        self.stdout.write(
            self.style.SUCCESS(
                f"City database ready. Users {scale.USER_PREFIX}{ctx.seed}-officer, "
                f"-approver, -finance, -auditor, -expert, -evaluator and "
                f"{scale.USER_PREFIX}{ctx.seed}-org-00000... share the password given."
            )
        )

    def _refuse_unless_allowed(self, seed: int, force: bool) -> None:
        from purchase_portal.models import AuditEvent

        users = get_user_model().objects
        if users.filter(username__startswith=f"{scale.USER_PREFIX}{seed}-").exists():
            raise CommandError(
                f"This database already holds the city of --seed {seed}; "
                "use another --seed or a fresh database."
            )
        real = (
            users.exclude(username__startswith=scale.USER_PREFIX).exists()
            or AuditEvent.objects.exclude(request_id__startswith="seed-scale-").exists()
        )
        if real and not force:
            raise CommandError(
                "This database holds data that seed_scale did not create; refusing to mix "
                "a load-test city into it. Use an empty database or pass --force."
            )
