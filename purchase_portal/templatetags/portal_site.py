"""Tags of the page frame: the site's name, breadcrumbs, and the audit trail in words.

Breadcrumbs are derived in one place from the address of the page: the
dashboard (or the home page for visitors), the section the page belongs to,
and the page itself, named by its ``{% block title %}`` (``base.html`` captures
it once for the ``<title>`` and the trail). A template that wants a longer
trail overrides ``{% block breadcrumbs %}``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from purchase_portal import audit_labels, site

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return site.site_name()


@register.simple_tag
def federation_name() -> str:
    return site.federation_name()


@register.simple_tag
def federation_name_css() -> str:
    """The federation's name as the inside of a CSS string (PDF page margins)."""
    value = site.federation_name()
    for char in ("\\", '"', "<", ">", "&", "\n"):
        value = value.replace(char, f"\\{ord(char):x} ")
    return mark_safe(value)  # noqa: S308  (every character HTML could read is escaped)


class CaptureNode(template.Node):
    # Blocks inside are found and overridden by child templates like any other.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # The nodelist's output is already escaped by the template engine.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


#: Stands for the request's CSRF token in a written menu.
_REQUEST_MARK = "\x00csrf-token\x00"
_CSRF_FIELD = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_REQUEST_MARK}">'


@functools.lru_cache(maxsize=1024)
def _main_nav(language, signed_in, roles, bidder, app_name, url_name, view_name, name, unread):
    """The main menu for one combination of what it shows, written once per
    process (the menu is the same on every page of a section for everyone
    with the same roles): a dozen links, each reversed and translated."""
    return loader.get_template("includes/main_nav.html").render(
        {
            "signed_in": signed_in,
            "portal_roles": roles,
            "bidder": bidder,
            "app_name": app_name,
            "url_name": url_name,
            "view_name": view_name,
            "display_name": name,
            "unread_notifications": unread,
            "csrf_token": _REQUEST_MARK,
        }
    )


@receiver(setting_changed)
def _forget_written_parts(**kwargs) -> None:
    """The addresses and words of the menu and the trail follow the settings
    (URLs, languages, time zone)."""
    _main_nav.cache_clear()
    _AUDIT_ROWS.clear()


@register.simple_tag(takes_context=True)
def main_nav(context, *, bidder: bool = False) -> str:
    """The links of the main menu for the user of the request, with the
    section of the page marked as the current one."""
    request = context.get("request")
    user = context.get("user")
    match = getattr(request, "resolver_match", None)
    signed_in = bool(user is not None and user.is_authenticated)
    html = _main_nav(
        get_language(),
        signed_in,
        frozenset(context.get("portal_roles") or ()),
        bool(bidder),
        getattr(match, "app_name", None),
        getattr(match, "url_name", None),
        getattr(match, "view_name", None),
        user.display_name if signed_in else "",
        int(context.get("unread_notifications") or 0),
    )
    if _REQUEST_MARK in html:
        csrf = context.get("csrf_token")
        if csrf and str(csrf) != "NOTPROVIDED":
            html = html.replace(_REQUEST_MARK, str(csrf))
        else:  # as {% csrf_token %} writes nothing without a token
            html = html.replace(_CSRF_FIELD, "")
    return mark_safe(html)  # noqa: S308 (a template's output, the token a CSRF token)


