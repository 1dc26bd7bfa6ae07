"""The two steps of a staff sign-in: a password that checked out is held in the session as a
*pending* sign-in, and only a second factor turns it into a real one."""

from __future__ import annotations

import time

import django_otp
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

PENDING_KEY = "broadsheet_pending_signin"
PENDING_SECONDS = 600  # time to find the phone or the key after the password
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


def has_second_factor(user: AbstractBaseUser) -> bool:
    return django_otp.user_has_device(user)


def has_passkey(user: AbstractBaseUser) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def begin(request: HttpRequest, user: AbstractBaseUser, next_url: str) -> None:
    """Remember that ``user`` gave the right password; nobody is signed in yet."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "at": time.time(),
        "next": next_url,
        # A password changed in between (reset by someone else) ends the pending sign-in.
        "hash": user.get_session_auth_hash(),
    }


def pending_user(request: HttpRequest) -> AbstractBaseUser | None:
    """The user whose password was accepted in this session a moment ago, if still valid."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending.get("hash"):
        return None
    return user


def pending_next(request: HttpRequest) -> str:
    pending = request.session.get(PENDING_KEY)
    return str(pending.get("next", "")) if isinstance(pending, dict) else ""


def device_for_code(user: AbstractBaseUser, code: str) -> Device | None:
    """The device that accepts ``code``: six digits are an app's code, anything else a backup code.

    Each code is tried only on devices of its kind, so a mistyped app code does not count
    against (and throttle) the backup codes, nor the other way round.
    """
    code = "".join(code.split()).lower()
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in kind.objects.devices_for_user(user, confirmed=True):
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def complete(request: HttpRequest, user: AbstractBaseUser, device: Device | None) -> None:
    """Sign ``user`` in (a new session key), marked as verified by ``device`` when given."""
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend=PASSWORD_BACKEND)
    if device is not None:
        django_otp.login(request, device)
