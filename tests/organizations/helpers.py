"""Helpers for organization tests: profile payloads, document files, a bad check character."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile

from organizations.credit_code import make_code
from organizations.models import Street

_numbers = itertools.count(5000)


def fresh_code() -> str:
    """A well-formed credit code with a valid check character, unused so far."""
    return make_code(f"52310104MJ{next(_numbers):07d}")


def failing_code() -> str:
    """A well-formed credit code whose check character does not match."""
    good = fresh_code()
    return good[:17] + ("1" if good[17] != "1" else "2")


def profile(**overrides) -> dict:
    """Form/API data of a complete organization profile."""
    street = Street.objects.get_or_create(code="310104999", defaults={"name": "测试街道"})[0]
    data = {
        "name": "上海测试助残服务中心",
        "credit_code": fresh_code(),
        "legal_form": "social_service",
        "registration_date": "2018-05-02",
        "legal_representative": "王五",
        "address": "上海市徐汇区漕溪北路1号",
        "street": street.pk,
        "contact_name": "赵六",
        "contact_phone": "021-64001111",
        "contact_email": "contact@example.org",
        "rating": "",
        "rating_expires_on": "",
        "service_categories": ["rehabilitation", "employment"],
    }
    data.update(overrides)
    return data


def page_profile(**overrides) -> dict:
    """``profile`` in the shape the HTML form posts, with the registration
    certificate the application page asks for (other forms ignore it)."""
    overrides.setdefault("registration_certificate", upload("登记证书.pdf"))
    data = profile(**overrides)
    return {k: v for k, v in data.items() if v is not None}


def api_profile(**overrides) -> dict:
    data = profile(**overrides)
    return {k: v for k, v in data.items() if v not in ("",)}


PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + (b"\xff\xd9")
)


def upload(name: str = "证书.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def credential_data(organization, **overrides) -> dict:
    data = {
        "organization": organization.pk,
        "kind": "registration",
        "issued_on": "2023-01-10",
        "expires_on": "2028-01-09",
        "file": upload(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def days_from_today(days: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() + dt.timedelta(days=days)


def add_registration_certificate(organization, *, by=None):
    """The organization's registration certificate on file (what verification needs)."""
    from django.core.files.base import ContentFile

    from organizations.models import Credential
    from tests.factories import UserFactory

    credential = Credential(
        organization=organization,
        kind=Credential.Kind.REGISTRATION,
        issued_on=dt.date(2018, 5, 2),
        uploaded_by=by or UserFactory(),
        original_name="登记证书.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    credential.file.save("certificate.pdf", ContentFile(PDF), save=False)
    credential.save()
    return credential
