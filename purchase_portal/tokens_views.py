"""Page: the signed-in user's API tokens: issue one (shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import tokens
from .errors import ApplicationError


def _lifetime(ttl) -> str:
    hours = int(ttl.total_seconds() // 3600)
    if hours % 24:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d day", "%(n)d days", hours // 24) % {"n": hours // 24}


@never_cache
@login_required
def token_page(request):
    new_token = None
    if request.method == "POST":
        _instance, new_token = tokens.token_issue(user=request.user)
        messages.success(request, _("A new API token is issued. Copy it now: it is shown once."))
    context = {
        "tokens": tokens.token_list(user=request.user),
        "new_token": new_token,
        "ttl": _lifetime(tokens.token_ttl(request.user)),
    }
    return render(request, "account/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, token_id: str):
    try:
        tokens.token_revoke(user=request.user, token_id=token_id)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The token is revoked."))
    return redirect("api-tokens")
