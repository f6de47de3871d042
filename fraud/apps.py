from django.apps import AppConfig


class FraudConfig(AppConfig):
    name = "fraud"
    verbose_name = "Antifraude"

    def ready(self) -> None:
        from fraud import receivers  # noqa: F401 (connects the receivers)
