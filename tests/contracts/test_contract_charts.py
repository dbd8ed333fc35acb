"""A contract's page: where it stands (lifecycle), paid against the tranche
plan, and beneficiaries by disability category and street, each chart with its
table; beneficiaries only for those who may read the reports."""

import re

import pytest
from django.utils import timezone

from contracts import services
from contracts.models import PaymentTranche
from tests.chart_tables import chart_figure, chart_rows
from tests.factories import StreetFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pay_first(contract, org_admin, finance, approver):
    tranche = contract.tranches.get(order=1)
    services.tranche_request(tranche=tranche, user=org_admin)
    services.tranche_approve(tranche=tranche, user=finance)
    tranche.refresh_from_db()
    if tranche.status == PaymentTranche.Status.REQUESTED:
        services.tranche_approve(tranche=tranche, user=approver)
    services.tranche_pay(
        tranche=tranche,
        user=UserFactory(roles=["finance"]),
        paid_on=timezone.localdate(),
        reference="P1",
    )
    return tranche


def _submit_report(contract, user, number, rows):
    report = contract.reports.get(number=number)
    target = contract.targets.order_by("order").first()
    services.report_submit(
        report=report,
        user=user,
        data={
            "activities": "康复训练",
            "activity_count": 3,
            "beneficiaries": rows,
            "outputs": [{"target": target.pk, "achieved_value": "10"}],
            "spending": [],
        },
    )


def test_contract_page_charts_paid_against_the_tranche_plan(
    client, contract, officer, org_admin, finance, approver
):
    _pay_first(contract, org_admin, finance, approver)
    contract.refresh_from_db()
    tranches = list(contract.tranches.order_by("order"))
    client.force_login(officer)
    html = client.get(f"/contracts/{contract.pk}/").content.decode()
    chart_id = f"contract-{contract.pk}-tranches"
    figure = chart_figure(html, chart_id)
    rows = chart_rows(html, chart_id)
    planned = [f"{t.amount:,.0f}" for t in tranches]
    assert [r[1] for r in rows] == [*planned, f"{sum(t.amount for t in tranches):,.0f}"]
    assert [r[2] for r in rows] == [planned[0], "0", "0", f"{contract.paid_total:,.0f}"]
    assert contract.paid_total == tranches[0].amount
    svg = figure[figure.index("<svg") : figure.index("</svg>")]
    assert 'role="img"' in svg and f'<title id="contract-{contract.pk}-tranches-title">' in svg
    assert f">{planned[0]}</text>" in svg


def test_contract_page_shows_where_the_contract_stands(
    client, contract, officer, org_admin, finance, approver
):
    _pay_first(contract, org_admin, finance, approver)
    client.force_login(officer)
    html = client.get(f"/contracts/{contract.pk}/").content.decode()
    section = html[html.index('class="card lifecycle"') :]
    section = section[: section.index("</section>")]
    past = re.findall(r'lifecycle-past">.*?lifecycle-label">(.*?)</span>', section, re.S)
    now = re.findall(
        r'lifecycle-now" aria-current="step">.*?lifecycle-label">(.*?)</span>', section, re.S
    )
    assert past[:3] == [
        "Contract drafted from the award",
        "Sent to both sides for signature",
        "Signed by both sides; in force",
    ]
    assert past[3].startswith("Tranche 1 paid")
    assert now and now[0].startswith("Tranche 2 paid")
    assert timezone.localdate().isoformat() in section
    assert f'datetime="{contract.end_date:%Y-%m-%d}"' in section


def test_beneficiaries_chart_sums_the_reports_by_category_and_street(
    client, contract, org_member, org_admin
):
    east, west = StreetFactory(name="东街道"), StreetFactory(name="西街道")
    _submit_report(
        contract,
        org_member,
        1,
        [
            {"disability_category": "4", "street": east.pk, "count": 30},
            {"disability_category": "5", "street": west.pk, "count": 8},
        ],
    )
    _submit_report(
        contract, org_member, 2, [{"disability_category": "4", "street": west.pk, "count": 5}]
    )
    client.force_login(org_admin)
    html = client.get(f"/contracts/{contract.pk}/").content.decode()
    chart_id = f"contract-{contract.pk}-beneficiaries"
    figure = chart_figure(html, chart_id)
    rows = chart_rows(html, chart_id)
    assert [r[1:] for r in rows] == [["30", "5", "35"], ["0", "8", "8"]]
    assert rows[0][0] == "Physical (肢体)" and "智力" in rows[1][0]
    assert "东街道" in figure and "西街道" in figure
    assert "43 beneficiaries" in figure


@pytest.mark.parametrize("who", ["other_org_member", "expert", "evaluator"])
def test_who_may_not_read_the_reports_gets_no_contract_and_no_beneficiaries(
    client, contract, org_member, who, other_org
):
    from tests.factories import MembershipFactory

    street = StreetFactory()
    _submit_report(
        contract, org_member, 1, [{"disability_category": "4", "street": street.pk, "count": 30}]
    )
    user = (
        MembershipFactory(organization=other_org).user
        if who == "other_org_member"
        else UserFactory(roles=[who])
    )
    client.force_login(user)
    response = client.get(f"/contracts/{contract.pk}/")
    assert response.status_code == 404
    assert b"beneficiaries" not in response.content.lower()


def test_beneficiary_chart_reads_only_reports_the_user_may_see(contract, org_member, other_org):
    from contracts.figures import beneficiary_chart
    from tests.factories import MembershipFactory

    street = StreetFactory()
    _submit_report(
        contract, org_member, 1, [{"disability_category": "4", "street": street.pk, "count": 30}]
    )
    assert beneficiary_chart(user=org_member, contract=contract) is not None
    outsider = MembershipFactory(organization=other_org).user
    assert beneficiary_chart(user=outsider, contract=contract) is None


def test_contract_page_with_charts_has_bounded_queries(
    client,
    contract,
    officer,
    org_member,
    org_admin,
    finance,
    approver,
    django_assert_max_num_queries,
):
    streets = [StreetFactory() for _ in range(4)]
    for number in (1, 2, 3):
        _submit_report(
            contract,
            org_member,
            number,
            [
                {"disability_category": c, "street": s.pk, "count": 3}
                for c in ("1", "4", "6")
                for s in streets
            ],
        )
    _pay_first(contract, org_admin, finance, approver)
    client.force_login(officer)
    with django_assert_max_num_queries(40):
        response = client.get(f"/contracts/{contract.pk}/")
    assert response.status_code == 200
    assert f"contract-{contract.pk}-beneficiaries" in response.content.decode()
