from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Cuentas"

    def ready(self) -> None:
        # Registers the OpenAPI extension of the JWT authentication class,
        # the signal receivers and the system checks.
        from accounts import checks, signals  # noqa: F401
        from accounts.api import schema  # noqa: F401
