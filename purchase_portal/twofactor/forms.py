from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code from the authenticator app.

    ``autofocus`` only where the code is all the page asks for (the sign-in
    step); elsewhere focus stays at the top so the instructions are read first.
    """

    otp = forms.CharField(
        label=_("Authentication code"),
        help_text=_("The 6-digit code your authenticator app shows now."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def __init__(self, *args, autofocus: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if autofocus:
            self.fields["otp"].widget.attrs["autofocus"] = True

    def clean_otp(self):
        code = self.cleaned_data["otp"].replace(" ", "")
        if not (code.isascii() and code.isdigit()) or not 6 <= len(code) <= 8:
            raise forms.ValidationError(_("Enter the 6 digits shown in your authenticator app."))
        return code
