"""App config for the project package, so its checks and templates load."""

from django.apps import AppConfig


class DropiConfig(AppConfig):
    name = "dropi"
    verbose_name = "DROPi"

    def ready(self) -> None:
        from dropi import checks  # noqa: F401
