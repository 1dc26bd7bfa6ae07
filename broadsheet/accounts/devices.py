"""The second factors a person has set up, as the enrolment page lists them, and removing one."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential


@dataclass(frozen=True)
class Listed:
    kind: str
    name: str
    persistent_id: str
    last_used: object


def listed_devices(user: AbstractBaseUser) -> list[Listed]:
    """The user's confirmed authenticator apps and passkeys (backup codes are counted apart)."""
    apps = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")
    passkeys = WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk")
    return [
        Listed(kind, device.name or kind, device.persistent_id, device.last_used_at)
        for kind, devices in (("Authenticator app", apps), ("Passkey", passkeys))
        for device in devices
    ]


def has_primary_device(user: AbstractBaseUser) -> bool:
    """An app or a passkey: backup codes alone are no way to enrol."""
    return bool(listed_devices(user))


def remove_device(user: AbstractBaseUser, persistent_id: str) -> bool:
    """Delete one of the user's own devices; False when the id names no device of theirs."""
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != user.pk:
        return False
    device.delete()
    return True
