"""API authentication: exchange a username and password for a bearer token; revoke it."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from . import services

router = Router(tags=["auth"])


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token's user becomes ``request.user``."""

    def authenticate(self, request, token):
        user = services.user_for_token(token)
        if user is not None:
            request.user = user
            request.api_token = token
        return user


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_in_days: int


class Message(Schema):
    detail: str


@router.post("/token", response={200: TokenOut, 401: Message, 429: Message}, auth=None, summary="Get a token")
def create_token(request, response: HttpResponse, credentials: Credentials):
    """Send the account's username and password; use the token as `Authorization: Bearer <token>`."""
    try:
        user = services.check_login(request, credentials.username, credentials.password)
    except services.LoginPaused as paused:
        response["Retry-After"] = str(paused.seconds)
        return Status(429, {"detail": paused.message})
    if user is None:
        return Status(401, {"detail": _("Wrong username or password, or the account is not active.")})
    return Status(200, {"token": services.issue_token(user), "expires_in_days": services.token_days()})


@router.delete("/token", response={204: None}, auth=BearerAuth(), summary="Revoke this token")
def revoke_token(request):
    services.revoke_token(request.api_token)
    return Status(204, None)
