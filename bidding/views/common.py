"""What every page of rounds shares: who may manage rounds, how a refusal
becomes a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from purchase_portal.errors import ApplicationError
from purchase_portal.pages import error_text, raise_for_status
from purchase_portal.roles import is_federation_staff

from ..models import Round
from ..selectors import rounds as selectors


def staff_round(request, pk) -> Round:
    if not is_federation_staff(request.user):
        raise PermissionDenied
    return selectors.round_get(user=request.user, pk=pk)


def refusal(request, exc: ApplicationError) -> None:
    raise_for_status(exc)
    messages.error(request, error_text(exc))


def staff_only(user) -> None:
    if not is_federation_staff(user):
        raise PermissionDenied
