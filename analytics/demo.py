"""Five years of purchase history (2022–2026) so the figures have something to show.

Runs after the other apps' seeders and builds, with bulk inserts that satisfy
every constraint (tranche amounts add up to the contract amount, paid tranches
to the amount recorded as paid), a story the federation would recognise:
rehabilitation and day care concentrated on a few long-standing providers,
employment, education and community work competitive; a few organizations
living almost entirely on federation money; payment times shortening year by
year; three incubatees that graduate in 2023 and win from 2024. Then it
rebuilds the summary tables. Idempotent: the history is found by its first
round's number and not built twice; the summary is rebuilt every time.
"""

from __future__ import annotations

from bidding.models import Round
from organizations.models import Organization, Street, User

from .demo_history import MARKER, build_history
from .services import summary_refresh


def seed(context):
    officer = User.objects.filter(username="officer").first()
    approver = User.objects.filter(username="approver").first()
    finance = User.objects.filter(username="finance").first()
    federation = Organization.objects.filter(category=Organization.Category.FEDERATION).first()
    streets = list(Street.objects.order_by("code"))
    log = context.get("log", print)
    if not (officer and approver and finance and federation and streets):
        log("analytics: demo staff, federation or streets missing; history not built")
        return
    if not Round.objects.filter(code=MARKER).exists():
        build_history(officer, approver, finance, federation, streets)
        log("analytics: five years of purchase history (2022–2026) added")
    state = summary_refresh()
    log(f"analytics: summary tables rebuilt in {state.duration_ms} ms")
