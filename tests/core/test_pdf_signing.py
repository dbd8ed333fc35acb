"""Every PDF the portal issues carries the federation's PAdES signature, which
pyHanko's validation reports as intact and trusted; any change breaks it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from asn1crypto import pem, x509
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from purchase_portal.pdf import render_pdf, sha256_hex
from purchase_portal.pdf_signing import FIELD_NAME, sign_pdf

SAMPLE = ("pdf/sample.html", {"title": "评估报告", "text": "服务对象满意度 98.5%"})


def _trust(cert_path: str) -> ValidationContext:
    data = Path(cert_path).read_bytes()
    _type, _headers, der = pem.unarmor(data)
    return ValidationContext(trust_roots=[x509.Certificate.load(der)])


def _status(data: bytes, cert_path: str):
    reader = PdfFileReader(io.BytesIO(data))
    [signature] = reader.embedded_signatures
    assert signature.field_name == FIELD_NAME
    return validate_pdf_signature(signature, _trust(cert_path))


def test_a_rendered_pdf_is_signed_and_the_signature_is_valid(settings):
    data = render_pdf(*SAMPLE)
    status = _status(data, settings.PDF_SIGNING_CERT)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert "测试残联" in status.signing_cert.subject.human_friendly


def test_any_change_to_the_signed_pdf_breaks_the_signature(settings):
    data = bytearray(render_pdf(*SAMPLE))
    reader = PdfFileReader(io.BytesIO(bytes(data)))
    start, length, *_ = reader.embedded_signatures[0].byte_range
    position = start + length // 2  # inside the signed content
    data[position] = (data[position] + 1) % 256
    status = _status(bytes(data), settings.PDF_SIGNING_CERT)
    assert not status.intact and not status.bottom_line


def test_another_certificate_is_not_trusted(settings, tmp_path):
    from purchase_portal.pdf_signing import create_development_certificate

    other_cert, _key = create_development_certificate(tmp_path / "other", name="别人")
    status = _status(render_pdf(*SAMPLE), str(other_cert))
    assert status.intact and not status.trusted


def test_the_verification_digest_covers_the_signed_file(settings):
    data = render_pdf(*SAMPLE)
    assert sha256_hex(data) != sha256_hex(data + b"\n")
    assert _status(data, settings.PDF_SIGNING_CERT).bottom_line


def test_signing_twice_is_refused_rather_than_hiding_the_first_signature(settings):
    from pyhanko.sign.general import SigningError

    with pytest.raises(SigningError):
        sign_pdf(render_pdf(*SAMPLE))


def test_without_a_certificate_the_pdf_is_issued_unsigned_with_a_warning(settings, caplog):
    settings.PDF_SIGNING_CERT = ""
    data = render_pdf(*SAMPLE)
    assert not PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert "unsigned" in caplog.text


def test_the_development_certificate_command_creates_files_once(settings, tmp_path, capsys):
    settings.PDF_SIGNING_CERT = str(tmp_path / "dev" / "certificate.pem")
    settings.PDF_SIGNING_KEY = str(tmp_path / "dev" / "key.pem")
    call_command("make_signing_certificate", "--if-missing")
    assert "DEVELOPMENT certificate" in capsys.readouterr().out
    first = Path(settings.PDF_SIGNING_CERT).read_bytes()
    call_command("make_signing_certificate", "--if-missing")
    assert Path(settings.PDF_SIGNING_CERT).read_bytes() == first
    assert _status(render_pdf(*SAMPLE), settings.PDF_SIGNING_CERT).bottom_line


@pytest.mark.django_db
def test_pdfs_issued_by_the_portal_are_signed(settings, api, officer):
    """A bid receipt, as issued through the API."""
    from tests.bidding.round_helpers import round_with_bids

    _round, _lot, bids = round_with_bids(officer=officer, bids=1)
    member = bids[0].organization.memberships.first().user
    api.force_authenticate(member)
    response = api.get(f"/api/v1/bids/{bids[0].pk}/receipt-pdf/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert _status(data, settings.PDF_SIGNING_CERT).bottom_line
