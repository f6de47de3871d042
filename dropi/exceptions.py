"""Errors that services raise for the API layer to turn into 4xx answers."""

from typing import Any


class ApplicationError(Exception):
    """A business rule refused the operation; shown to the client as a 400.

    ``code`` is a stable machine-readable identifier; ``extra`` carries
    structured details (for instance the field that caused it).
    """

    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        extra: dict[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}
        if status_code is not None:
            self.status_code = status_code
