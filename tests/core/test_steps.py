"""The kernel's lifecycle timeline: past steps with their dates, the current one,
the steps ahead with their due dates."""

import datetime as dt

from purchase_portal import steps

D1, D2, D3 = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def test_the_first_step_not_reached_is_the_current_one():
    found = steps.timeline(
        [
            ("Published", D1, None, True, ""),
            ("Deadline", None, D2, False, "no changes after"),
            ("Opening", None, D3, False, ""),
        ]
    )
    assert [(m.label, m.state, m.when, m.note) for m in found] == [
        ("Published", steps.PAST, D1, ""),
        ("Deadline", steps.NOW, D2, "no changes after"),
        ("Opening", steps.NEXT, D3, ""),
    ]


def test_a_step_reached_after_one_that_is_not_stays_ahead():
    found = steps.timeline([("A", D1, None, False, ""), ("B", D2, D2, True, "")])
    assert [m.state for m in found] == [steps.NOW, steps.NEXT]


def test_when_everything_is_reached_the_last_step_is_current_and_a_stop_ends_it():
    items = [("A", D1, None, True, ""), ("B", D2, None, True, "")]
    assert [m.state for m in steps.timeline(items)] == [steps.PAST, steps.NOW]
    found = steps.timeline(
        [("A", D1, None, True, ""), ("B", None, D3, False, "")], stopped=("Stopped", D2, "why")
    )
    assert [(m.label, m.state, m.note) for m in found] == [
        ("A", steps.PAST, ""),
        ("Stopped", steps.NOW, "why"),
    ]
