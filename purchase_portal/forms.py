"""Form helpers shared by every app's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError
from .parsing import EXPONENT_MESSAGE, has_exponent

#: The empty choice of an optional select (``django.db.models.fields.BLANK_CHOICE_LABEL``).
#: Django's own catalogue has no Chinese for it yet; the portal's catalogue carries it.
BLANK_CHOICE_LABEL = _("- Select an option -")


class PlainDecimalField(forms.DecimalField):
    """A decimal number (an amount, a score) typed in plain digits: exponent notation
    (``1e5``) is refused with the message the API and the services give."""

    default_error_messages = {"exponent": EXPONENT_MESSAGE}

    def to_python(self, value):
        if has_exponent(value):
            raise forms.ValidationError(self.error_messages["exponent"], code="exponent")
        return super().to_python(value)


def add_service_errors(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal on the form: field messages where they belong, the rest on top."""
    placed = False
    for name, messages in exc.fields.items():
        messages = messages if isinstance(messages, list) else [messages]
        for message in messages:
            if name in form.fields:
                form.add_error(name, str(message))
                placed = True
            else:
                form.add_error(None, str(message))
    if not placed:
        form.add_error(None, str(exc.message))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
