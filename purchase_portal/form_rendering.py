"""The form renderer of the portal: Django's templates, with the few that
every list page renders written out in Python.

Each list page has a filter form, and each field of it went through four to
six templates (the field, its label, its errors, the widget and its
attributes, and one more per option of a drop-down). That was the costliest
part of rendering the portal's pages, more than the rows of the list. The
templates handled here are rendered to the same HTML, character for
character (``tests/core/test_form_rendering.py`` compares them over every
form of the portal); anything else, and any value these functions are not
sure to render the same, goes to the templates.
"""

from __future__ import annotations

from django.forms.models import ModelChoiceIteratorValue
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString

#: Widgets whose template is ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "search",
        "tel",
        "date",
        "datetime",
        "time",
        "checkbox",
        "color",
    )
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
FIELD_TEMPLATE = "django/forms/field.html"
LABEL_TEMPLATE = "django/forms/label.html"
ERRORS_TEMPLATE = "django/forms/errors/list/default.html"


class _Unsure(Exception):
    """A value whose rendering by the templates these functions do not copy."""


def _text(value) -> str:
    """``{{ value }}`` for text: escaped unless already safe."""
    if isinstance(value, (str, Promise)):
        return conditional_escape(value)
    raise _Unsure


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as ``%s``, escaped unless it was safe."""
    if isinstance(value, ModelChoiceIteratorValue):
        # an option of a drop-down of rows: "%s" of it is "%s" of its key
        value = value.value
    if isinstance(value, bool) or not isinstance(value, (str, int, Promise)):
        raise _Unsure
    text = str(value)  # what "%s" makes of these types
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs) -> str:
    """django/forms/widgets/attrs.html and django/forms/attrs.html."""
    out = []
    for name, value in (attrs or {}).items():
        if value is False:
            continue
        out.append(f" {_text(name)}")
        if value is not True:
            out.append(f'="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                raise _Unsure
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: dict) -> str:
    label = context["label"]
    if not context["use_tag"]:
        return _text(label)
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_text(label)}</{tag}>"


def _field(field) -> str:
    if field.use_fieldset:
        describedby = field.aria_describedby
        opening = "<fieldset"
        if describedby:
            opening += f' aria-describedby="{_text(describedby)}"'
        head = f"\n  {opening}>\n  {field.legend_tag() if field.label else ''}\n"
    else:
        head = f"\n  {field.label_tag() if field.label else ''}\n"
    help_text = ""
    if field.help_text:
        described = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{described}>{field.help_text}</div>'
    closing = "</fieldset>" if field.use_fieldset else ""
    return f"{head}\n{help_text}\n{field.errors}\n{field}{closing}"


class PortalFormRenderer(DjangoTemplates):
    """Django's template renderer, with the common templates rendered in Python."""

    def render(self, template_name, context, request=None):
        try:
            if template_name in INPUT_TEMPLATES:
                return SafeString(_input(context["widget"]))
            if template_name == SELECT_TEMPLATE:
                return SafeString(_select(context["widget"]))
            if template_name == LABEL_TEMPLATE:
                return SafeString(_label(context).strip())
            if template_name == ERRORS_TEMPLATE and not context["errors"]:
                return SafeString("")
            if template_name == FIELD_TEMPLATE and set(context) == {"field"}:
                return SafeString(_field(context["field"]).strip())
        except _Unsure:
            pass
        return super().render(template_name, context, request=request)
