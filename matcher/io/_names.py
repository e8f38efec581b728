"""The names a dataset may use: files, sheets, columns and codes, in English or Spanish.

Every name is matched as :func:`normal` writes it (case and accents ignored,
spaces and hyphens as ``_``), so ``Trabajadores``, ``trabajadores`` and
``TRABAJADORES`` are the same header, and ``Control de calidad`` is the
process ``quality_control``. The tables here are the ones
``docs/data-contract.md`` documents; a test keeps them in step.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

FILES = ("workshops", "ties", "lead_firms", "orders", "routings", "contacts")

#: Other names of each file (without ``.csv``) or sheet.
FILE_ALIASES: dict[str, tuple[str, ...]] = {
    "workshops": ("talleres",),
    "ties": ("lazos", "vinculos"),
    "lead_firms": ("empresas", "empresas_lideres", "empresas_ancla"),
    "orders": ("pedidos",),
    "routings": ("rutas", "hojas_de_ruta"),
    "contacts": ("contactos",),
}

#: The columns of each file, in the order the writer puts them.
COLUMNS: dict[str, tuple[str, ...]] = {
    "workshops": (
        "workshop_id",
        "territory",
        "workers",
        "women_workers",
        "hours_per_week",
        "efficiency",
        "capacity_minutes_per_week",
        "committed_minutes_per_week",
        "products",
        "processes",
        "machines",
        "quality",
        "formal",
        "can_lead",
        "cost_per_minute",
        "organizations",
        "reliability",
    ),
    "ties": ("source", "target", "kind", "strength", "wave"),
    "lead_firms": ("firm_id", "name", "territory"),
    "orders": (
        "order_id",
        "firm_id",
        "product",
        "quantity",
        "due_weeks",
        "due_date",
        "min_quality",
        "max_group_size",
        "territories",
        "require_formal",
        "processes",
    ),
    "routings": ("product", "process", "minutes_per_unit"),
    "contacts": ("workshop_id", "owner_name", "phone", "address", "lat", "lon"),
}

#: The number columns of the files a national registry makes large, which a CSV's reader may
#: parse as numbers when no cell can be read two ways (``_tables``); whole numbers among them too.
NUMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "workshops": (
        "workers",
        "women_workers",
        "hours_per_week",
        "efficiency",
        "capacity_minutes_per_week",
        "committed_minutes_per_week",
        "quality",
        "cost_per_minute",
        "reliability",
    ),
    "ties": ("strength",),
    "contacts": ("lat", "lon"),
}

#: Text columns of those files that repeat a few values over many rows (a territory, a list of
#: processes, a tie's kind), which a CSV's reader may hold as each distinct value and a code per row.
REPEATED_COLUMNS: dict[str, tuple[str, ...]] = {
    "workshops": ("territory", "products", "processes", "machines", "organizations"),
    "ties": ("kind",),
}

#: Columns a file cannot do without (an order needs ``due_weeks`` or ``due_date``: see ``_load``).
REQUIRED: dict[str, tuple[str, ...]] = {
    "workshops": ("workshop_id", "territory", "workers", "products", "processes"),
    "ties": ("source", "target", "kind"),
    "lead_firms": ("firm_id",),
    "orders": ("order_id", "product", "quantity"),
    "routings": ("product", "process", "minutes_per_unit"),
    "contacts": ("workshop_id",),
}

_WORKSHOP_ID = ("id_taller", "taller")
_FIRM_ID = ("id_empresa", "empresa")

#: Other names of each column, per file.
COLUMN_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "workshops": {
        "workshop_id": _WORKSHOP_ID,
        "territory": ("territorio",),
        "workers": ("trabajadores",),
        "women_workers": ("trabajadoras", "mujeres"),
        "hours_per_week": ("horas_por_semana", "horas_semanales"),
        "efficiency": ("eficiencia",),
        "capacity_minutes_per_week": ("capacidad_minutos_por_semana", "capacidad_minutos_semana"),
        "committed_minutes_per_week": ("minutos_comprometidos_por_semana", "minutos_comprometidos"),
        "products": ("productos",),
        "processes": ("procesos",),
        "machines": ("maquinas",),
        "quality": ("calidad",),
        "can_lead": ("puede_liderar",),
        "cost_per_minute": ("costo_por_minuto",),
        "organizations": ("organizaciones",),
        "reliability": ("confiabilidad",),
    },
    "ties": {
        "source": ("origen",),
        "target": ("destino",),
        "kind": ("tipo",),
        "strength": ("fuerza",),
        "wave": ("ola", "ronda"),
    },
    "lead_firms": {"firm_id": _FIRM_ID, "name": ("nombre",), "territory": ("territorio",)},
    "orders": {
        "order_id": ("id_pedido", "pedido"),
        "firm_id": _FIRM_ID,
        "product": ("producto",),
        "quantity": ("cantidad",),
        "due_weeks": ("semanas_entrega", "semanas"),
        "due_date": ("fecha_entrega",),
        "min_quality": ("calidad_minima",),
        "max_group_size": ("tamano_maximo_grupo", "maximo_talleres"),
        "territories": ("territorios",),
        "require_formal": ("requiere_formal", "exige_formal"),
        "processes": ("procesos",),
    },
    "routings": {
        "product": ("producto",),
        "process": ("proceso",),
        "minutes_per_unit": ("minutos_por_unidad",),
    },
    "contacts": {
        "workshop_id": _WORKSHOP_ID,
        "owner_name": ("nombre_dueno", "dueno"),
        "phone": ("telefono",),
        "address": ("direccion",),
        "lat": ("latitud",),
        "lon": ("longitud",),
    },
}

#: Other names of the codes people type: tie kinds, and the default catalogue's processes and products.
CODE_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {
        "kinship": ("parentesco", "familia"),
        "friendship": ("amistad",),
        "subcontracting": ("subcontratacion",),
        "mentoring": ("mentoria",),
        "machine_lending": ("prestamo_de_maquinas", "prestamo_maquinas"),
        "joint_purchase": ("compra_conjunta", "compras_conjuntas"),
        "association": ("asociacion",),
        "conflict": ("conflicto",),
    },
    "process": {
        "cutting": ("corte",),
        "sewing": ("costura",),
        "washing": ("lavado",),
        "finishing": ("terminacion", "acabado"),
        "ironing": ("planchado",),
        "packing": ("empaque", "embalaje"),
        "embroidery": ("bordado",),
        "screen_printing": ("serigrafia",),
        "buttonholing": ("ojales_y_botones", "ojales"),
        "pattern_making": ("molderia",),
        "quality_control": ("control_de_calidad",),
    },
    "product": {
        "jeans": ("jean", "vaqueros"),
        "tshirt": ("remera", "remeras"),
        "polo_shirt": ("camisa_polo", "camisas_polo", "polo"),
        "school_shirt": ("camisa_escolar", "camisas_escolares"),
        "school_trousers": ("pantalon_escolar", "pantalones_escolares"),
        "childrens_wear": ("ropa_infantil",),
        "sports_jersey": ("camiseta_deportiva", "camisetas_deportivas"),
        "work_uniform": ("uniforme_de_trabajo", "uniformes_de_trabajo"),
    },
}

_MARKS = re.compile(r"[\s\-]+")


def normal(text: str) -> str:
    """A name as it is matched: accents dropped, lower case, spaces and hyphens as ``_``.

    Examples
    --------
    >>> normal(" Tamaño máximo-grupo "), normal("Control de calidad")
    ('tamano_maximo_grupo', 'control_de_calidad')
    """
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _MARKS.sub("_", plain.strip().lower())


def file_of(name: str) -> str | None:
    """The file a file or sheet name stands for (``Talleres.csv`` → ``workshops``), or None.

    Examples
    --------
    >>> file_of("Talleres.csv"), file_of("empresas líderes"), file_of("notes.txt")
    ('workshops', 'lead_firms', None)
    """
    stem = normal(name)
    stem = stem.removesuffix(".csv") if stem.endswith(".csv") else stem
    for file in FILES:
        if stem == file or stem in FILE_ALIASES[file]:
            return file
    return None


def names_of(file: str) -> dict[str, str]:
    """Every accepted name of a file's columns (normalized) → the column it stands for.

    Examples
    --------
    >>> names_of("ties")["origen"], names_of("ties")["source"]
    ('source', 'source')
    """
    names = {column: column for column in COLUMNS[file]}
    for column, aliases in COLUMN_ALIASES[file].items():
        names.update(dict.fromkeys(aliases, column))
    return names


def codes_of(group: str, known: Iterable[str]) -> dict[str, str]:
    """Every accepted way of writing the ``known`` codes of a group (normalized) → the code.

    A code is itself and, if it is one of the catalogue's, its Spanish names
    (:data:`CODE_ALIASES`); a dataset's own codes win over an alias.

    Examples
    --------
    >>> names = codes_of("process", ["sewing", "cutting", "bagging"])
    >>> names["costura"], names["bagging"], "lavado" in names
    ('sewing', 'bagging', False)
    """
    known = set(known)
    names = {
        alias: code for code, aliases in CODE_ALIASES[group].items() if code in known for alias in aliases
    }
    names.update({normal(code): code for code in known})
    names.update({code: code for code in known})
    return names


def nearest(word: str, names: Iterable[str], *, cutoff: float = 0.75) -> str | None:
    """The accepted name closest to a misspelt ``word`` (``pakcing`` → ``packing``), or None.

    Examples
    --------
    >>> nearest("pakcing", ["packing", "cutting"]), nearest("trabajdores", ["trabajadores", "territorio"])
    ('packing', 'trabajadores')
    >>> nearest("welding", ["packing", "sewing"]) is None
    True
    """
    found = difflib.get_close_matches(normal(word), list(names), n=1, cutoff=cutoff)
    return found[0] if found else None


def spoken(name: str) -> str:
    """A normalized name as people write it (``control_de_calidad`` → ``control de calidad``);
    codes stay as they are."""
    return name.replace("_", " ")
