"""Every write on credentials (registration certificates, ratings, licences)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from purchase_portal import audit
from purchase_portal.errors import ApplicationError, PermissionDeniedError
from purchase_portal.uploads import check_upload

from ..models import Credential, Organization, User
from ..rules import can_manage_organization


@transaction.atomic
def credential_add(
    *,
    organization: Organization,
    user: User,
    kind: str,
    file,
    issued_on,
    expires_on=None,
    year: int | None = None,
    result: str = "",
) -> Credential:
    if not can_manage_organization(user, organization):
        raise PermissionDeniedError()
    errors: dict[str, list[str]] = {}
    if kind not in Credential.Kind.values:
        errors["kind"] = [_t("Choose a valid kind.")]
    if issued_on is None:
        errors["issued_on"] = [_t("This field is required.")]
    if expires_on is not None and issued_on is not None and expires_on < issued_on:
        errors["expires_on"] = [_t("The expiry date cannot be before the issue date.")]
    if kind == Credential.Kind.ANNUAL_INSPECTION:
        if not year:
            errors["year"] = [_t("Give the year of the inspection.")]
        if result not in Credential.InspectionResult.values:
            errors["result"] = [_t("Give the inspection result.")]
    elif result:
        errors["result"] = [_t("Only annual inspections have a result.")]
    if year is not None and not (1949 <= int(year) <= timezone.localdate().year + 1):
        errors["year"] = [_t("Give a plausible year.")]
    checked = None
    if file is None:
        errors["file"] = [_t("Attach the document.")]
    else:
        try:
            checked = check_upload(file)
        except ValidationError as exc:
            errors["file"] = list(exc.messages)
    if errors:
        raise ApplicationError(_("Please correct the errors below."), fields=errors)
    credential = Credential(
        organization=organization,
        kind=kind,
        year=year,
        result=result or "",
        issued_on=issued_on,
        expires_on=expires_on,
        uploaded_by=user,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
    )
    credential.file.save(file.name, file, save=False)
    credential.save()
    audit.record(
        actor=user, action="credential.add", obj=credential, after=audit.snapshot(credential)
    )
    return credential