@register.tag
def capture(parser, token):
    """``{% capture name %}…{% endcapture %}`` renders its content into ``name``."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("capture takes one variable name")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


# Breadcrumbs -----------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    label: object
    url_name: str
    public: bool = False


ORGANIZATIONS = Section(_("Organizations"), "organizations:list")
ROUNDS = Section(_("Rounds"), "bidding:round-list")
CALLS = Section(_("Calls"), "bidding:call-list", public=True)
MY_BIDS = Section(_("My bids"), "bidding:my-bids")
REVIEW = Section(_("Review and awards"), "bidding:review-index")
ASSIGNMENTS = Section(_("My assignments"), "bidding:review-assignments")
RESULTS = Section(_("Results"), "bidding:notice-list", public=True)
EXPERTS = Section(_("Expert pool"), "bidding:expert-pool")
AUDIT = Section(_("Audit trail"), "audit-trail")

#: The section of a page, by its view name (``namespace:name``) or its prefix.
SECTIONS: list[tuple[str, Section]] = [
    ("organizations:apply", Section(_("Register an organization"), "organizations:apply", True)),
    ("organizations:invitation", Section(_("Organizations"), "", True)),
    ("organizations:", ORGANIZATIONS),
    ("projects:catalogue", Section(_("Purchase catalogue"), "projects:catalogue")),
    ("projects:plan", Section(_("Annual plan"), "projects:plan")),
    ("projects:", Section(_("Projects"), "projects:list")),
    ("bidding:call-", CALLS),
    ("bidding:bid-prepare", CALLS),
    ("bidding:guide", CALLS),
    ("bidding:bid-qualification", ROUNDS),
    ("bidding:my-bids", MY_BIDS),
    ("bidding:bid-", MY_BIDS),
    ("bidding:review-assignments", ASSIGNMENTS),
    ("bidding:review-declare", ASSIGNMENTS),
    ("bidding:review-score", ASSIGNMENTS),
    ("bidding:review-", REVIEW),
    ("bidding:notice-", RESULTS),
    ("bidding:objection-", RESULTS),
    ("bidding:expert-", EXPERTS),
    ("bidding:", ROUNDS),
    ("contracts:", Section(_("Contracts"), "contracts:list")),
    ("evaluation:verify", Section(_("Verify a document"), "", True)),
    ("evaluation:", Section(_("Evaluations"), "evaluation:list")),
    ("capacity:certificate-verify", Section(_("Verify a document"), "", True)),
    ("capacity:", Section(_("Capacity building"), "capacity:programmes")),
    ("analytics:public", Section(_("Public statistics"), "analytics:public", True)),
    ("analytics:", Section(_("Analytics"), "analytics:overview")),
    ("opendata:", Section(_("Open data"), "opendata:open-data", True)),
    ("twofactor:", Section(_("Security"), "twofactor:security")),
    ("audit-anchors", Section(_("Audit trail anchors"), "audit-anchors", True)),
    ("audit-", AUDIT),
    ("notifications", Section(_("Notifications"), "notifications")),
    ("api-token", Section(_("API tokens"), "api-tokens")),
]

#: Pages that are the top of the trail themselves.
TOPS = {"home", "dashboard", "login"}


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""


def section_of(view_name: str) -> Section | None:
    for prefix, section in SECTIONS:
        if view_name == prefix or view_name.startswith(prefix):
            return section
    return None


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def trail(request) -> list[Crumb]:
    """The crumbs above the page: where the user started, the section, the page."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name or match.view_name in TOPS:
        return []
    signed_in = bool(getattr(getattr(request, "user", None), "is_authenticated", False))
    crumbs = [
        Crumb(str(_("Dashboard")), reverse("dashboard"))
        if signed_in
        else Crumb(str(_("Home")), reverse("home"))
    ]
    section = section_of(match.view_name)
    if section is not None and section.url_name and (signed_in or section.public):
        url = _url(section.url_name)
        if url and url != request.path:
            crumbs.append(Crumb(str(section.label), url))
    return crumbs


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, title=""):
    request = context.get("request")
    crumbs = trail(request) if request is not None else []
    return {"crumbs": crumbs, "current": title}


# The audit trail in words ----------------------------------------------------


@register.filter
def audit_action(code: str) -> str:
    return audit_labels.action_label(code)


@register.filter
def audit_object_type(code: str) -> str:
    return audit_labels.object_type_label(code)


@register.filter
def audit_changes(event) -> list:
    return audit_labels.changes(event)


#: Rows of the audit trail written in this process, by what they show.
_AUDIT_ROWS: dict[tuple, str] = {}
#: At most this many are kept (a few megabytes); then they are written afresh.
AUDIT_ROWS_KEPT = 4096


@register.simple_tag
def audit_row(event) -> str:
    """One row of the audit trail (``audit/trail_row.html``).

    An event never changes once written, but its row takes a dozen filters
    and a table of its changes, and the trail shows 50 a page: each row is
    written once per process for everything it shows (the event's stored
    values as they are now, the actor's name, the language and time zone), so
    a row whose stored values differ, however they came to, is written afresh."""
    actor = event.actor
    key = (
        get_language(),
        timezone.get_current_timezone_name(),
        event.pk,
        event.seq,
        event.created_at,
        event.actor_id,
        actor.display_name if actor is not None else None,
        event.actor_label,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        repr(event.before),
        repr(event.after),
        event.ip,
    )
    html = _AUDIT_ROWS.get(key)
    if html is None:
        html = loader.get_template("audit/trail_row.html").render({"e": event})
        if len(_AUDIT_ROWS) >= AUDIT_ROWS_KEPT:
            _AUDIT_ROWS.clear()
        _AUDIT_ROWS[key] = html
    return html


@register.filter(expects_localtime=True)
def audit_time(moment) -> str:
    """``<time>`` of an event: ISO 8601 for machines, "Y-m-d H:i:s" in the
    portal's time zone for people (as ``date:'c'`` and ``date:"Y-m-d H:i:s"``)."""
    if moment is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', moment.isoformat(), moment.strftime("%Y-%m-%d %H:%M:%S")
    )


@register.filter
def audit_changes_table(event) -> str:
    """The event's changes as a small table (field, before, after), or "—".
    Built here rather than by an included template: the trail shows 50 of
    them a page, and an include per row cost a third of the page's time."""
    changes = audit_labels.changes(event)
    if not changes:
        return "—"
    rows = "".join(
        f'<tr><th scope="row">{conditional_escape(c.label)}</th><td>{conditional_escape(c.before or "—")}</td>'
        f"<td>{conditional_escape(c.after or '—')}</td></tr>"
        for c in changes
    )
    return mark_safe(f"{_changes_table_head(get_language())}{rows}</tbody>\n</table>")  # noqa: S308 (escaped above)


@functools.lru_cache(maxsize=16)
def _changes_table_head(language: str | None) -> str:
    return format_html(
        '<table class="changes-table">\n'
        '  <caption class="visually-hidden">{}</caption>\n'
        '  <thead><tr><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead>\n'
        "  <tbody>",
        gettext("Changes"),
        gettext("Field"),
        gettext("Before"),
        gettext("After"),
    )
