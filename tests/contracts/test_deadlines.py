"""Contract deadlines: signed within 30 days of the award notice (政府采购法 Art 46)
with reminders on day 20 and 27 and lateness flagged to the approver; the period
never longer than the project; contracts ending within 30 days reminded."""

import datetime as dt

import pytest
from django.utils import timezone

from bidding.models import Notice
from contracts import services
from contracts.services.deadlines import contract_deadline_reminders, is_signing_late
from contracts.tasks import remind_contract_deadlines
from purchase_portal.errors import ApplicationError
from purchase_portal.models import Notification

from .helpers import federation, final_award

pytestmark = pytest.mark.django_db


@pytest.fixture
def noticed_draft(db, org):
    """A contract draft whose award notice was published on 1 March 2026."""
    federation()
    award = final_award(organization=org)
    published = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
    Notice.objects.create(
        round=award.lot.round,
        published_at=published,
        ends_at=published + dt.timedelta(days=2),
        content={},
    )
    return services.contract_create_from_award(award=award)


def test_the_draft_must_be_signed_within_30_days_of_the_award_notice(noticed_draft):
    assert noticed_draft.sign_by == dt.date(2026, 3, 31)


def test_reminders_on_day_20_and_27_then_lateness_to_the_approver(
    noticed_draft, officer, org_admin, approver
):
    assert contract_deadline_reminders(today=dt.date(2026, 3, 20)) == 0
    assert contract_deadline_reminders(today=dt.date(2026, 3, 21)) == 1
    assert contract_deadline_reminders(today=dt.date(2026, 3, 22)) == 0  # once only
    kinds = set(Notification.objects.filter(recipient=officer).values_list("kind", flat=True))
    assert kinds == {"contract.sign_due_20"}
    assert Notification.objects.filter(recipient=org_admin, kind="contract.sign_due_20").exists()
    assert contract_deadline_reminders(today=dt.date(2026, 3, 28)) == 1
    assert not Notification.objects.filter(recipient=approver).exists()
    assert not is_signing_late(noticed_draft, dt.date(2026, 3, 31))
    assert is_signing_late(noticed_draft, dt.date(2026, 4, 1))
    assert contract_deadline_reminders(today=dt.date(2026, 4, 1)) == 1
    assert Notification.objects.filter(recipient=approver, kind="contract.sign_late").exists()


def test_the_deadline_shows_on_the_page_and_in_the_api(client, api, noticed_draft, officer):
    client.force_login(officer)
    html = client.get(f"/contracts/{noticed_draft.pk}/").content.decode()
    assert "31 Mar 2026" in html and "Art 46" in html
    assert '<span class="tag warning">late</span>' in html  # today is past 31 March 2026
    api.force_authenticate(officer)
    assert api.get(f"/api/v1/contracts/{noticed_draft.pk}/").json()["sign_by"] == "2026-03-31"


def test_the_contract_period_cannot_exceed_the_project_duration(api, noticed_draft, officer):
    start = timezone.localdate()
    too_long = start.replace(year=start.year + 1)  # 12 months and a day
    with pytest.raises(ApplicationError) as exc:
        services.contract_update(
            contract=noticed_draft,
            user=officer,
            data={"start_date": start, "end_date": too_long},
        )
    assert "end_date" in exc.value.fields
    api.force_authenticate(officer)
    response = api.patch(
        f"/api/v1/contracts/{noticed_draft.pk}/",
        {"start_date": start.isoformat(), "end_date": too_long.isoformat()},
        format="json",
    )
    assert response.status_code == 400 and "end_date" in response.json()
    noticed_draft.refresh_from_db()
    assert noticed_draft.end_date < too_long


def test_contracts_ending_within_30_days_are_reminded_once(contract, officer):
    today = contract.end_date - dt.timedelta(days=30)
    assert contract_deadline_reminders(today=today - dt.timedelta(days=1)) == 0
    assert contract_deadline_reminders(today=today) == 1
    assert contract_deadline_reminders(today=today) == 0
    assert Notification.objects.filter(recipient=officer, kind="contract.ending").exists()


def test_the_reminder_task_is_scheduled_daily():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="contracts.tasks.remind_contract_deadlines").exists()
    assert remind_contract_deadlines.delay().get() >= 0
