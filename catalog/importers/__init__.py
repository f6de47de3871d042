"""Importers of marketplace data from files (Olist format)."""

from catalog.importers.batches import FileCounts, ImportResult
from catalog.importers.errors import ImportFailed, RowProblem
from catalog.importers.olist import OLIST_FILES, olist_import

__all__ = [
    "OLIST_FILES",
    "FileCounts",
    "ImportFailed",
    "ImportResult",
    "RowProblem",
    "olist_import",
]
