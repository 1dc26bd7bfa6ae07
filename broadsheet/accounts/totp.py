"""Adding an authenticator app: an unconfirmed TOTP device, its QR code, and its confirmation."""

from __future__ import annotations

import base64

import segno
from django.contrib.auth.base_user import AbstractBaseUser
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"


def unconfirmed_device(user: AbstractBaseUser) -> TOTPDevice:
    """The app being added (one at a time per user), made on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code in a data: URI (for an <img>)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps that cannot read the QR code."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm(device: TOTPDevice, code: str) -> bool:
    """Confirm the app when ``code`` is its current code."""
    code = "".join(code.split())
    if not (code.isdigit() and device.verify_token(code)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True
