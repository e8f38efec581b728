"""Write the network with its computed metrics for other tools.

GraphML and GEXF open in Gephi (and Cytoscape, yEd): one node per workshop
with its characterisation and metrics, one edge per tie row with ``kind``,
``strength``, ``wave`` and ``sign``. Node-link JSON is networkx's format;
the CSV has one row per workshop, its text cells written so that no spreadsheet
runs them (a quote before a leading ``=``, ``+``, ``-``, ``@``, tab or line break;
numbers stay numbers). Parquet (the ``parquet`` extra, pyarrow) holds the same
table with its types, for pandas, Arrow, DuckDB or Spark at national scale. Both
tables are written a chunk of rows at a time, so a table of a million workshops
is never held twice. Contacts are never written.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from matcher.errors import InvalidOptionError
from matcher.extras import require
from matcher.graph.network import Network, as_network, scoped
from matcher.graph.report import workshop_table
from matcher.io._cells import inert

__all__ = ["FORMATS", "check_export", "export_network", "to_networkx", "write_table"]

FORMATS = {
    ".graphml": "GraphML",
    ".gexf": "GEXF",
    ".json": "node-link JSON",
    ".csv": "per-workshop CSV",
    ".parquet": "per-workshop Parquet",
}
#: The formats that hold the per-workshop table alone (no ties): written in chunks, at any size.
TABLE_FORMATS = (".csv", ".parquet")
#: Rows written at a time: a chunk is made inert (CSV) or columnar (Parquet) and written, then dropped.
CHUNK_ROWS = 100_000


def _plain(value: Any) -> Any:
    """GraphML and GEXF take str, int, float and bool only; no None."""
    if value is None:
        return ""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, tuple | list):
        return ";".join(map(str, value))
    return value


def _inert_table(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell, id and header inert (numbers and booleans as they are)."""

    def text(value: Any) -> Any:
        return inert(value) if isinstance(value, str) else value

    table = table.copy()
    for column in table.columns:
        if not (pd.api.types.is_numeric_dtype(table[column]) or pd.api.types.is_bool_dtype(table[column])):
            table[column] = table[column].map(text)
    table.index = table.index.map(text)
    table.index.name = text(table.index.name)
    table.columns = [text(c) for c in table.columns]
    return table


def metrics_graph(net: Network, **options: Any) -> nx.MultiGraph:
    """A networkx multigraph of ``net`` whose nodes carry attributes and metrics."""
    table = workshop_table(net, **options)
    graph = nx.MultiGraph()
    for workshop_id, row in table.iterrows():
        graph.add_node(workshop_id, **{k: _plain(v) for k, v in row.items()})
    for s, t, k, st, w, neg in zip(
        net.source.tolist(), net.target.tolist(), net.kind.tolist(), net.strength.tolist(),
        net.wave.tolist(), net.negative.tolist(), strict=True,
    ):  # fmt: skip
        graph.add_edge(
            net.ids[s], net.ids[t], kind=k, strength=int(st), wave=_plain(w), sign=-1 if neg else 1,
            directed=k in net.directed_kinds, source=net.ids[s], target=net.ids[t],
        )  # fmt: skip
    return graph


def to_networkx(data: Any, **options: Any) -> nx.MultiGraph:
    """A networkx multigraph with one edge per tie and every workshop's attributes and metrics.

    Takes the scope and analysis options of :func:`export_network`; what it
    returns is what the GraphML and GEXF files hold.

    Examples
    --------
    >>> import networkx as nx
    >>> G = to_networkx(nx.florentine_families_graph())
    >>> max(G.nodes, key=lambda v: G.nodes[v]["betweenness"]), G.nodes["Medici"]["articulation_point"]
    ('Medici', True)
    """
    scope = {k: options.pop(k, None) for k in ("territory", "organization", "workshops")}
    return metrics_graph(scoped(as_network(data), **scope), **options)


