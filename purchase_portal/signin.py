"""The sign-in page: a user name longer than any account's is a field error
(answered 400), never a failed attempt for the throttling store."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class SignInForm(AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        # AuthenticationForm sets max_length after the field is built, which
        # shows it in the page but does not validate it.
        field.validators.append(MaxLengthValidator(field.max_length))

    def clean(self):
        if self.has_error("username") or self.has_error("password"):
            return self.cleaned_data  # bad input: no sign-in attempt at all
        return super().clean()


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("username") or form.has_error("password"):
            response.status_code = 400
        return response
