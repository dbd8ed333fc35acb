"""Sortable column headers and the number of results of a list page
(``purchase_portal.paging``)."""

from django import template
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext

from purchase_portal.paging import SORT_PARAM

register = template.Library()


def _href(page, sort: str) -> str:
    query = page.base_query
    return "?" + (f"{query}&" if query else "") + urlencode({SORT_PARAM: sort})


@register.simple_tag
def sort_header(page, key, label, css=""):
    """A column header that sorts the list by ``key``: ascending first, then
    descending; ``aria-sort`` tells which column sorts the rows and how."""
    current = getattr(page, "sort", "")
    if key not in getattr(page, "sort_keys", ()):
        return format_html('<th scope="col"{}>{}</th>', _class(css), label)
    if current == key:
        state, target, mark = "ascending", f"-{key}", "▲"
        hint = gettext("sorted ascending; select to sort descending")
    elif current == f"-{key}":
        state, target, mark = "descending", key, "▼"
        hint = gettext("sorted descending; select to sort ascending")
    else:
        state, target, mark = "", key, "↕"
        hint = gettext("select to sort")
    aria = format_html(' aria-sort="{}"', state) if state else ""
    return format_html(
        '<th scope="col"{}{}><a class="sort-link" href="{}">{}'
        '<span class="sort-mark" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">({})</span></a></th>',
        _class(css),
        aria,
        _href(page, target),
        label,
        mark,
        hint,
    )


def _class(css: str) -> str:
    return format_html(' class="{}"', css) if css else ""


@register.simple_tag
def sort_field(page):
    """A hidden field that keeps the chosen sort when a filter form is sent."""
    sort = getattr(page, "sort", "")
    if not sort or sort == getattr(page, "default_sort", ""):
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', SORT_PARAM, sort)


@register.simple_tag
def result_count(page):
    """ "12 results", "more than 1,000 results" or "about 23,400 results"."""
    count = getattr(page, "count", None)
    if not hasattr(count, "value"):  # no page (an invalid filter shows none), or no count
        return ""
    shown = f"{count.value:,}"  # thousands separated by commas in both languages
    if count.estimated:
        return gettext("About %(count)s results") % {"count": shown}
    if not count.exact:
        return gettext("More than %(count)s results") % {"count": shown}
    return ngettext("%(count)s result", "%(count)s results", count.value) % {"count": shown}