def export_network(
    data: Any, path: str | Path, *, overwrite: bool = False, table: pd.DataFrame | None = None, **options: Any
) -> Path:
    """Write the network and its per-workshop metrics; the format follows the suffix.

    Parameters
    ----------
    data : Cluster, Network or networkx graph
    path : str or Path
        ``.graphml``, ``.gexf``, ``.json`` (node-link), or ``.csv`` or ``.parquet``
        (one row per workshop; Parquet needs the ``parquet`` extra).
    overwrite : bool
        Replace an existing file instead of refusing.
    table : pandas.DataFrame, optional
        The per-workshop table already computed (:func:`matcher.graph.cohesion_analysis`):
        a ``.csv`` or ``.parquet`` file is written from it, not from a new analysis.
    **options
        Scope and analysis options of :func:`matcher.graph.workshop_table`
        (``territory``, ``organization``, ``workshops``, ``seed``, ``resolution``, ...).

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> path = export_network(nx.karate_club_graph(), tempfile.mkdtemp() + "/karate.graphml")
    >>> G = nx.read_graphml(path)
    >>> G.number_of_nodes(), G.number_of_edges(), sorted(G.nodes["0"])[:3]
    (34, 78, ['articulation_point', 'betweenness', 'broker'])
    """
    path = Path(path)
    suffix = path.suffix.lower()
    check_export(path, overwrite=overwrite)
    scope = {k: options.pop(k, None) for k in ("territory", "organization", "workshops")}
    if table is not None and suffix in TABLE_FORMATS:
        return write_table(table, path, overwrite=overwrite)
    net = scoped(as_network(data), **scope)
    if suffix in TABLE_FORMATS:
        return write_table(workshop_table(net, **options).reset_index(), path, overwrite=overwrite)
    graph = metrics_graph(net, **options)
    with _replaced(path) as temporary:
        if suffix == ".graphml":
            nx.write_graphml(graph, temporary)
        elif suffix == ".gexf":
            nx.write_gexf(graph, temporary)
        else:
            data_out = nx.node_link_data(graph, edges="edges")
            Path(temporary).write_text(
                json.dumps(data_out, ensure_ascii=False, default=str), encoding="utf-8"
            )
    return path


@contextmanager
def _replaced(path: Path) -> Iterator[str]:
    """A file beside ``path`` to write, put in its place whole once the block ends well (else removed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def check_export(path: str | Path, *, overwrite: bool = False) -> None:
    """Refuse a file of a kind :func:`export_network` cannot write, one that exists (unless
    ``overwrite``), or a Parquet file without the ``parquet`` extra; before any work is done.

    Examples
    --------
    >>> check_export("red.pdf")
    Traceback (most recent call last):
    ...
    matcher.errors.InvalidOptionError: cannot export to red.pdf: use one of .graphml (GraphML), \
.gexf (GEXF), .json (node-link JSON), .csv (per-workshop CSV), .parquet (per-workshop Parquet)
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidOptionError(
            f"cannot export to {path.name}: use one of " + ", ".join(f"{s} ({f})" for s, f in FORMATS.items())
        )
    if path.exists() and not overwrite:
        raise InvalidOptionError(f"{path} already exists; choose another path or overwrite it")
    if suffix == ".parquet":
        require("parquet", f"writing {path.name}")


def write_table(table: pd.DataFrame, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a per-workshop table as CSV (inert text) or Parquet, :data:`CHUNK_ROWS` rows at a time.

    The file appears whole or not at all (written beside it, then renamed).

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> from matcher.graph import cohesion_analysis
    >>> _, table = cohesion_analysis(nx.path_graph(3))
    >>> path = write_table(table, tempfile.mkdtemp() + "/path.csv")
    >>> rows = pd.read_csv(path, dtype={"workshop_id": str})
    >>> list(zip(rows["workshop_id"], rows["degree"], rows["betweenness"]))
    [('0', 1, 0.0), ('1', 2, 1.0), ('2', 1, 0.0)]
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise InvalidOptionError(f"cannot write the table to {path.name}: use .csv or .parquet")
    check_export(path, overwrite=overwrite)
    with _replaced(path) as temporary:
        if suffix == ".csv":
            _write_csv(table, temporary)
        else:
            _write_parquet(table, temporary)
    return path


def _chunks(table: pd.DataFrame) -> Any:
    for start in range(0, max(len(table), 1), CHUNK_ROWS):
        yield table.iloc[start : start + CHUNK_ROWS]


def _write_csv(table: pd.DataFrame, path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for i, chunk in enumerate(_chunks(table)):
            _inert_table(chunk.set_index(chunk.columns[0])).to_csv(handle, header=i == 0)


def _write_parquet(table: pd.DataFrame, path: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.Schema.from_pandas(table.iloc[:0], preserve_index=False)
    with pq.ParquetWriter(path, schema) as writer:
        for chunk in _chunks(table):
            writer.write_table(pa.Table.from_pandas(chunk, schema=schema, preserve_index=False))
