"""A tiny Olist-format data set written by the tests, with its quirks.

Customers u1 (two per-order ids), u2, u3. Orders: o1 (January, Brazilian
summer time), o2 (no items), o3 (payments start at sequential 2), o4
(July). Review ``rdup`` is attached to two orders; review r1 spans lines.
"""

import csv
import gzip
from pathlib import Path

from catalog.importers.olist import LOADERS

HEADERS = {loader.basename: loader.columns for loader in LOADERS}

CATEGORIES = "product_category_name_translation.csv"
SELLERS = "olist_sellers_dataset.csv"
PRODUCTS = "olist_products_dataset.csv"
CUSTOMERS = "olist_customers_dataset.csv"
ORDERS = "olist_orders_dataset.csv"
ITEMS = "olist_order_items_dataset.csv"
PAYMENTS = "olist_order_payments_dataset.csv"
REVIEWS = "olist_order_reviews_dataset.csv"

MULTILINE_MESSAGE = 'Chegou rápido.\nProduto "ótimo", recomendo. '


def _rows(basename: str, rows: list[tuple]) -> list[dict[str, str]]:
    return [dict(zip(HEADERS[basename], row, strict=True)) for row in rows]


def olist_rows() -> dict[str, list[dict[str, str]]]:
    """Fresh rows per file, for a test to change before writing them."""
    return {
        CATEGORIES: _rows(
            CATEGORIES,
            [("cama_mesa_banho", "bed_bath_table"), ("telefonia", "telephony")],
        ),
        SELLERS: _rows(
            SELLERS,
            [("s1", "01001", "sao paulo", "SP"), ("s2", "13023", "campinas", "SP")],
        ),
        PRODUCTS: _rows(
            PRODUCTS,
            [
                ("p1", "cama_mesa_banho", "40", "287", "1", "225", "16", "10", "14"),
                ("p2", "telefonia", "50", "300", "2", "150", "10", "5", "8"),
                ("p3", "pc_gamer", "30", "100", "1", "2000", "40", "40", "20"),
                ("p4", "", "", "", "", "", "", "", ""),
            ],
        ),
        CUSTOMERS: _rows(
            CUSTOMERS,
            [
                ("c1a", "u1", "35550", "itapecerica", "MG"),
                ("c2", "u2", "01310", "sao paulo", "SP"),
                ("c1b", "u1", "39664", "mendonca", "MG"),
                ("c3", "u3", "80010", "curitiba", "PR"),
            ],
        ),
        ORDERS: _rows(
            ORDERS,
            [
                (
                    "o1",
                    "c1a",
                    "delivered",
                    "2018-01-14 14:33:31",
                    "2018-01-14 14:48:30",
                    "2018-01-16 12:36:48",
                    "2018-01-22 13:19:16",
                    "2018-02-05 00:00:00",
                ),
                ("o2", "c2", "unavailable", "2018-03-01 10:00:00", "", "", "", ""),
                (
                    "o3",
                    "c1b",
                    "shipped",
                    "2018-05-02 09:00:00",
                    "",
                    "2018-05-03 10:00:00",
                    "",
                    "2018-05-20 00:00:00",
                ),
                (
                    "o4",
                    "c3",
                    "delivered",
                    "2018-07-04 12:08:27",
                    "2018-07-05 16:35:48",
                    "2018-07-05 12:15:00",
                    "2018-07-09 14:04:07",
                    "2018-07-25 00:00:00",
                ),
            ],
        ),
        ITEMS: _rows(
            ITEMS,
            [
                ("o1", "1", "p1", "s1", "2018-01-18 14:48:30", "100.00", "10.00"),
                ("o1", "2", "p1", "s1", "2018-01-18 14:48:30", "100.00", "10.00"),
                ("o3", "1", "p2", "s2", "2018-05-06 09:00:00", "50.50", "5.25"),
                ("o4", "1", "p1", "s2", "2018-07-10 12:30:45", "120.00", "0.00"),
                ("o4", "2", "p3", "s2", "2018-07-10 12:30:45", "1999.90", "70.75"),
            ],
        ),
        PAYMENTS: _rows(
            PAYMENTS,
            [
                ("o1", "1", "credit_card", "5", "220.00"),
                ("o3", "2", "voucher", "1", "55.75"),
                ("o4", "1", "credit_card", "10", "2000.00"),
                ("o4", "2", "voucher", "1", "190.65"),
            ],
        ),
        REVIEWS: _rows(
            REVIEWS,
            [
                (
                    "r1",
                    "o1",
                    "5",
                    "Recomendo",
                    MULTILINE_MESSAGE,
                    "2018-01-23 00:00:00",
                    "2018-01-23 16:06:31",
                ),
                ("rdup", "o3", "4", "", "", "2018-05-21 00:00:00", ""),
                ("rdup", "o4", "3", "", "", "2018-07-10 00:00:00", ""),
                ("r2", "o2", "1", "", "Nunca chegou", "2018-03-20 00:00:00", ""),
            ],
        ),
    }


def olist_files_write(
    directory: Path,
    rows: dict[str, list[dict[str, str]]] | None = None,
    *,
    compress: bool = False,
) -> Path:
    """Write every file (``.csv.gz`` when ``compress``); return the folder."""
    directory.mkdir(parents=True, exist_ok=True)
    for basename, file_rows in (rows or olist_rows()).items():
        header = list(file_rows[0]) if file_rows else list(HEADERS[basename])
        path = directory / (f"{basename}.gz" if compress else basename)
        opener = gzip.open if compress else open
        with opener(path, "wt", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(file_rows)
    return directory
