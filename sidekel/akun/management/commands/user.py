import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from sidekel.akun.choices import Role
from sidekel.akun.models import User
from sidekel.akun import services
from sidekel.akun.services import create_user, deactivate_user


class Command(BaseCommand):
    help = ("Accounts: `user add NAME --role ROLE [--desa KODE ...] [--password-stdin]`, `user list`, "
            "`user deactivate NAME`, `user tokens NAME [--revoke [PREFIX]]`, "
            "`user reset-password NAME [--password-stdin] [--two-factor]`, `user unlock NAME`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Create an account for one person.")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--desa", nargs="*", default=[], metavar="KODE", help="Village codes, e.g. 62.01.02.2010.")
        add.add_argument("--name", default="", help="The person's full name.")
        add.add_argument("--password-stdin", action="store_true", help="Read the password from standard input.")
        sub.add_parser("list", help="List the accounts.")
        off = sub.add_parser("deactivate", help="Stop an account; what the person did stays attributed to them.")
        off.add_argument("username")
        tokens = sub.add_parser("tokens", help="List the account's API tokens; --revoke revokes them.")
        tokens.add_argument("username")
        tokens.add_argument("--revoke", nargs="?", const="", default=None, metavar="PREFIX",
                            help="Revoke every valid token of the account, or only the one starting with PREFIX.")
        reset = sub.add_parser("reset-password", help="Give the account a one-time password (printed); the person "
                               "must choose a new one at the next login.")
        reset.add_argument("username")
        reset.add_argument("--password-stdin", action="store_true",
                           help="Read the one-time password from standard input instead of making one.")
        reset.add_argument("--two-factor", action="store_true",
                           help="Also remove the account's two-factor sign-in (a lost phone): it is set up again at login.")
        unlock = sub.add_parser("unlock", help="Forget the account's failed logins: it may log in again at once.")
        unlock.add_argument("username")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"handle_{action.replace('-', '_')}")(**options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def handle_reset_password(self, username, password_stdin, two_factor, **_options):
        password = sys.stdin.readline().rstrip("\n") if password_stdin else None
        password = services.reset_password(username, password, two_factor=two_factor)
        self.stdout.write(_("Password of %(username)s reset. One-time password: %(password)s")
                          % {"username": username, "password": password})
        self.stdout.write(_("At the next login the person must choose a new password. The account's API tokens are "
                            "revoked and its login unlocked."))
        if two_factor:
            self.stdout.write(_("Two-factor sign-in removed: it is set up again at the next login."))

    def handle_unlock(self, username, **_options):
        count = services.unlock(username)
        if count:
            self.stdout.write(_("Login of %(username)s unlocked (%(count)d counts of failed attempts cleared).")
                              % {"username": username, "count": count})
        else:
            self.stdout.write(_("Account %(username)s had no failed logins to forget.") % {"username": username})

    def handle_add(self, username, role, desa, name, password_stdin, **_options):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass(_("Password: "))
            if getpass.getpass(_("Password again: ")) != password:
                raise CommandError(_("The two passwords differ."))
        user = create_user(username, role=role, password=password, desa_kode=desa, first_name=name)
        self.stdout.write(_("Account %(username)s created (%(role)s).") % {"username": user.username, "role": user.get_role_display()})

    def handle_list(self, **_options):
        for user in User.objects.order_by("username").prefetch_related("desa"):
            villages = ", ".join(d.kode for d in user.desa.all()) or "-"
            state = _("active") if user.is_active else _("deactivated")
            if user.is_active and services.is_locked(user.username):
                state = _("login waits")
            self.stdout.write(f"{user.username:<20} {user.role or '-':<16} {state:<12} {villages}")

    def handle_deactivate(self, username, **_options):
        deactivate_user(username)
        self.stdout.write(_("Account %(username)s is deactivated.") % {"username": username})

    def handle_tokens(self, username, revoke, **_options):
        if revoke is not None:
            count = services.revoke_tokens(username, prefix=revoke or None)
            self.stdout.write(_("API tokens of %(username)s revoked: %(count)d.") % {"count": count, "username": username})
        states = {"valid": _("valid"), "expired": _("expired"), "revoked": _("revoked")}
        tokens = services.tokens_of(username)
        if not tokens:
            self.stdout.write(_("Account %(username)s has no API tokens.") % {"username": username})
        else:
            self.stdout.write(_("token      state      created           expires           last used"))
        for token in tokens:
            last = localtime(token.last_used_at).strftime("%d-%m-%Y %H:%M") if token.last_used_at else "-"
            self.stdout.write(f"{token.prefix}…  {states[services.token_state(token)]:<10} "
                              f"{localtime(token.created_at):%d-%m-%Y %H:%M}  {localtime(token.expires_at):%d-%m-%Y %H:%M}  {last}")
