"""Which vertical (group of categories) an imported category belongs to.

Verticals share ranking weights and fraud rules, so they are few and broad.
The table lists the source category names (Olist's Portuguese ones and the
Spanish ones of the demo generator) per vertical; a name it does not list
goes to ``varios``. The importer assigns a vertical only to a category that
has none, so a choice made later in the admin survives a re-import.
"""

from django.utils.text import slugify

DEFAULT_VERTICAL = "varios"

# slug -> (display name, source category names)
VERTICALS: dict[str, tuple[str, tuple[str, ...]]] = {
    "hogar": (
        "Hogar y muebles",
        (
            "cama_mesa_banho",
            "moveis_decoracao",
            "utilidades_domesticas",
            "casa_conforto",
            "casa_conforto_2",
            "moveis_cozinha_area_de_servico_jantar_e_jardim",
            "moveis_escritorio",
            "moveis_sala",
            "moveis_quarto",
            "moveis_colchao_e_estofado",
            "la_cuisine",
            "flores",
            "artigos_de_natal",
            "artigos_de_festas",
            "hogar_y_cocina",
            "muebles",
            "artesanía_paraguaya",
        ),
    ),
    "tecnologia": (
        "Tecnología y electrodomésticos",
        (
            "informatica_acessorios",
            "telefonia",
            "telefonia_fixa",
            "eletronicos",
            "pcs",
            "pc_gamer",
            "tablets_impressao_imagem",
            "consoles_games",
            "audio",
            "cine_foto",
            "eletroportateis",
            "eletrodomesticos",
            "eletrodomesticos_2",
            "portateis_casa_forno_e_cafe",
            "portateis_cozinha_e_preparadores_de_alimentos",
            "climatizacao",
            "celulares",
            "informática",
            "electrodomésticos",
            "electrónica",
        ),
    ),
    "moda-belleza": (
        "Moda y belleza",
        (
            "beleza_saude",
            "perfumaria",
            "relogios_presentes",
            "fashion_bolsas_e_acessorios",
            "fashion_calcados",
            "fashion_roupa_masculina",
            "fashion_roupa_feminina",
            "fashion_underwear_e_moda_praia",
            "fashion_esporte",
            "malas_acessorios",
            "moda_femenina",
            "moda_masculina",
            "calzados",
            "belleza_y_cuidado_personal",
        ),
    ),
    "ocio-deporte": (
        "Deporte, ocio y cultura",
        (
            "esporte_lazer",
            "livros_tecnicos",
            "livros_interesse_geral",
            "livros_importados",
            "musica",
            "instrumentos_musicais",
            "cds_dvds_musicais",
            "dvds_blu_ray",
            "artes",
            "artes_e_artesanato",
            "papelaria",
            "cool_stuff",
            "deportes",
            "libros",
        ),
    ),
    "bebes": (
        "Bebés y juguetes",
        (
            "bebes",
            "brinquedos",
            "fraldas_higiene",
            "fashion_roupa_infanto_juvenil",
            "bebés",
            "juguetes",
        ),
    ),
    "construccion": (
        "Construcción, jardín y herramientas",
        (
            "casa_construcao",
            "ferramentas_jardim",
            "construcao_ferramentas_construcao",
            "construcao_ferramentas_jardim",
            "construcao_ferramentas_ferramentas",
            "construcao_ferramentas_iluminacao",
            "construcao_ferramentas_seguranca",
            "sinalizacao_e_seguranca",
            "herramientas",
            "jardín",
        ),
    ),
    "supermercado": (
        "Alimentos, bebidas y mascotas",
        (
            "alimentos",
            "alimentos_bebidas",
            "bebidas",
            "pet_shop",
            "yerba_mate",
            "mascotas",
        ),
    ),
    DEFAULT_VERTICAL: (
        "Varios",
        (
            "automotivo",
            "market_place",
            "agro_industria_e_comercio",
            "industria_comercio_e_negocios",
            "seguros_e_servicos",
            "automotor",
        ),
    ),
}

_SLUG_BY_CATEGORY = {
    category: slug
    for slug, (_name, categories) in VERTICALS.items()
    for category in categories
}


def vertical_slug_for_category(name: str) -> str:
    """Return the slug of the vertical a source category name belongs to."""
    return _SLUG_BY_CATEGORY.get(name, DEFAULT_VERTICAL)


def category_display_name(name: str) -> str:
    """Make ``cama_mesa_banho`` readable: ``Cama mesa banho``."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def category_slug(*, source: str, name: str) -> str:
    """Slug unique across sources: ``olist-cama-mesa-banho``."""
    return slugify(f"{source} {name.replace('_', ' ')}")[:120]
