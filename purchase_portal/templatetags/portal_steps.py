from django import template

from purchase_portal.charts import charts_for

register = template.Library()


@register.simple_tag(takes_context=True)
def record_charts(context, obj, on):
    """Charts other apps add to this page (``purchase_portal.charts.register``)."""
    request = context.get("request")
    if request is None or obj is None:
        return []
    return charts_for(request, obj, on=on)
