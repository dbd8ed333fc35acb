"""Analytics pages: the leadership dashboard and its drill-downs (federation
staff and auditors), an organization's own figures, and the public statistics."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from purchase_portal.outbox import enqueue
from purchase_portal.xlsx import workbook_response

from . import reports, selectors
from .exports import sections_workbook
from .forms import AnalyticsFilterForm, PublicFilterForm
from .rules import can_refresh_summary, can_view_analytics, own_organization_ids
from .tasks import refresh_summary

STAFF_PAGES = list(reports.PAGES)

#: How long the HTML of a set of sections is kept. Its key is made of what the
#: sections show, so a changed figure gives a new key: nothing stale is shown.
SECTIONS_HTML_SECONDS = 24 * 3600


def _sections_html(sections: list[reports.Section]) -> str:
    """The tables (and chart data) of ``sections``, rendered once for what they
    show: the key is a digest of every title, column, cell and chart value in
    the language of the page. The figures themselves are cached until the
    facts are rebuilt; writing their tables of a few hundred cells out again
    on every view cost more than reading them (8–10 ms a page at city scale)."""
    shown = [
        (
            s.key,
            str(s.title),
            str(s.summary),
            [(c.key, str(c.label), c.kind) for c in s.columns],
            s.cells,
            s.chart,
            str(s.note),
        )
        for s in sections
    ]
    digest = hashlib.sha256(repr((translation.get_language(), shown)).encode()).hexdigest()
    key = f"analytics:sections-html:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("analytics/sections.html", {"sections": sections})
        cache.set(key, html, SECTIONS_HTML_SECONDS)
    return mark_safe(html)  # noqa: S308 (written by the template, which escapes every value)


def _filters_text(form: AnalyticsFilterForm) -> str:
    data = form.cleaned_data
    parts = [f"{data['year_from']}–{data['year_to']}"]
    for name in ("category", "street"):
        if data.get(name):
            parts.append(str(data[name]))
    if data.get("kind"):
        parts.append(str(dict(form.fields["kind"].choices)[data["kind"]]))
    return " · ".join(parts)


def _render(request, *, page: str, title, sections_for, form_class=AnalyticsFilterForm, extra=None):
    form = form_class(request.GET or None)
    if request.GET and not form.is_valid():
        context = {"form": form, "page": page, "title": title, "sections": [], **(extra or {})}
        return render(request, "analytics/page.html", context, status=400)
    if not request.GET:
        form = form_class({})
        form.is_valid()
    refreshed = selectors.refreshed_at()
    # Figures read only from the facts are cached until they are rebuilt.
    filters = replace(form.filters(), facts_as_of=refreshed)
    sections = sections_for(filters)
    if request.GET.get("format") == "xlsx":
        workbook = sections_workbook(
            str(title), sections, refreshed and timezone.localtime(refreshed), _filters_text(form)
        )
        return workbook_response(
            workbook, f"analytics-{page}-{filters.year_from}-{filters.year_to}.xlsx"
        )
    query = request.GET.copy()
    query["format"] = "xlsx"
    context = {
        "form": form,
        "page": page,
        "title": title,
        "sections": sections,
        "sections_html": _sections_html(sections),
        "refreshed_at": refreshed,
        "export_query": query.urlencode(),
        "filters_text": _filters_text(form),
        **(extra or {}),
    }
    return render(request, "analytics/page.html", context)


@login_required
def staff_page(request, page: str = "overview"):
    if page not in reports.PAGES:
        raise Http404
    if not can_view_analytics(request.user):
        raise PermissionDenied
    return _render(
        request,
        page=page,
        title=reports.PAGES[page],
        sections_for=lambda f: reports.page_sections(page, f),
        extra={
            "pages": [(name, reports.PAGES[name]) for name in STAFF_PAGES],
            "can_refresh": can_refresh_summary(request.user),
        },
    )


@login_required
def own_figures(request):
    """An organization's own figures, for its members."""
    ids = own_organization_ids(request.user)
    if not ids:
        raise PermissionDenied
    return _render(
        request,
        page="mine",
        title=_("Your organization in numbers"),
        sections_for=lambda f: reports.own_sections(f, ids),
    )


def public_statistics(request):
    """Aggregates for everyone, without login."""
    return _render(
        request,
        page="public",
        title=_("Public statistics"),
        sections_for=reports.public_sections,
        form_class=PublicFilterForm,
    )


@login_required
@require_POST
def refresh(request):
    if not can_refresh_summary(request.user):
        raise PermissionDenied
    enqueue(refresh_summary)
    messages.success(request, _("The figures are being refreshed; reload the page in a moment."))
    return redirect("analytics:overview")
