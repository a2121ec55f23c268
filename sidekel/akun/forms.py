from django import forms
from django.utils.translation import gettext_lazy as _

from . import services


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self):
        data = super().clean()
        username, password = data.get("username"), data.get("password")
        if not username or not password:
            return data
        try:
            self.user = services.check_login(self.request, username, password, code_follows=True)
        except services.LoginPaused as paused:
            raise forms.ValidationError(paused.message) from paused
        if self.user is None:
            raise forms.ValidationError(_("Wrong username or password, or the account is not active."))
        return data


def _code_field(label, help_text=""):
    return forms.CharField(label=label, max_length=20, help_text=help_text, widget=forms.TextInput(attrs={
        "autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric", "class": "code"}))


class CodeForm(forms.Form):
    """The second step of a login: the authenticator app's code, or one backup code."""

    code = _code_field(_("Code"), _("The 6 digits your authenticator app shows now, or one of your 8-digit backup codes."))

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.device = None

    def clean(self):
        data = super().clean()
        if not data.get("code"):
            return data
        try:
            self.device = services.check_code(self.request, self.request.user, data["code"])
        except services.LoginPaused as paused:
            raise forms.ValidationError(paused.message) from paused
        if self.device is None:
            raise forms.ValidationError(_("Wrong code, or a backup code already used. Type the code your app "
                                          "shows now (it changes every 30 seconds)."))
        return data


class EnrolForm(forms.Form):
    code = _code_field(_("Code from the app"), _("After scanning, the app shows 6 digits: type them here."))

    def __init__(self, user, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.device, self.backup_codes = user, device, None

    def clean(self):
        data = super().clean()
        if data.get("code"):
            self.backup_codes = services.confirm_enrolment(self.user, self.device, data["code"])
            if self.backup_codes is None:
                raise forms.ValidationError(_("That code does not match. Check that the phone's clock is right and "
                                              "type the code the app shows now."))
        return data


class ConfirmPasswordForm(forms.Form):
    """Turning two-factor sign-in off asks for the password again."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        try:  # through the login throttle: a left-open session is no free password oracle
            user = services.check_login(self.request, self.request.user.username, self.cleaned_data["password"])
        except services.LoginPaused as paused:
            raise forms.ValidationError(paused.message) from paused
        if user is None:
            raise forms.ValidationError(_("The password is not right."))
        return self.cleaned_data["password"]
