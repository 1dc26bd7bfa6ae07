"""Backup codes: single-use codes in django-otp's static device, for a lost phone or key."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10


def new_backup_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's backup codes with fresh ones and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_backup_codes(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
