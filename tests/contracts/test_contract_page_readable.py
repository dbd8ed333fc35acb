"""The contract page opens with a summary and a list of its sections; money reads
with separators, its unit and in Chinese capitals (page, payments and the PDF);
an overdue report is a coloured tag on the dashboard."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings

from purchase_portal import pdf as pdf_module

pytestmark = pytest.mark.django_db


def _page(client, user, path, language="en"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_contract_page_opens_with_a_summary_and_in_page_navigation(client, contract, officer):
    html = _page(client, officer, f"/contracts/{contract.pk}/")
    summary = html[html.index('class="ui-summary"') : html.index('class="ui-contents"')]
    amount = f"{contract.amount:,.2f}"
    assert f"{amount} CNY" in summary
    assert contract.organization.name in summary
    assert "ui-tag--success" in summary  # active
    # The summary comes before every section; each link of the contents reaches one.
    assert html.index('class="ui-summary"') < html.index('id="terms"')
    nav = html[html.index('class="ui-contents"') :]
    nav = nav[: nav.index("</nav>")]
    targets = re.findall(r'href="#([\w-]+)"', nav)
    assert len(targets) >= 5
    for target in targets:
        assert f'id="{target}"' in html, target


def test_contract_money_is_in_capitals_on_the_page_payments_and_pdf(
    client, contract, officer, monkeypatch
):
    from purchase_portal.templatetags.ui import money_capitals

    html = _page(client, officer, f"/contracts/{contract.pk}/", "zh-hans")
    assert money_capitals(contract.amount) in html
    tranche = contract.tranches.order_by("order").first()
    assert money_capitals(tranche.amount) in html
    payments = _page(client, officer, "/contracts/payments/", "zh-hans")
    assert money_capitals(tranche.amount) in payments
    assert f"{tranche.amount:,.2f}" in payments

    rendered = []
    original = pdf_module.render_to_string

    def spy(name, context=None, *args, **kwargs):
        html = original(name, context, *args, **kwargs)
        rendered.append(html)
        return html

    monkeypatch.setattr(pdf_module, "render_to_string", spy)
    from contracts.services.documents import contract_pdf_generate

    assert contract_pdf_generate(contract_id=contract.pk)
    assert money_capitals(contract.amount) in rendered[0]
    assert money_capitals(tranche.amount) in rendered[0]


def test_an_overdue_report_is_a_red_tag_on_the_dashboard(client, contract, officer):
    first = contract.reports.order_by("due_date").first()
    with time_machine.travel(first.due_date + dt.timedelta(days=2)):
        html = _page(client, officer, "/dashboard/")
    assert re.search(
        r'<span class="status status-overdue ui-tag ui-tag--danger">Overdue</span>', html
    )


def test_the_payment_threshold_reads_with_separators_and_its_unit(client, contract, finance):
    from contracts.rules import payment_threshold

    html = _page(client, finance, "/contracts/payments/")
    assert f"Payments above {payment_threshold():,.2f} CNY need" in html
    chinese = _page(client, finance, "/contracts/payments/", "zh-hans")
    assert f"超过 {payment_threshold():,.2f}元的付款" in chinese
