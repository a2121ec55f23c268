from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from sidekel.core.audit import client_ip

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
        ip = client_ip(self.request)
        if services.login_paused(username, ip):
            raise forms.ValidationError(
                _("Too many failed attempts. Wait %(minutes)d minutes, or ask the kecamatan administrator.")
                % {"minutes": services.pause_minutes()})
        self.user = authenticate(self.request, username=username, password=password)
        if self.user is None:
            services.record_failed_login(username, ip)
            raise forms.ValidationError(_("Wrong username or password, or the account is not active."))
        services.clear_failed_logins(username)
        return data
