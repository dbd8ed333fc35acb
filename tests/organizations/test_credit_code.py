"""统一社会信用代码 checks (GB 32100-2015), on their own and as users meet them."""

import pytest

from organizations import credit_code
from organizations.models import Organization
from purchase_portal.models import AuditEvent
from tests.factories import OrganizationFactory

from .helpers import (
    add_registration_certificate,
    api_profile,
    failing_code,
    fresh_code,
    page_profile,
)

pytestmark = pytest.mark.django_db


def test_check_character_of_a_published_code_computed_by_hand():
    # 9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4  →  values (M=21, Y=30):
    #  9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + 21·20 + 0·29 + 0·25
    #  + 0·13 + 1·8 + 0·24 + 0·10 + 30·30 + 4·28 = 1640;  1640 mod 31 = 28;  31 − 28 = 3
    assert 9 + 3 + 27 + 135 + 26 + 420 + 8 + 900 + 112 == 1640
    assert credit_code.check_character("91350100M000100Y4") == "3"
    result = credit_code.check("91350100M000100Y43")
    assert result.well_formed and result.checksum_ok


def test_a_remainder_of_zero_gives_check_character_zero_not_31():
    # Σ = 1829 = 59 · 31, so 31 − 0 = 31, which the standard writes as 0.
    prefix = "52310104MJ000000T"
    total = sum(
        credit_code.ALPHABET.index(c) * w for c, w in zip(prefix, credit_code.WEIGHTS, strict=True)
    )
    assert total == 1829 and total % 31 == 0
    assert credit_code.check_character(prefix) == "0"
    assert credit_code.check(prefix + "0").checksum_ok


def test_letters_take_their_value_from_the_alphabet_without_i_o_z_s_v():
    assert credit_code.ALPHABET == "0123456789ABCDEFGHJKLMNPQRTUWXY"
    assert len(credit_code.ALPHABET) == 31
    assert credit_code.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43", "52310104MJ000000T0", " 91350100m000100y43 ", "11310104MB00000010"],
)
def test_well_formed_codes_are_accepted(code):
    result = credit_code.check(code)
    assert result.well_formed, result.errors


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "exactly 18"),
        ("91350100M000100Y433", "exactly 18"),
        ("", "exactly 18"),
        ("91350100I000100Y43", "only digits and capital letters"),
        ("91350100O000100Y43", "only digits and capital letters"),
        ("91350100Z000100Y43", "only digits and capital letters"),
        ("91350100S000100Y43", "only digits and capital letters"),
        ("91350100V000100Y43", "only digits and capital letters"),
        ("91350100-000100Y43", "only digits and capital letters"),
        ("９1350100M000100Y43", "only digits and capital letters"),
        ("X1350100M000100Y43", "registering authority"),
        ("B1350100M000100Y43", "registering authority"),
        ("94350100M000100Y43", "institution type"),
        ("5A350100M000100Y43", "institution type"),
        ("913A0100M000100Y43", "administrative division"),
    ],
)
def test_malformed_codes_are_errors(code, message):
    result = credit_code.check(code)
    assert not result.well_formed
    assert message in " ".join(result.errors)


def test_a_failing_check_character_is_not_an_error():
    result = credit_code.check("91350100M000100Y44")
    assert result.well_formed
    assert not result.checksum_ok
    assert result.expected_check_char == "3"


# From the outside ------------------------------------------------------------


def test_api_application_with_failing_check_character_is_stored_with_a_warning(api, org_admin):
    api.force_authenticate(org_admin)
    code = failing_code()
    response = api.post("/api/v1/organizations/", api_profile(credit_code=code), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["credit_code"] == code
    assert body["credit_code_checksum_ok"] is False
    assert body["status"] == "pending"
    assert credit_code.check(code).expected_check_char in body["credit_code_warning"]
    org = Organization.objects.get(credit_code=code)
    assert org.credit_code_checksum_ok is False


def test_api_application_normalizes_the_code(api, org_admin):
    api.force_authenticate(org_admin)
    code = fresh_code()
    response = api.post(
        "/api/v1/organizations/", api_profile(credit_code=f" {code.lower()} "), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["credit_code"] == code
    assert response.json()["credit_code_checksum_ok"] is True


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "exactly 18"),
        ("91350100I000100Y43", "other than I, O, Z, S and V"),
        ("X1350100M000100Y43", "registering authority"),
        ("94350100M000100Y43", "institution type"),
    ],
)
def test_api_rejects_malformed_codes_with_a_field_message_and_saves_nothing(
    api, org_admin, code, message
):
    api.force_authenticate(org_admin)
    before = (Organization.objects.count(), AuditEvent.objects.count())
    response = api.post("/api/v1/organizations/", api_profile(credit_code=code), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["credit_code"])
    assert (Organization.objects.count(), AuditEvent.objects.count()) == before


