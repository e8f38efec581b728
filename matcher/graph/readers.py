"""Read networks saved by other tools, for analysis with this package.

GraphML, GEXF and node-link JSON are read by networkx. Pajek files with
several relations (``*arcs :1 "advice"``), partitions (``*Partition``) and
vectors (``*Vector``), as social-network data sets are often published, are
read here: neither networkx nor igraph keeps their relations and attributes.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import networkx as nx

from matcher.errors import InvalidDataError, InvalidOptionError, Problem
from matcher.graph.network import Network, network_from_networkx

__all__ = ["GRAPH_FORMATS", "read_network", "read_pajek"]

GRAPH_FORMATS = {
    ".paj": "Pajek",
    ".net": "Pajek",
    ".graphml": "GraphML",
    ".gexf": "GEXF",
    ".json": "node-link JSON",
}

_RELATION = re.compile(r"^\*(arcs|edges)\s+:(\d+)\s*(.*)$", re.IGNORECASE)
_LINE_RELATION = re.compile(r"^(\d+):\s*(.*)$")


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path.name, None, None, f"line {line}: {message}"))

    def number(self, text: str, line: int, what: str) -> int | None:
        try:
            return int(text)
        except ValueError:
            self.fail(line, f"{what} {text!r} is not a whole number")
            return None


def read_pajek(path: str | Path) -> nx.MultiDiGraph | nx.MultiGraph:
    """A networkx multigraph from a Pajek file, one edge per arc or edge line.

    Relations declared as ``*arcs :k "name"`` (or ``*edges :k "name"``) become
    the edge attribute ``kind`` (``"tie"`` when none is declared) and the line's
    value becomes ``weight``. Partitions become integer node attributes and
    vectors numeric ones, named after the file they came from
    (``*Partition office.clu`` gives ``office``). Nodes are the vertex labels
    when these are distinct, else the vertex numbers; the number is kept as
    ``number``. The graph is directed when the file has arcs; edges of a
    mixed file are then stored once, from the first vertex to the second.

    Raises
    ------
    InvalidDataError
        For anything that cannot be read, with the file and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = '*Vertices 3\\n1 "a"\\n2 "b"\\n3 "c"\\n*arcs :1 "advice"\\n*arcs\\n1: 1 2 1\\n'
    >>> text += '*Partition office.clu\\n*Vertices 3\\n1\\n1\\n2\\n'
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.paj"
    >>> _ = path.write_text(text)
    >>> G = read_pajek(path)
    >>> list(G.edges(data="kind")), dict(G.nodes(data="office"))
    ([('a', 'b', 'advice')], {'a': 1, 'b': 1, 'c': 2})
    """
    path = Path(path)
    reader = _Reader(path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InvalidDataError(
            [Problem(path.name, None, None, f"cannot be read: {exc.strerror or exc}")], source=str(path)
        ) from None
    labels: list[str] = []
    relations: dict[int, str] = {}
    edges: list[tuple[int, int, int | None, float, bool, int]] = []  # u, v, relation, weight, arc, line
    columns: dict[str, list[float]] = {}
    section: str | None = None
    expected = 0
    vector_name = ""
    vector_values: list[float] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("%"):
            continue
        if text.startswith("*"):
            word = text.split()[0].lower()
            relation = _RELATION.match(text)
            if relation:
                key = int(relation.group(2))
                name = relation.group(3).strip().strip('"') or f"relation {key}"
                relations[key] = name
                section = None
            elif word in ("*arcs", "*edges"):
                section = word[1:]
            elif word == "*vertices":
                parts = text.split()
                count = reader.number(parts[1], number, "vertex count") if len(parts) > 1 else None
                if count is None:
                    reader.fail(number, "*Vertices needs the number of vertices")
                    section = None
                    continue
                if vector_name:  # the vertex count of a partition or vector
                    expected = count
                    section = "values"
                    if labels and count != len(labels):
                        reader.fail(
                            number, f"{vector_name} has {count} vertices; the network has {len(labels)}"
                        )
                elif labels:
                    reader.fail(number, "a second *Vertices list; one network per file is read")
                    section = None
                else:
                    expected = count
                    section = "vertices"
            elif word in ("*partition", "*vector"):
                parts = text.split(maxsplit=1)
                vector_name = Path(parts[1].strip().strip('"')).stem if len(parts) > 1 else "partition"
                vector_values = []
                columns[vector_name] = vector_values
                section = None
            elif word == "*network":
                section = None
            else:
                reader.fail(number, f"{text.split()[0]} sections are not read; use *arcs or *edges lists")
                section = None
            if word not in ("*partition", "*vector", "*vertices"):
                vector_name = ""
            continue
        if section == "vertices":
            try:
                parts = shlex.split(text)
            except ValueError:
                parts = text.split()
            if len(labels) >= expected:
                reader.fail(number, f"more vertices than the {expected} announced")
                continue
            if reader.number(parts[0], number, "vertex number") != len(labels) + 1:
                reader.fail(number, f"vertex {parts[0]} out of order; expected {len(labels) + 1}")
            labels.append(parts[1] if len(parts) > 1 else parts[0])
        elif section in ("arcs", "edges"):
            key: int | None = None
            body = text
            tagged = _LINE_RELATION.match(text)
            if tagged:
                key, body = int(tagged.group(1)), tagged.group(2)
                if key not in relations:
                    reader.fail(number, f'relation {key} is not declared (*{section} :{key} "name")')
            parts = body.split()
            ends = [reader.number(p, number, "vertex") for p in parts[:2]]
            if len(parts) < 2 or None in ends:
                if len(parts) < 2:
                    reader.fail(number, "an arc or edge needs two vertex numbers")
                continue
            u, v = ends[0], ends[1]
            assert u is not None and v is not None
            if not (1 <= u <= len(labels) and 1 <= v <= len(labels)):
                reader.fail(number, f"vertex {u if not 1 <= u <= len(labels) else v} is not among the "
                            f"{len(labels)} vertices")  # fmt: skip
                continue
            try:
                weight = float(parts[2]) if len(parts) > 2 else 1.0
            except ValueError:
                reader.fail(number, f"value {parts[2]!r} is not a number")
                continue
            edges.append((u - 1, v - 1, key, weight, section == "arcs", number))
        elif section == "values":
            if len(vector_values) >= expected:
                reader.fail(number, f"more values than the {expected} vertices")
                continue
            try:
                vector_values.append(float(text.split()[0]))
            except ValueError:
                reader.fail(number, f"value {text.split()[0]!r} is not a number")
        else:
            reader.fail(number, "a line outside any *Vertices, *arcs or *edges section")
    if not labels and not reader.problems:
        reader.fail(len(lines), "no *Vertices list")
    for name, values in columns.items():
        if labels and len(values) != len(labels):
            reader.fail(len(lines), f"{name} has {len(values)} values for {len(labels)} vertices")
    if reader.problems:
        raise InvalidDataError(reader.problems, source=str(path))

    distinct = len(set(labels)) == len(labels)
    names: list[str | int] = list(labels) if distinct else list(range(1, len(labels) + 1))
    directed = any(arc for *_, arc, _ in edges)
    graph: nx.MultiDiGraph | nx.MultiGraph = nx.MultiDiGraph() if directed else nx.MultiGraph()
    for i, node in enumerate(names):
        attrs: dict[str, object] = {"number": i + 1, "label": labels[i]}
        for name, values in columns.items():
            value = values[i]
            attrs[name] = int(value) if value.is_integer() else value
        graph.add_node(node, **attrs)
    for u, v, key, weight, _, _ in edges:
        kind = relations.get(key, "tie") if key is not None else "tie"
        graph.add_edge(names[u], names[v], kind=kind, weight=weight)
    return graph


def read_network(path: str | Path) -> Network:
    """A network from a graph file: Pajek, GraphML, GEXF or node-link JSON.

    Edges keep their ``kind``, ``strength``, ``wave`` and ``sign`` attributes
    when present; node attributes are kept for homophily and scoping.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> path = tempfile.mkdtemp() + "/karate.graphml"
    >>> nx.write_graphml(nx.karate_club_graph(), path)
    >>> net = read_network(path)
    >>> net.n, len(net.kind), sorted(net.attributes)
    (34, 78, ['club'])
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in GRAPH_FORMATS:
        raise InvalidOptionError(
            f"cannot read {path.name}: use one of "
            + ", ".join(f"{s} ({f})" for s, f in GRAPH_FORMATS.items())
        )
    if not path.is_file():
        raise InvalidDataError([Problem(path.name, None, None, "no such file")], source=str(path))
    if suffix in (".paj", ".net"):
        return network_from_networkx(read_pajek(path))
    try:
        if suffix == ".graphml":
            graph = nx.read_graphml(path)
        elif suffix == ".gexf":
            graph = nx.read_gexf(path)
        else:
            graph = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    except (ValueError, KeyError, TypeError, nx.NetworkXError) as exc:
        # ElementTree's ParseError and json's JSONDecodeError are ValueErrors or SyntaxErrors.
        raise InvalidDataError(
            [Problem(path.name, None, None, f"is not valid {GRAPH_FORMATS[suffix]}: {exc}")], source=str(path)
        ) from None
    except SyntaxError as exc:
        raise InvalidDataError(
            [Problem(path.name, None, None, f"is not valid {GRAPH_FORMATS[suffix]}: {exc.msg}")],
            source=str(path),
        ) from None
    return network_from_networkx(graph)
