from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Auditoría"

    def ready(self) -> None:
        from audit import receivers  # noqa: F401 (connects the receivers)
