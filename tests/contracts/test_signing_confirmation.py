"""Signers read the contract before they sign: a draft for signature (待签署稿)
is rendered when the contract or an amendment is sent for signature, shown on
the signing confirmation, and replaced by the signed version; payments are
approved from a confirmation page too."""

import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from contracts import services
from contracts.models import ContractAmendment, ContractSignature, PaymentTranche
from contracts.services.amendments import amendment_digest
from contracts.terms import terms_digest

from .helpers import complete_and_send

pytestmark = pytest.mark.django_db

ORG = ContractSignature.Side.ORGANIZATION
FED = ContractSignature.Side.FEDERATION


def _pdf_text(field) -> str:
    field.open("rb")
    try:
        content = field.read()
    finally:
        field.close()
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext (poppler-utils) is required for this test")
    out = subprocess.run(  # noqa: S603
        [tool, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return out.stdout.decode()


def _squeezed(text: str) -> str:
    """The text without white space: long digests and links wrap in the PDF."""
    return "".join(text.split())


@pytest.fixture
def sent(draft, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete_and_send(draft, officer)
    draft.refresh_from_db()
    return draft


@pytest.mark.chinese_default
def test_sending_for_signature_renders_the_draft_with_watermark_digest_and_public_link(
    sent, client
):
    assert sent.draft_pdf and len(sent.draft_pdf_sha256) == 64
    digest = terms_digest(sent)
    assert sent.draft_terms_digest == digest
    text = _pdf_text(sent.draft_pdf)
    assert "待签署稿" in text
    squeezed = _squeezed(text)
    assert digest in squeezed
    link = f"{settings.SITE_URL}/verify/{digest}/"
    assert link in squeezed
    assert "/accounts/" not in squeezed and f"/contracts/{sent.pk}/" not in squeezed
    # The link is the public verification page: no sign-in, and it knows the draft.
    response = client.get(f"/verify/{digest}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert sent.number in html and "待签署稿" in html


def test_the_signing_page_shows_the_draft_the_terms_and_changes_nothing(
    sent, client, org_admin, approver, officer
):
    url = reverse("contracts:action", args=[sent.pk, "sign"])
    client.force_login(org_admin)
    detail = client.get(reverse("contracts:detail", args=[sent.pk])).content.decode()
    assert f'href="{url}?side=organization"' in detail
    assert reverse("contracts:draft-pdf", args=[sent.pk]) in detail
    page = client.get(url, {"side": ORG})
    assert page.status_code == 200
    html = page.content.decode()
    for fact in (
        sent.number,
        terms_digest(sent),
        sent.draft_pdf_sha256,
        reverse("contracts:draft-pdf", args=[sent.pk]),
        "Art 46",
        "Who will be notified",
        'name="side" value="organization"',
    ):
        assert fact in html, fact
    assert not ContractSignature.objects.exists()
    draft_pdf = client.get(reverse("contracts:draft-pdf", args=[sent.pk]))
    assert draft_pdf.status_code == 200 and draft_pdf["Content-Type"] == "application/pdf"
    client.post(url, {"side": ORG})
    assert ContractSignature.objects.filter(side=ORG).count() == 1
    client.force_login(approver)
    html = client.get(url, {"side": FED}).content.decode()
    # The last signature brings the contract into force: the parties are told.
    assert "The organization&#x27;s administrators (1 person)" in html
    assert "The procurement officers (1 person)" in html


def test_who_may_not_sign_gets_403_or_404_on_the_signing_page(
    sent, client, auditor, other_admin, org_member
):
    url = reverse("contracts:action", args=[sent.pk, "sign"])
    client.force_login(other_admin)
    assert client.get(url, {"side": ORG}).status_code == 404
    client.force_login(org_member)
    assert client.get(url).status_code == 403
    client.force_login(auditor)
    assert client.get(url, {"side": FED}).status_code == 403
    assert client.get(reverse("contracts:action", args=[sent.pk, "complete"])).status_code == 405
    client.force_login(other_admin)
    assert client.get(reverse("contracts:draft-pdf", args=[sent.pk])).status_code == 404
    assert not ContractSignature.objects.exists()


@pytest.mark.chinese_default
def test_the_signed_version_replaces_the_draft(
    sent, org_admin, approver, django_capture_on_commit_callbacks, client
):
    draft_name = sent.draft_pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_sign(contract=sent, user=org_admin, side=ORG)
        services.contract_sign(contract=sent, user=approver, side=FED)
    sent.refresh_from_db()
    assert sent.pdf and not sent.draft_pdf and not sent.draft_pdf_sha256
    assert not sent.draft_pdf.storage.exists(draft_name)
    text = _pdf_text(sent.pdf)
    assert "待签署稿" not in text
    digest = terms_digest(sent)
    assert sent.pdf_terms_digest == digest
    assert f"{settings.SITE_URL}/verify/{digest}/" in _squeezed(text)
    response = client.get(f"/verify/{sent.pdf_sha256}/")
    assert response.status_code == 200 and sent.number in response.content.decode()
    client.force_login(org_admin)
    assert client.get(reverse("contracts:draft-pdf", args=[sent.pk])).status_code == 404


@pytest.mark.chinese_default
def test_an_amendment_sent_for_signature_has_its_own_draft(
    contract, officer, approver, org_admin, client, django_capture_on_commit_callbacks
):
    amendment = services.amendment_create(
        contract=contract, user=officer, reason="服务期延长", deliverables="新的服务内容"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.amendment_authorize(amendment=amendment, user=approver)
    amendment.refresh_from_db()
    assert amendment.draft_pdf
    digest = amendment_digest(amendment)
    text = _pdf_text(amendment.draft_pdf)
    assert "待签署稿" in text and "新的服务内容" in text
    assert digest in _squeezed(text)
    url = reverse("contracts:amendment-action", args=[amendment.pk, "sign"])
    client.force_login(org_admin)
    html = client.get(url, {"side": ORG}).content.decode()
    assert digest in html and reverse("contracts:amendment-draft-pdf", args=[amendment.pk]) in html
    assert not ContractSignature.objects.filter(amendment=amendment).exists()
    client.post(url, {"side": ORG})
    assert ContractSignature.objects.filter(amendment=amendment, side=ORG).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.amendment_sign(amendment=amendment, user=approver, side=FED)
    amendment.refresh_from_db()
    assert amendment.status == ContractAmendment.Status.APPROVED
    assert not amendment.draft_pdf


def test_approving_a_payment_is_confirmed_first(contract, client, org_admin, finance, officer):
    tranche = contract.tranches.get(order=1)
    services.tranche_request(tranche=tranche, user=org_admin)
    url = reverse("contracts:tranche-action", args=[tranche.pk, "approve"])
    client.force_login(finance)
    detail = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert f'href="{url}"' in detail
    html = client.get(url).content.decode()
    amount = f"{tranche.amount:,.2f}"
    for fact in (amount, contract.organization.name, "Who will be notified", "Art 12"):
        assert fact in html, fact
    tranche.refresh_from_db()
    assert tranche.finance_approved_by_id is None
    for user in (org_admin, officer):
        client.force_login(user)
        assert client.get(url).status_code == 403
    tranche.refresh_from_db()
    assert tranche.status == PaymentTranche.Status.REQUESTED
    client.force_login(finance)
    client.post(url)
    tranche.refresh_from_db()
    assert tranche.finance_approved_by_id == finance.pk
