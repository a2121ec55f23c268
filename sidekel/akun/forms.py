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
            self.user = services.check_login(self.request, username, password)
        except services.LoginPaused as paused:
            raise forms.ValidationError(paused.message) from paused
        if self.user is None:
            raise forms.ValidationError(_("Wrong username or password, or the account is not active."))
        return data
