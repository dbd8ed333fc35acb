"""What every page of rounds shares: who may manage rounds, how a refusal
becomes a message, the page size."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied

from purchase_portal.errors import ApplicationError
from purchase_portal.pages import error_text, raise_for_status
from purchase_portal.roles import is_federation_staff

from ..models import Round
from ..selectors import rounds as selectors

PAGE_SIZE = 50


def staff_round(request, pk) -> Round:
    if not selectors.can_manage_rounds(request.user):
        raise PermissionDenied
    return selectors.round_get(user=request.user, pk=pk)


def refusal(request, exc: ApplicationError) -> None:
    raise_for_status(exc)
    messages.error(request, error_text(exc))


def staff_only(user) -> None:
    if not is_federation_staff(user):
        raise PermissionDenied
