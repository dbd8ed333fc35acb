"""Simultaneous acts on one panel, one lot or one notice (PostgreSQL, real threads)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from bidding.models import Award, LotAssignment, PanelDraw, Round, ScoreSheet
from bidding.services import notices as notice_services
from bidding.services import panels as panel_services
from bidding.services import scores as score_services
from organizations.models import User
from purchase_portal import events
from purchase_portal.errors import ConflictError
from purchase_portal.models import Notification
from tests.factories import UserFactory

from .review_setup import (
    assignments,
    declare_none,
    draw_panel,
    in_review_round,
    noticed_round,
    pool,
    score,
)


def _race(target, n: int = 2) -> list:
    """Run ``target`` (or each of a list of targets) in threads released together."""
    targets = target if isinstance(target, list) else [target] * n
    barrier = threading.Barrier(len(targets))
    results: list = []

    def run(work):
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as exc:  # collected and asserted by the test
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_drawing_at_once_give_one_panel():
    officer = UserFactory(roles=["officer"])
    round_ = in_review_round()
    pool(7)

    def draw():
        return panel_services.panel_draw(
            round=Round.objects.get(pk=round_.pk), user=User.objects.get(pk=officer.pk)
        )

    results = _race(draw, n=3)
    draws = [r for r in results if isinstance(r, PanelDraw)]
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    assert (len(draws), len(conflicts)) == (1, 2), results
    assert PanelDraw.objects.filter(round=round_).count() == 1
    assert LotAssignment.objects.filter(lot__round=round_).count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_two_experts_submitting_at_once_announce_the_result_once():
    officer = UserFactory(roles=["officer"])
    round_ = in_review_round()
    draw_panel(round_, officer)
    lot = round_.lots.get()
    declare_none(lot)
    active = assignments(lot, "active")
    for assignment in active[:-2]:
        score(assignment, 20)
    last_two = [score(a, 20, submit=False) for a in active[-2:]]

    def submit(sheet):
        return lambda: score_services.sheet_submit(
            sheet=ScoreSheet.objects.get(pk=sheet.pk), user=User.objects.get(pk=sheet.expert_id)
        )

    results = _race([submit(last_two[0]), submit(last_two[1])])
    assert all(isinstance(r, ScoreSheet) for r in results), results
    assert Notification.objects.filter(recipient=officer, kind="review.scored").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_finalization_runs_at_once_make_each_award_final_once():
    officer = UserFactory(roles=["officer"])
    approver = UserFactory(roles=["approver"])
    round_, notice = noticed_round(officer, approver)
    seen = []
    handler = seen.append
    events.subscribe("award.final", lambda award_id: handler(award_id))
    try:
        with time_machine.travel(notice.objections_until + dt.timedelta(seconds=1)):
            results = _race(lambda: notice_services.notice_finalize(notice_id=notice.pk), n=3)
    finally:
        events._subscribers["award.final"].pop()
    assert sorted(results) == [False, False, True], results
    assert seen == [Award.objects.get(lot__round=round_).pk]
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINAL
