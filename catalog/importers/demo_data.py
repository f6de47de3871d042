"""A seeded generator of a small Paraguayan marketplace, in Olist format.

The files it writes load with the Olist importer (``--source demo``: PYG,
America/Asuncion). Sellers follow profiles so that rankings have something
to find: stars, late shippers, cancellers, big-but-mediocre shops, tiny shops
with a few perfect reviews, rising shops whose sales are recent. Orders
span the 365 days before ``today``. The same seed and ``today`` give the
same bytes.
"""

import csv
import random
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from catalog.importers.olist import LOADERS

DAYS = 365
TIMESTAMP = "%Y-%m-%d %H:%M:%S"
HEADERS = {loader.basename: loader.columns for loader in LOADERS}
# The importer's optional columns, which carry real-looking names.
OPTIONAL = {
    "olist_sellers_dataset.csv": ("seller_name",),
    "olist_products_dataset.csv": ("product_name",),
}

# raw category name -> (English name, product nouns, price range in PYG)
CATEGORIES: dict[str, tuple[str, tuple[str, ...], tuple[int, int]]] = {
    "celulares": (
        "cell_phones",
        ("Celular 128 GB", "Celular 64 GB", "Funda de silicona", "Cargador rápido"),
        (60_000, 3_500_000),
    ),
    "informática": (
        "computers",
        ("Notebook 15 pulgadas", "Mouse inalámbrico", "Teclado mecánico", "Monitor 24"),
        (80_000, 6_000_000),
    ),
    "electrónica": (
        "electronics",
        ("Parlante Bluetooth", "Auriculares", "Smart TV 50", "Cámara de seguridad"),
        (90_000, 4_000_000),
    ),
    "electrodomésticos": (
        "home_appliances",
        (
            "Licuadora",
            "Ventilador de techo",
            "Aire acondicionado 12000 BTU",
            "Heladera",
        ),
        (150_000, 5_500_000),
    ),
    "hogar_y_cocina": (
        "home_kitchen",
        ("Juego de ollas", "Termo de acero", "Set de cubiertos", "Sábanas de algodón"),
        (40_000, 900_000),
    ),
    "muebles": (
        "furniture",
        ("Silla de oficina", "Mesa de comedor", "Ropero 3 puertas", "Sofá 2 cuerpos"),
        (250_000, 4_500_000),
    ),
    "artesanía_paraguaya": (
        "paraguayan_crafts",
        ("Mantel de ñandutí", "Hamaca de algodón", "Guampa de palo santo", "Ao po'i"),
        (35_000, 650_000),
    ),
    "moda_femenina": (
        "women_fashion",
        ("Vestido de verano", "Blusa de lino", "Cartera de cuero", "Pollera"),
        (60_000, 450_000),
    ),
    "moda_masculina": (
        "men_fashion",
        ("Camisa ao po'i", "Remera de algodón", "Jean clásico", "Campera"),
        (55_000, 500_000),
    ),
    "calzados": (
        "shoes",
        (
            "Zapatillas deportivas",
            "Sandalias",
            "Botines de fútbol",
            "Zapatos de vestir",
        ),
        (90_000, 800_000),
    ),
    "belleza_y_cuidado_personal": (
        "beauty_personal_care",
        ("Perfume 100 ml", "Crema hidratante", "Secador de pelo", "Kit de maquillaje"),
        (35_000, 700_000),
    ),
    "deportes": (
        "sports",
        ("Pelota de fútbol", "Bicicleta rodado 29", "Mancuernas", "Camiseta Albirroja"),
        (50_000, 3_000_000),
    ),
    "libros": (
        "books",
        ("Novela paraguaya", "Diccionario guaraní", "Libro de cocina", "Cuentos"),
        (40_000, 250_000),
    ),
    "juguetes": (
        "toys",
        ("Rompecabezas", "Muñeca", "Auto a control remoto", "Juego de mesa"),
        (30_000, 600_000),
    ),
    "bebés": (
        "baby",
        ("Cochecito", "Pañales x 50", "Cuna", "Mamadera"),
        (30_000, 1_800_000),
    ),
    "herramientas": (
        "tools",
        ("Taladro percutor", "Juego de llaves", "Amoladora", "Caja de herramientas"),
        (60_000, 1_500_000),
    ),
    "jardín": (
        "garden",
        ("Manguera 20 m", "Cortadora de césped", "Maceta grande", "Parrilla"),
        (40_000, 2_500_000),
    ),
    "yerba_mate": (
        "yerba_mate",
        ("Yerba mate 1 kg", "Yerba compuesta 500 g", "Yuyos para tereré", "Bombilla"),
        (12_000, 120_000),
    ),
    "bebidas": (
        "drinks",
        ("Caña paraguaya", "Cerveza pack x 12", "Jugo natural", "Agua mineral x 6"),
        (15_000, 180_000),
    ),
    "mascotas": (
        "pets",
        ("Balanceado 15 kg", "Cucha", "Collar", "Arena sanitaria"),
        (25_000, 450_000),
    ),
}
VARIANTS = ("negro", "blanco", "azul", "rojo", "grande", "mediano", "clásico", "pro")

# city, department, postal code
CITIES = (
    ("Asunción", "Capital", "1209"),
    ("San Lorenzo", "Central", "2160"),
    ("Luque", "Central", "2060"),
    ("Fernando de la Mora", "Central", "2300"),
    ("Lambaré", "Central", "2510"),
    ("Capiatá", "Central", "2750"),
    ("Ciudad del Este", "Alto Paraná", "7000"),
    ("Encarnación", "Itapúa", "6000"),
    ("Pedro Juan Caballero", "Amambay", "5600"),
    ("Coronel Oviedo", "Caaguazú", "3300"),
    ("Concepción", "Concepción", "7950"),
    ("Villarrica", "Guairá", "4200"),
)
SURNAMES = (
    "Benítez",
    "González",
    "Giménez",
    "Martínez",
    "Villalba",
    "Ayala",
    "Duarte",
    "Ortiz",
    "Cáceres",
    "Acosta",
    "Rojas",
    "Báez",
    "Aquino",
    "Sosa",
    "Franco",
    "Núñez",
)
SHOP_WORDS = ("Comercial", "Importadora", "Bazar", "Distribuidora", "Casa", "Tienda")
PAYMENT_METHODS = (
    ("credit_card", 45),
    ("debit_card", 20),
    ("bank_transfer", 15),
    ("cash_on_delivery", 12),
    ("tigo_money", 8),
)
COMMENTS = {
    5: ("Excelente", "Llegó antes de lo previsto, todo perfecto."),
    4: ("Muy bueno", "Buen producto, la entrega tardó un poco."),
    3: ("Regular", "Cumple, pero el embalaje llegó dañado."),
    2: ("Malo", "Llegó tarde y no es lo que esperaba."),
    1: ("Pésimo", "Nunca respondieron.\nNo lo recomiendo."),
}


@dataclass(frozen=True)
class Profile:
    """How a kind of seller behaves."""

    name: str
    volume: float  # relative number of orders
    on_time: float  # share of delivered orders that arrive on time
    cancel: float  # share of orders cancelled
    scores: tuple[int, int, int, int, int]  # weights of 1..5 stars
    recent: bool = False  # sales concentrated in the last months
    # A fixed, small number of orders instead of a share of the volume.
    few_orders: tuple[int, int] | None = None


PROFILES = (
    Profile("estrella", 3.0, 0.97, 0.01, (1, 1, 2, 12, 84)),
    Profile("grande_mediocre", 6.0, 0.80, 0.05, (10, 8, 18, 30, 34)),
    Profile("tardio", 1.5, 0.55, 0.04, (14, 12, 20, 26, 28)),
    Profile("cancela", 1.5, 0.85, 0.25, (18, 10, 16, 24, 32)),
    Profile("pequeno_perfecto", 0, 1.0, 0.0, (0, 0, 0, 0, 1), few_orders=(2, 4)),
    Profile("creciente", 2.0, 0.93, 0.02, (2, 2, 6, 25, 65), recent=True),
    Profile("promedio", 1.0, 0.88, 0.03, (6, 4, 10, 30, 50)),
)


@dataclass
class _Seller:
    seller_id: str
    profile: Profile
    categories: list[str]
    products: list["_Product"]


@dataclass
class _Product:
    product_id: str
    category: str
    name: str
    price: int


def _hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _round_guarani(amount: float) -> int:
    """Guaraní prices end in hundreds; round to 500."""
    return max(500, round(amount / 500) * 500)


def _stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP)


def _day(moment: datetime) -> str:
    return datetime.combine(moment.date(), time()).strftime(TIMESTAMP)


class _Writers:
    """One csv writer per file, opened together and closed together."""

    def __init__(self, stack: ExitStack, directory: Path) -> None:
        self.counts: dict[str, int] = {}
        self._writers: dict[str, Any] = {}
        for basename, columns in HEADERS.items():
            handle = stack.enter_context(
                (directory / basename).open("w", encoding="utf-8", newline="")
            )
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([*columns, *OPTIONAL.get(basename, ())])
            self._writers[basename] = writer
            self.counts[basename] = 0

    def write(self, basename: str, row: list[object]) -> None:
        self._writers[basename].writerow(row)
        self.counts[basename] += 1


def _sellers_make(rng: random.Random, count: int, products: int) -> list[_Seller]:
    sellers = []
    for index in range(count):
        # The first sellers get one profile each, so every kind exists.
        profile = PROFILES[index] if index < len(PROFILES) else rng.choice(PROFILES)
        categories = rng.sample(sorted(CATEGORIES), k=rng.randint(1, 3))
        sellers.append(_Seller(_hex_id(rng), profile, categories, []))
    for index in range(products):
        seller = sellers[index % count]
        category = rng.choice(seller.categories)
        _en, nouns, (low, high) = CATEGORIES[category]
        name = f"{rng.choice(nouns)} {rng.choice(VARIANTS)}"
        price = _round_guarani(rng.uniform(low, high))
        seller.products.append(_Product(_hex_id(rng), category, name, price))
    return sellers


def _catalog_write(rng: random.Random, out: _Writers, sellers: list[_Seller]) -> None:
    for name, (english, _nouns, _prices) in sorted(CATEGORIES.items()):
        out.write("product_category_name_translation.csv", [name, english])
    for seller in sellers:
        city, department, zip_code = rng.choice(CITIES)
        shop = f"{rng.choice(SHOP_WORDS)} {rng.choice(SURNAMES)}"
        out.write(
            "olist_sellers_dataset.csv",
            [seller.seller_id, zip_code, city, department, shop],
        )
        for product in seller.products:
            out.write(
                "olist_products_dataset.csv",
                [
                    product.product_id,
                    product.category,
                    len(product.name),
                    rng.randint(80, 900),
                    rng.randint(1, 6),
                    rng.randint(100, 20_000),
                    rng.randint(10, 90),
                    rng.randint(2, 60),
                    rng.randint(8, 60),
                    product.name,
                ],
            )


def _purchase_moment(rng: random.Random, profile: Profile, start: datetime) -> datetime:
    share = rng.random()
    if profile.recent:
        # Most of a rising seller's orders fall in the last quarter.
        share = 1 - share**3
    day = min(int(share * DAYS), DAYS - 1)
    return start + timedelta(days=day, seconds=rng.randint(7 * 3600, 23 * 3600))


def _sellers_per_order(
    rng: random.Random, sellers: list[_Seller], orders: int
) -> list[_Seller]:
    """Pick each order's seller: a few for tiny shops, the rest by volume."""
    picks: list[_Seller] = []
    for seller in sellers:
        if seller.profile.few_orders:
            picks.extend([seller] * rng.randint(*seller.profile.few_orders))
    picks = picks[:orders]
    weights = [seller.profile.volume for seller in sellers]
    picks.extend(rng.choices(sellers, weights=weights, k=orders - len(picks)))
    rng.shuffle(picks)
    return picks


