from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from purchase_portal.forms import DateInput

from . import credit_code
from .models import (
    ControlRelationship,
    Credential,
    Membership,
    Organization,
    ServiceCategory,
    User,
)
from .services import PROFILE_FIELDS, SELF_SERVICE_FIELDS


class OrganizationForm(forms.ModelForm):
    """An organization's profile. A failing check character is a warning, not an error."""

    service_categories = forms.ModelMultipleChoiceField(
        label=_("Service categories"),
        queryset=ServiceCategory.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "credit_code",
            "category",
            "legal_form",
            "registration_date",
            "legal_representative",
            "address",
            "street",
            "contact_name",
            "contact_phone",
            "contact_email",
            "rating",
            "rating_expires_on",
            "is_welfare_unit",
            "service_categories",
        ]
        widgets = {
            "registration_date": DateInput(),
            "rating_expires_on": DateInput(),
            "credit_code": forms.TextInput(
                attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": 18}
            ),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(
        self, *args, editable: set[str] | None = None, allow_category: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.checksum_warning = ""
        if not allow_category:
            self.fields.pop("category")
        for name in set(self.fields) & PROFILE_FIELDS:
            if editable is not None and name not in editable:
                self.fields[name].disabled = True

    def clean_credit_code(self):
        value = self.cleaned_data["credit_code"]
        result = credit_code.check(value)
        if result.errors:
            raise forms.ValidationError(result.errors)
        if not result.checksum_ok:
            self.checksum_warning = _(
                "The check character of this credit code does not match (expected “%(c)s”). "
                "Check it against the registration certificate; an officer will confirm it."
            ) % {"c": result.expected_check_char}
        return result.code

    def profile_data(self) -> dict:
        """The profile fields the user may change (disabled ones are left out)."""
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k in PROFILE_FIELDS and not self.fields[k].disabled
        }


class ApplicationForm(OrganizationForm):
    """The profile an applicant gives, with the registration certificate (登记证书)
    the officer checks it against."""

    registration_certificate = forms.FileField(
        label=_("Registration certificate (登记证书)"),
        help_text=_(
            "A scan or photo of the certificate issued by the civil affairs bureau: PDF, JPEG "
            "or PNG, at most 20 MB. The officer cannot verify your organization without it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class OfficerOrganizationForm(OrganizationForm):
    acknowledge_checksum = forms.BooleanField(
        label=_(
            "I have checked the credit code against the certificate; register it despite the check-character warning."
        ),
        required=False,
    )


class SelfServiceOrganizationForm(OrganizationForm):
    """Used by an organization's admin after verification."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, editable=SELF_SERVICE_FIELDS, **kwargs)


class AccountForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    name = forms.CharField(
        label=_("Full name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords differ."))
        if data.get("username") and User.objects.filter(username__iexact=data["username"]).exists():
            self.add_error("username", _("This user name is taken."))
        if data.get("password1") and "password1" not in self.errors:
            candidate = User(
                username=data.get("username", ""),
                name=data.get("name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(data["password1"], candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ApplicantAccountForm(AccountForm):
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    field_order = ["username", "name", "email", "password1", "password2"]

    def keep_passwords(self) -> None:
        """Show the typed passwords again when the page comes back with an error
        elsewhere (a credit code, a missing file): typing two new passwords
        because of another field is how applicants give up. A password that
        itself failed is cleared. The value goes back only to the person who
        just typed it, over the same connection."""
        if "password1" in self.errors or "password2" in self.errors:
            return
        for name in ("password1", "password2"):
            self.fields[name].widget.render_value = True


class LanguagePreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language for e-mail and notifications"),
        choices=[("", _("The portal's default (Chinese)")), *settings.LANGUAGES],
        required=False,
        help_text=_("Notifications in the portal and by e-mail reach you in this language."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class CredentialForm(forms.ModelForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    class Meta:
        model = Credential
        fields = ["kind", "year", "result", "annual_income", "issued_on", "expires_on"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}

    def clean(self):
        data = super().clean()
        issued, expires = data.get("issued_on"), data.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("The expiry date cannot be before the issue date."))
        return data

    def _post_clean(self):
        # The service validates the whole credential (file content included);
        # skip the model's own validation of the unsaved instance.
        pass


class ControlRelationshipForm(forms.Form):
    """Record that this organization controls or manages another, or the reverse."""

    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[
            ("controls", _("This organization controls or manages the other")),
            ("controlled", _("The other organization controls or manages this one")),
        ],
        widget=forms.RadioSelect,
        initial="controls",
    )
    other = forms.ModelChoiceField(
        label=_("Credit code of the other organization"),
        queryset=Organization.objects.all(),
        to_field_name="credit_code",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid_choice": _("No organization has this credit code.")},
    )
    kind = forms.ChoiceField(label=_("Relationship"), choices=ControlRelationship.Kind.choices)
    source = forms.CharField(
        label=_("Source"),
        max_length=255,
        help_text=_("Where the relationship is documented, e.g. the articles of association."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def relationship(self, organization) -> dict:
        data = self.cleaned_data
        pair = (organization, data["other"])
        if data["direction"] == "controlled":
            pair = pair[::-1]
        return {
            "controller": pair[0],
            "controlled": pair[1],
            "kind": data["kind"],
            "source": data["source"],
            "notes": data["notes"],
        }
