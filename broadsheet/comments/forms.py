"""The "Leave a Reply" form. Field limits are WordPress's column sizes; every message says
what to do, and a bound form hands back exactly what the commenter typed."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import URLValidator

from broadsheet.core.numbers import parse_id
from broadsheet.core.text import strip_control_characters

NAME_MAX, EMAIL_MAX, URL_MAX, COMMENT_MAX = 245, 100, 200, 65525
# "javascript:…", "mailto:…", "data:…": a scheme without "//". Not "example.com:8080", whose
# colon is followed by a port; without this, "javascript:x" became "https://javascript:x".
OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def _too_long(what: str, limit: int) -> str:
    return f"{what} is too long: at most {limit:,} characters, please."


class _WithoutControlCharacters:
    """Control characters (U+0001, U+000B…) removed before any other check: no feed or page
    can carry them, and no one means to type them."""

    def to_python(self, value: object) -> object:
        if isinstance(value, str):
            value = strip_control_characters(value)
        return super().to_python(value)  # type: ignore[misc]


class TextField(_WithoutControlCharacters, forms.CharField):
    pass


class EmailAddressField(_WithoutControlCharacters, forms.EmailField):
    pass


class IdField(forms.CharField):
    """A hidden id field: ASCII digits within 64 bits, or 0 for "none" when ``zero_is_none``.
    (Django's IntegerField takes "١٢" and any size, which the database then refuses.)"""

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid": "This form was changed on the way. Please reload the page."
    }

    def __init__(self, *, zero_is_none: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(strip=False, **kwargs)
        self.zero_is_none = zero_is_none

    def to_python(self, value: object) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values or (self.zero_is_none and text == "0"):
            return None
        number = parse_id(text)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class CommentForm(forms.Form):
    comment = TextField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 8, "cols": 45, "maxlength": COMMENT_MAX}),
        max_length=COMMENT_MAX,
        strip=True,
        error_messages={
            "required": "Please type your comment text.",
            "max_length": _too_long("Your comment", COMMENT_MAX),
        },
    )
    author = TextField(
        label="Name",
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name", "maxlength": NAME_MAX}),
        error_messages={
            "required": "Please enter your name.",
            "max_length": _too_long("Your name", NAME_MAX),
        },
    )
    email = EmailAddressField(
        label="Email",
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": EMAIL_MAX}),
        error_messages={
            "required": "Please enter your email address. It will not be published.",
            "invalid": "Please enter a valid email address, like name@example.com.",
            "max_length": _too_long("Your email address", EMAIL_MAX),
        },
    )
    url = TextField(
        label="Website",
        required=False,
        max_length=URL_MAX,
        widget=forms.URLInput(attrs={"autocomplete": "url", "maxlength": URL_MAX}),
        error_messages={"max_length": _too_long("Your website address", URL_MAX)},
    )
    cookies_consent = forms.BooleanField(
        label="Save my name, email, and website in this browser for the next time I comment.",
        required=False,
    )
    notify_replies = forms.BooleanField(
        label="Email me when someone replies to my comment.", required=False
    )
    comment_post_ID = IdField()  # noqa: N815 - WordPress's name
    comment_parent = IdField(zero_is_none=True, required=False, initial=0)
    # Spam defences; their names must match spam.form_timestamp.FIELD_NAME / honeypot.FIELD_NAME.
    form_token = TextField(widget=forms.HiddenInput, required=False)
    fax_number = TextField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, signed_in_as=None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.signed_in_as = signed_in_as
        if signed_in_as is not None:
            # Name and email come from the account, as WordPress does for logged-in users.
            for name in ("author", "email", "url", "cookies_consent"):
                del self.fields[name]
        for name in ("comment", "author", "email"):
            if name in self.fields:
                self.fields[name].widget.attrs["aria-required"] = "true"
        if "email" in self.fields:
            # "Your email address will not be published." is read out with the field.
            self.fields["email"].widget.attrs["aria-describedby"] = "email-notes"

    def full_clean(self) -> None:
        """Tie each error to its field for screen readers, beside the visible message."""
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                described_by = " ".join(
                    filter(None, [f"id_{name}-error", attrs.get("aria-describedby")])
                )
                attrs.update({"aria-invalid": "true", "aria-describedby": described_by})

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if not url:
            return ""
        if "://" not in url and not OTHER_SCHEME.match(url):
            url = f"https://{url}"  # people type "example.com"; WordPress adds the scheme too
        try:
            _WEB_ADDRESS(url)
        except forms.ValidationError:
            raise forms.ValidationError(
                "Please enter a web address starting with http:// or https://, or leave it empty."
            ) from None
        if len(url) > URL_MAX:
            raise forms.ValidationError(_too_long("Your website address", URL_MAX))
        return url

    def clean_comment(self) -> str:
        """Browsers send line breaks as CRLF; store LF so duplicates are caught either way."""
        return self.cleaned_data["comment"].replace("\r\n", "\n").replace("\r", "\n")

    def clean_author(self) -> str:
        name = " ".join(self.cleaned_data["author"].split())
        if not name:
            raise forms.ValidationError("Please enter your name.")
        return name
