"""What the importers report when the input is wrong."""

from dataclasses import dataclass

from dropi.exceptions import ApplicationError


@dataclass(frozen=True)
class RowProblem:
    """One rejected piece of input: where it is and what is wrong with it.

    ``line`` is the physical line where the record starts (the header is
    line 1); 0 means the problem concerns the whole file.
    """

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.file:
            return self.message
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.column:
            where = f"{where} column {self.column}"
        return f"{where}: {self.message}"


class RowError(ValueError):
    """A field of a record could not be used; the loader adds the place."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}")
        self.column = column
        self.message = message


class ImportFailed(ApplicationError):
    """The import stopped; nothing it did was kept."""

    def __init__(self, problems: list[RowProblem]) -> None:
        lines = [str(problem) for problem in problems]
        super().__init__(
            "; ".join(lines),
            code="import_failed",
            extra={"problems": lines},
        )
        self.problems = problems