def _orders_write(
    rng: random.Random,
    out: _Writers,
    sellers: list[_Seller],
    orders: int,
    today: date,
) -> None:
    end = datetime.combine(today, time())
    start = end - timedelta(days=DAYS)
    people = [
        (_hex_id(rng), *rng.choice(CITIES)) for _ in range(max(1, orders * 4 // 5))
    ]
    methods, method_weights = zip(*PAYMENT_METHODS, strict=True)
    for seller in _sellers_per_order(rng, sellers, orders):
        profile = seller.profile
        person_id, city, department, zip_code = rng.choice(people)
        customer_id, order_id = _hex_id(rng), _hex_id(rng)
        out.write(
            "olist_customers_dataset.csv",
            [customer_id, person_id, zip_code, city, department],
        )
        purchased = _purchase_moment(rng, profile, start)
        approved = purchased + timedelta(minutes=rng.randint(5, 600))
        promised = datetime.combine(
            (purchased + timedelta(days=rng.randint(5, 12))).date(), time()
        )
        status, shipped, delivered = "delivered", None, None
        if rng.random() < profile.cancel:
            status = rng.choice(("canceled", "canceled", "unavailable"))
        else:
            shipped = approved + timedelta(hours=rng.randint(6, 72))
            if rng.random() < profile.on_time:
                delivered = promised - timedelta(hours=rng.randint(2, 96))
                delivered = max(delivered, shipped + timedelta(hours=20))
            else:
                delivered = promised + timedelta(hours=rng.randint(26, 240))
            if shipped >= end:
                status, shipped, delivered = "invoiced", None, None
            elif delivered >= end:
                status, delivered = "shipped", None
        out.write(
            "olist_orders_dataset.csv",
            [
                order_id,
                customer_id,
                status,
                _stamp(purchased),
                _stamp(approved) if status != "unavailable" else "",
                _stamp(shipped) if shipped else "",
                _stamp(delivered) if delivered else "",
                _stamp(promised),
            ],
        )
        total = 0
        if status != "unavailable":
            lines = rng.choices((1, 1, 1, 1, 1, 1, 2, 2, 3))[0]
            for number in range(1, lines + 1):
                product = rng.choice(seller.products)
                price = _round_guarani(product.price * rng.uniform(0.95, 1.05))
                freight = _round_guarani(rng.uniform(10_000, 45_000))
                total += price + freight
                out.write(
                    "olist_order_items_dataset.csv",
                    [
                        order_id,
                        number,
                        product.product_id,
                        seller.seller_id,
                        _stamp(approved + timedelta(days=2)),
                        f"{price}.00",
                        f"{freight}.00",
                    ],
                )
            method = rng.choices(methods, weights=method_weights)[0]
            installments = rng.randint(1, 6) if method == "credit_card" else 1
            out.write(
                "olist_order_payments_dataset.csv",
                [order_id, 1, method, installments, f"{Decimal(total):.2f}"],
            )
        if rng.random() < 0.93:
            _review_write(rng, out, order_id, profile, purchased, promised, delivered)


def _review_write(
    rng: random.Random,
    out: _Writers,
    order_id: str,
    profile: Profile,
    purchased: datetime,
    promised: datetime,
    delivered: datetime | None,
) -> None:
    score = rng.choices((1, 2, 3, 4, 5), weights=profile.scores)[0]
    if delivered is None:
        score = min(score, rng.choice((1, 1, 2)))
    elif delivered > promised + timedelta(days=1):
        score = max(1, score - rng.choice((1, 2)))
    created = (delivered or promised) + timedelta(days=1)
    title, message = COMMENTS[score]
    with_text = rng.random() < 0.45
    out.write(
        "olist_order_reviews_dataset.csv",
        [
            _hex_id(rng),
            order_id,
            score,
            title if with_text and rng.random() < 0.3 else "",
            message if with_text else "",
            _day(created),
            _stamp(created + timedelta(hours=rng.randint(4, 72))),
        ],
    )


def demo_data_generate(
    *,
    directory: Path | str,
    seed: int,
    today: date,
    sellers: int = 40,
    products: int = 400,
    orders: int = 4000,
) -> dict[str, int]:
    """Write the eight Olist-format files into ``directory``.

    Returns the number of records written per file. Timestamps are naive
    wall-clock times in Asuncion, as the importer expects for ``demo``.
    """
    if sellers < 1 or products < sellers or orders < 1:
        raise ValueError("need sellers >= 1, products >= sellers, orders >= 1")
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    shop = _sellers_make(rng, sellers, products)
    with ExitStack() as stack:
        out = _Writers(stack, path)
        _catalog_write(rng, out, shop)
        _orders_write(rng, out, shop, orders, today)
    return out.counts
