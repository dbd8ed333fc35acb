"""Tags of the contract pages: a progress report's status as a coloured tag,
rendered in the row itself rather than through an include per row."""

from django import template

from purchase_portal.templatetags.ui import status_tag

from ..models import ProgressReport

register = template.Library()


@register.simple_tag
def report_status(report):
    """The report's display status (``selectors.with_display_status``): an
    unsubmitted report past its due date is overdue, shown in red."""
    if getattr(report, "display_status", None) == ProgressReport.OVERDUE:
        return status_tag(ProgressReport.OVERDUE, ProgressReport.OVERDUE_LABEL)
    return status_tag(report)