def test_api_rejects_a_duplicate_code_whatever_its_case(api, org_admin):
    existing = OrganizationFactory()
    api.force_authenticate(org_admin)
    count = Organization.objects.count()
    response = api.post(
        "/api/v1/organizations/",
        api_profile(credit_code=existing.credit_code.lower()),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["credit_code"]
    assert Organization.objects.count() == count


def test_page_application_rejects_duplicate_and_malformed_codes(client, org_admin):
    existing = OrganizationFactory()
    client.force_login(org_admin)
    count = Organization.objects.count()
    for code in (existing.credit_code, "91350100I000100Y43"):
        response = client.post("/organizations/apply/", page_profile(credit_code=code))
        assert response.status_code == 200
        assert response.context["form"].errors["credit_code"]
        assert 'class="error-summary"' in response.content.decode()
    assert Organization.objects.count() == count


def test_page_application_with_failing_check_character_warns_and_is_stored(client, org_admin):
    client.force_login(org_admin)
    code = failing_code()
    response = client.post("/organizations/apply/", page_profile(credit_code=code), follow=True)
    assert response.status_code == 200
    org = Organization.objects.get(credit_code=code)
    assert not org.credit_code_checksum_ok
    text = response.content.decode()
    assert "check character" in text
    assert credit_code.check(code).expected_check_char in text


def test_verifying_a_failing_code_needs_the_officer_to_acknowledge(api, officer):
    org = OrganizationFactory(
        status=Organization.Status.PENDING,
        credit_code=failing_code(),
        credit_code_checksum_ok=False,
    )
    add_registration_certificate(org)
    api.force_authenticate(officer)
    refused = api.post(f"/api/v1/organizations/{org.pk}/verify/", {}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "checksum_unacknowledged"
    assert refused.json()["acknowledge_checksum"]
    org.refresh_from_db()
    assert org.status == "pending" and org.checksum_acknowledged_by is None

    done = api.post(
        f"/api/v1/organizations/{org.pk}/verify/", {"acknowledge_checksum": True}, format="json"
    )
    assert done.status_code == 200
    org.refresh_from_db()
    assert org.status == "verified"
    assert org.checksum_acknowledged_by == officer


def test_verifying_a_failing_code_on_the_page_needs_the_checkbox(client, officer):
    org = OrganizationFactory(
        status=Organization.Status.PENDING,
        credit_code=failing_code(),
        credit_code_checksum_ok=False,
    )
    add_registration_certificate(org)
    client.force_login(officer)
    page = client.get(f"/organizations/{org.pk}/").content.decode()
    assert 'name="acknowledge_checksum"' in page
    response = client.post(f"/organizations/{org.pk}/verify/", follow=True)
    assert "Acknowledge the check-character warning" in response.content.decode()
    org.refresh_from_db()
    assert org.status == "pending"
    client.post(f"/organizations/{org.pk}/verify/", {"acknowledge_checksum": "on"})
    org.refresh_from_db()
    assert org.status == "verified" and org.checksum_acknowledged_by == officer


def test_officer_direct_registration_of_a_failing_code_needs_acknowledgement(api, officer):
    api.force_authenticate(officer)
    code = failing_code()
    refused = api.post("/api/v1/organizations/", api_profile(credit_code=code), format="json")
    assert refused.status_code == 400
    assert refused.json()["acknowledge_checksum"]
    assert not Organization.objects.filter(credit_code=code).exists()

    done = api.post(
        "/api/v1/organizations/",
        api_profile(credit_code=code, acknowledge_checksum=True),
        format="json",
    )
    assert done.status_code == 201
    org = Organization.objects.get(credit_code=code)
    assert org.status == "verified" and org.checksum_acknowledged_by == officer


def test_officer_direct_registration_page_of_a_failing_code_needs_the_checkbox(client, officer):
    client.force_login(officer)
    code = failing_code()
    response = client.post("/organizations/new/", page_profile(credit_code=code, category="social"))
    assert response.status_code == 200
    assert response.context["form"].errors["acknowledge_checksum"]
    assert not Organization.objects.filter(credit_code=code).exists()
    response = client.post(
        "/organizations/new/",
        page_profile(credit_code=code, category="social", acknowledge_checksum="on"),
    )
    assert response.status_code == 302
    assert Organization.objects.get(credit_code=code).status == "verified"


def test_officer_changing_a_verified_code_to_a_failing_one_must_acknowledge(api, officer, org):
    api.force_authenticate(officer)
    code = failing_code()
    refused = api.patch(f"/api/v1/organizations/{org.pk}/", {"credit_code": code}, format="json")
    assert refused.status_code == 400
    assert refused.json()["acknowledge_checksum"]
    org.refresh_from_db()
    assert org.credit_code != code
    done = api.patch(
        f"/api/v1/organizations/{org.pk}/",
        {"credit_code": code, "acknowledge_checksum": True},
        format="json",
    )
    assert done.status_code == 200
    org.refresh_from_db()
    assert org.credit_code == code
    assert not org.credit_code_checksum_ok and org.checksum_acknowledged_by == officer
