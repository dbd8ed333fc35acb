"""Every write on organizations, memberships, invitations and credentials.
Split by concern; import from here."""

from ..workflows import ORGANIZATION_WORKFLOW
from .control import control_relationship_record, control_relationship_remove
from .credentials import (
    credential_add,
)
from .members import (
    account_create,
    account_create_from_invitation,
    invitation_accept,
    invitation_by_token,
    invitation_create,
    invitation_revoke,
    membership_remove,
    user_language_set,
)
from .organizations import (
    PROFILE_FIELDS,
    REQUIRED_FIELDS,
    SELF_SERVICE_FIELDS,
    organization_apply,
    organization_register,
    organization_reinstate,
    organization_reject,
    organization_resubmit,
    organization_suspend,
    organization_update,
    organization_verify,
)

__all__ = [
    "ORGANIZATION_WORKFLOW",
    "PROFILE_FIELDS",
    "REQUIRED_FIELDS",
    "SELF_SERVICE_FIELDS",
    "account_create",
    "account_create_from_invitation",
    "control_relationship_record",
    "control_relationship_remove",
    "credential_add",
    "invitation_accept",
    "invitation_by_token",
    "invitation_create",
    "invitation_revoke",
    "membership_remove",
    "organization_apply",
    "organization_register",
    "organization_reinstate",
    "organization_reject",
    "organization_resubmit",
    "organization_suspend",
    "organization_update",
    "organization_verify",
    "user_language_set",
]
