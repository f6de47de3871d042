"""Forms of the accounts app: the admin login with a second factor."""

import logging

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import totp_device_for_user
from accounts.services import totp_code_verify, totp_device_confirm_first_use

logger = logging.getLogger(__name__)


class AdminTOTPAuthenticationForm(AdminAuthenticationForm):
    """Admin login asking staff for email, password and a TOTP code.

    The password is checked first by ``authenticate`` (django-axes and the
    fraud risk backend see it). Then a staff account must show a valid code
    of its device. A device made by ``totp_enroll`` and not yet confirmed
    is confirmed by its first valid code, as at the JWT login. Every refusal
    after a right password (no device, no code, wrong code) is sent as
    ``user_login_failed``: axes counts it and the fraud app records it, so
    codes cannot be guessed behind a known password.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_totp": _(
            "Introduzca el email, la contraseña y el código de autenticación "
            "correctos de una cuenta de staff."
        ),
        "totp_enrollment_required": _(
            "Las cuentas de staff necesitan un segundo factor (TOTP) para "
            "entrar en el admin y esta no tiene ninguno. Pida a un "
            "administrador que ejecute `python manage.py totp_enroll "
            "%(email)s`, cargue el enlace otpauth:// en su aplicación de "
            "autenticación y vuelva a entrar con el código."
        ),
    }

    otp = forms.CharField(
        label=_("Código de autenticación"),
        # Not required by the field: a missing code must fail like a wrong
        # one (counted by axes), after the password was checked.
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "size": 6,
                "maxlength": 6,
            }
        ),
    )

    def confirm_login_allowed(self, user: User) -> None:
        # Inactive and non-staff accounts are refused by the parent class.
        super().confirm_login_allowed(user)
        device = totp_device_for_user(user=user)
        if device is None:
            self._second_factor_failed(reason="totp_enrollment_required")
            raise ValidationError(
                self.error_messages["totp_enrollment_required"],
                code="totp_enrollment_required",
                params={"email": user.email},
            )
        code = self.cleaned_data.get("otp") or ""
        if not totp_code_verify(device=device, code=code):
            self._second_factor_failed(
                reason="otp_missing" if not code else "otp_invalid"
            )
            raise ValidationError(
                self.error_messages["invalid_totp"], code="invalid_totp"
            )
        totp_device_confirm_first_use(device=device)

    def _second_factor_failed(self, *, reason: str) -> None:
        logger.info("Admin login refused at second factor", extra={"reason": reason})
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )
