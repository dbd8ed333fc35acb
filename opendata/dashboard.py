"""Dashboard panel for officers and auditors: contracts waiting to be made
public, publications that were late, and the state of the bulk file."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from purchase_portal.dashboard import Panel, register
from purchase_portal.roles import is_auditor, is_officer

from .selectors import (
    bulk_file,
    contracts_awaiting_publication,
    publication_figures,
)
from .services.publication import contract_publication_deadlines

LIMIT = 8


@register
def open_data_panel(request) -> Panel | None:
    user = request.user
    if not user.is_authenticated or not (is_officer(user) or is_auditor(user)):
        return None
    backlog, late = publication_figures()
    waiting_qs = contracts_awaiting_publication()
    rows = list(waiting_qs.only("id", "number", "title", "activated_at")[:LIMIT]) if backlog else []
    deadlines = contract_publication_deadlines(signed_at=[c.activated_at for c in rows])
    waiting = list(zip(rows, deadlines, strict=True))
    return Panel(
        title=_("Open data"),
        template="opendata/panels/open_data.html",
        context={
            "waiting": waiting,
            "waiting_count": waiting_qs.count() if len(waiting) == LIMIT else len(waiting),
            "late": late,
            "bulk": bulk_file(),
            "open_data_url": reverse("opendata:open-data"),
        },
        order=900,
    )
