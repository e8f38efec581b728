"""Rich rendering of library results for people at a terminal.

Everything here reads the JSON-ready dicts the library returns (the same data
``--json`` prints), so what a person sees and what a program reads never drift.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from matcher.errors import Problem
from matcher.messages import Message, fill
from matcher.model import Cluster


def _num(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _count(n: int, noun: str) -> str:
    """``1 bridge``, ``2 bridges``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _say(key: str, lang: str, **args: Any) -> str:
    return escape(Message(key, args).say(lang))


def problems(
    console: Console, found: Sequence[Problem], *, source: str | None = None, lang: str = "en"
) -> None:
    """Every problem of a refused dataset, one line each, then what to do (in ``lang``)."""
    n = len(found)
    head = (
        _say("validate.problems_in", lang, count=n, source=source)
        if source
        else _say("validate.problems", lang, count=n)
    )
    console.print(f"[bold red]{head}[/]")
    for problem in found:
        console.print(f"  • {problem.say(lang)}", markup=False, highlight=False)
    console.print(_say("validate.fix", lang))
    if any(p.key == "problem.ambiguous" for p in found):
        console.print(_say("validate.decimal_hint", lang))


def validation(console: Console, report: Any, *, lang: str = "en") -> None:
    """The outcome of ``matcher validate``, in ``lang``."""
    if report.warnings:
        console.print(f"[yellow]{_say('validate.warnings', lang, count=len(report.warnings))}[/]")
        for warning in report.warnings:
            console.print(f"  • {warning.say(lang)}", markup=False, highlight=False)
    if report.ok:
        row = Message("validate.rows").template(lang)  # inside a sentence: file names keep their case
        counts = ", ".join(fill(row, {"file": f, "rows": rows}, lang) for f, rows in report.counts.items())
        console.print(f"[bold green]{_say('validate.valid', lang, source=report.source, counts=counts)}[/]")
    else:
        problems(console, report.problems, source=report.source, lang=lang)


def sample_header(console: Console, cluster: Cluster, source: str) -> None:
    """What the demo is about to work on."""
    territories = Counter(w.territory for w in cluster.workshops)
    parts = ", ".join(f"{name} {count}" for name, count in sorted(territories.items()))
    console.rule("[bold]matcher demo[/]")
    console.print(
        f"Synthetic sample cluster from {source}\n"
        f"{_count(len(cluster.workshops), 'workshop')} ({parts}), {_count(len(cluster.ties), 'tie row')}, "
        f"{_count(len(cluster.lead_firms), 'lead firm')}, {_count(len(cluster.orders), 'order')}.\n"
        "[dim]All workshops, people and firms in it are invented.[/]"
    )


def _plain_words(net: Mapping[str, Any]) -> str:
    n = net["workshops"]
    isolates = net["isolates"]
    share = f" ({isolates / n:.0%})" if n else ""
    density = net["density"]
    spread = "sparse" if density < 0.05 else "dense" if density > 0.3 else "moderately connected"
    return (
        f"The collaboration network is {spread} (density {density:.3f}), in {net['components']:,} "
        f"connected part{'s' if net['components'] != 1 else ''}; "
        f"{isolates:,} workshop{'s' if isolates != 1 else ''}{share} "
        f"{'have' if isolates != 1 else 'has'} no positive tie. "
        f"Leiden finds {net['communities']:,} communities (modularity {net['modularity']:.2f})."
    )


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, left: int = 1) -> Table:
    """A table whose first ``left`` columns are text and the rest numbers."""
    table = Table(title=title, title_justify="left")
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i < left else "right")
    for row in rows:
        table.add_row(*(value if isinstance(value, str) else _num(value) for value in row))
    return table


def _measures(title: str, rows: Iterable[tuple[str, Any]]) -> Table:
    """A two-column table of labelled values; text is shown as is, numbers formatted."""
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for label, value in rows:
        table.add_row(label, value if isinstance(value, str) else _num(value))
    return table


def _summary(console: Console, report: Mapping[str, Any], title: str) -> None:
    net = report["network"]
    rows: list[tuple[str, Any]] = [
        ("Workshops", net["workshops"]),
        ("Ties (pairs per kind, all waves)", net["ties"]),
        ("Tie rows (as recorded, every wave)", net.get("tie_rows")),
        ("Density (collaboration graph)", net["density"]),
        ("Connected components", net["components"]),
        ("Share in largest component", net.get("largest_component_share")),
        ("Transitivity", net.get("transitivity")),
        ("Average clustering", net["average_clustering"]),
        ("Communities (Leiden)", net["communities"]),
        ("Modularity", net["modularity"]),
        ("Isolates (no positive tie)", net["isolates"]),
    ]
    cores = report.get("cores")
    if cores:
        rows.append(("Highest k-core", cores["max_core"]))
    console.print(_measures(title, [(label, value) for label, value in rows if value is not None]))


def _kinds(console: Console, report: Mapping[str, Any]) -> None:
    net = report["network"]
    density = report.get("kinds", {}).get("density_by_kind", {})
    table = Table(title="Ties by kind (pairs)", title_justify="left")
    table.add_column("kind")
    table.add_column("pairs", justify="right")
    if density:
        table.add_column("density", justify="right")
    for kind, count in net["ties_by_kind"].items():
        style = "red" if kind == "conflict" and count else None
        extra = [_num(density.get(kind, 0.0), 4)] if density else []
        table.add_row(kind, _num(count), *extra, style=style)
    console.print(table)


def _brokers(console: Console, report: Mapping[str, Any], top: int) -> None:
    workshops = report.get("workshops", [])
    brokers = report.get("brokers", {})
    how = brokers.get("betweenness", {"method": "exact"})
    if not top or not workshops:
        return
    if how["method"] == "none":
        label = "constraint"

        def key(w: Mapping[str, Any]) -> tuple[Any, ...]:
            return (w["constraint"] is None, w["constraint"] or 0.0, w["workshop_id"])
    else:
        label = "betweenness"

        def key(w: Mapping[str, Any]) -> tuple[Any, ...]:
            return (-(w["betweenness"] or 0.0), w["workshop_id"])

    # Brokers have betweenness above zero; the table lists only them, never padded with the rest.
    qualified = [w for w in workshops if w.get("broker", True)]
    ranked = sorted(qualified, key=key)[:top]
    columns = ["workshop", "degree", "betweenness", "constraint", "eff. size", "comm.", "cut"]
    rows = [
        (w["workshop_id"], w["degree"], w["betweenness"], w.get("constraint"), w.get("effective_size"),
         w["community"], "yes" if w.get("articulation_point") else "")
        for w in ranked
    ]  # fmt: skip
    many = _count(len(qualified), "broker")
    shown = f"Top {len(ranked)} of {many}" if len(ranked) < len(qualified) else many.capitalize()
    title = f"{shown} (betweenness above zero; by {label})"
    if ranked:
        console.print(_table(title, columns, rows))
    else:
        console.print("No broker: no workshop has two partners that are not tied to each other.")
    notes = []
    if how["method"] == "sampled":
        notes.append(
            f"betweenness sampled from {how['samples']:,} sources, "
            f"standard error up to {how['max_standard_error']:.3f}"
        )
    elif how["method"] == "none":
        notes.append(how.get("note", "betweenness not computed"))
    if "articulation_points" in brokers:
        notes.append(
            f"{_count(brokers['articulation_points'], 'cut point')} (workshops whose loss splits the "
            f"network), {_count(brokers['bridges'], 'bridge')}"
        )
    for note in notes:
        console.print(f"[dim]{note}[/]")


def _communities(console: Console, report: Mapping[str, Any]) -> None:
    comm = report.get("communities")
    if not comm or not comm["count"]:
        return
    stability = comm.get("stability") or {}
    sizes = comm["sizes"]
    shown = ", ".join(f"{s:,}" for s in sizes[:12]) + (", ..." if len(sizes) > 12 else "")
    line = (
        f"Communities: {comm['count']:,} at resolution {comm['resolution']:g} (seed {comm['seed']}), "
        f"modularity {comm['modularity']:.3f}; sizes {shown}."
    )
    if stability.get("runs", 1) > 1:
        line += (
            f" Stable across {stability['runs']} seeds: mean ARI {stability['mean_ari']:.2f}, "
            f"NMI {stability['mean_nmi']:.2f}."
        )
    console.print(line)


def _homophily(console: Console, report: Mapping[str, Any]) -> None:
    found = report.get("homophily")
    if not found:
        return
    rows = [
        (name, h["categories"], h["within"], h["across"], h["assortativity"], h["ei_index"])
        for name, h in found.items()
    ]
    columns = ["attribute", "values", "within", "across", "assort.", "E-I"]
    console.print(_table("Homophily (do workshops tie to workshops like themselves?)", columns, rows))


def _signed(console: Console, report: Mapping[str, Any]) -> None:
    signed = report.get("signed")
    if not signed:
        return
    balance = signed["balance"]
    share = balance["balanced_share"]
    if not signed["conflict_pairs"]:
        text = "Mistrust: no conflict ties recorded."
    else:
        text = (
            f"Mistrust: {_count(signed['conflict_pairs'], 'conflict pair')} "
            f"({signed['conflict_pair_share']:.1%} of tied pairs), "
            f"{signed['conflict_within_communities']:,} within communities and "
            f"{signed['conflict_between_communities']:,} between."
        )
    if share is not None and signed["conflict_pairs"]:
        text += f" {share:.1%} of {balance['triangles']:,} signed triangles are balanced."
    console.print(text)
    kinds = report.get("kinds")
    if kinds:
        best = sorted(kinds["overlap"], key=lambda o: (-o["jaccard"], o["kinds"]))[:3]
        pairs = "; ".join(f"{' & '.join(o['kinds'])} {o['jaccard']:.2f}" for o in best if o["jaccard"])
        console.print(
            f"Multiplexity: {kinds['multiplexity']:.1%} of tied pairs are joined by more than one kind"
            + (f"; most overlapping kinds (Jaccard): {pairs}." if pairs else ".")
        )


def cohesion(
    console: Console, report: Mapping[str, Any], *, title: str, top: int = 10, full: bool = True
) -> None:
    """Network summary, ties by kind and the main brokers; with ``full`` every section."""
    _summary(console, report, title)
    _kinds(console, report)
    _brokers(console, report, top)
    if full:
        _communities(console, report)
        _homophily(console, report)
        _signed(console, report)
    console.print(_plain_words(report["network"]))


def group(console: Console, g: Mapping[str, Any]) -> None:
    """How a given group of workshops holds together."""
    rows: list[tuple[str, Any]] = [
        ("Members", ", ".join(g["workshops"])),
        ("Tied pairs inside", f"{g['positive_pairs']} of {g['possible_pairs']}"),
        ("Internal density", g["internal_density"]),
        ("Minimum ties inside per member", g["min_internal_degree"]),
        ("Connected through positive ties", "yes" if g["connected"] else f"no ({g['components']} parts)"),
        ("Node connectivity (structural cohesion)", g["node_connectivity"]),
        ("Diameter inside the group", g["diameter"]),
        ("Longest distance in the whole network", g["max_distance"]),
        ("Ties to workshops outside", g["external_ties"]),
        ("E-I index", g["ei_index"]),
        ("Conductance", g["conductance"]),
        ("Tied pairs inside, by kind", ", ".join(f"{k} {v}" for k, v in g["ties_by_kind"].items()) or "none"),
    ]
    console.print(_measures(f"Group of {g['size']}", rows))
    if g["conflict_pairs"]:
        pairs = ", ".join(f"{a}–{b}" for a, b in g["conflict_pairs"])
        console.print(f"[bold red]Conflict inside the group:[/] {pairs}")


def ego(console: Console, e: Mapping[str, Any]) -> None:
    """A workshop's neighbourhood and brokerage role."""
    rows: list[tuple[str, Any]] = [
        ("Community", e["community"]),
        ("Positive neighbours", e["degree"]),
        ("Ties among its neighbours", e["ties_among_neighbours"]),
        ("Clustering", e["clustering"]),
        ("Betweenness", e["betweenness"]),
        ("Effective size", e["effective_size"]),
        ("Constraint", e["constraint"]),
        ("Broker (betweenness above zero)", "yes" if e.get("broker") else "no"),
        ("Cut point", "yes" if e["articulation_point"] else "no"),
        ("Partners by kind of tie", ", ".join(f"{k} {v}" for k, v in e["ties_by_kind"].items()) or "none"),
        ("Brokerage", ", ".join(f"{k} {v}" for k, v in e["brokerage"].items())),
    ]
    console.print(_measures(f"Ego network of {e['workshop_id']}", rows))
    console.print(f"Role: [bold]{e['role']}[/] — {e['role_meaning']}.")
    if e["neighbours"]:
        console.print("Neighbours: " + ", ".join(e["neighbours"]), markup=False, highlight=False)


def waves(console: Console, c: Mapping[str, Any]) -> None:
    """What changed between two survey waves."""
    a, b = c["waves"]
    names = [
        ("ties", "Ties (a pair per kind)"), ("collaboration_edges", "Tied pairs"), ("density", "Density"),
        ("average_clustering", "Average clustering"), ("transitivity", "Transitivity"),
        ("components", "Components"), ("isolates", "Isolates"), ("communities", "Communities"),
        ("modularity", "Modularity"),
    ]  # fmt: skip
    rows = [(label, c["first"][k], c["second"][k], c["change"][k]) for k, label in names]
    console.print(_table(f"From wave {a} to wave {b}", ["measure", a, b, "change"], rows))
    agreement = c["community_agreement"]
    console.print(
        f"{len(c['new_pairs']):,} new tied pairs, {len(c['lost_pairs']):,} lost, {c['kept_pairs']:,} kept. "
        f"Communities agree: ARI {agreement['ari']:.2f}, NMI {agreement['nmi']:.2f}."
    )
    for label, key in (
        ("Became isolated", "became_isolated"), ("No longer isolated", "no_longer_isolated"),
        (f"Became central ({c['centrality']})", "became_central"), ("No longer central", "no_longer_central"),
    ):  # fmt: skip
        if c[key]:
            console.print(f"{label}: " + ", ".join(c[key]), markup=False, highlight=False)


def _status_style(status: str) -> str:
    return {"optimal": "green", "filled": "green", "feasible": "yellow", "partial": "yellow"}.get(
        status, "red"
    )


def _members_table(order: Mapping[str, Any]) -> Table:
    processes: list[str] = []
    for member in order["group"]:
        for alloc in member["allocations"]:
            if alloc["process"] not in processes:
                processes.append(alloc["process"])
    table = Table(title=f"Group for {order['order_id']}", title_justify="left")
    table.add_column("workshop")
    for process in processes:
        table.add_column(process, justify="right")
    table.add_column("minutes", justify="right")
    for member in order["group"]:
        units = {a["process"]: a["units"] for a in member["allocations"]}
        minutes = sum(a["minutes"] for a in member["allocations"])
        name = member["workshop_id"] + (" ★ leader" if member.get("leader") else "")
        table.add_row(name, *(_num(units.get(p)) if p in units else "" for p in processes), _num(minutes, 0))
    return table


def _bullets(console: Console, lines: Iterable[str]) -> None:
    for line in lines:
        console.print(f"  • {line}", markup=False, highlight=False)


def match(console: Console, data: Mapping[str, Any]) -> None:
    """The outcome of a match: run status, the orders, each group and the reasons."""
    gap = data.get("gap")
    gap_text = "" if gap is None else f", gap {gap:.2%}"
    for objective in data.get("objectives", ()):
        if objective.get("name") == "preferences" and objective.get("gap") is not None:
            gap_text = f", gap {gap or 0.0:.2%} on units, {objective['gap']:.2%} on the preferred rules"
    seconds = data.get("time_seconds")
    time_text = "" if seconds is None else f", {seconds:.1f} s"
    verified = " verified" if data.get("verified") else ""
    status = data["status"]
    console.rule("[bold]Groups for the orders[/]")
    console.print(
        f"Solver {data['solver']}: [{_status_style(status)}]{status}[/]{gap_text}{time_text}{verified}"
    )
    table = Table(title_justify="left")
    for column in ("order", "product", "quantity", "lot", "due (weeks)", "status", "filled", "members"):
        table.add_column(column, justify="left" if column in {"order", "product", "status"} else "right")
    for order in data["orders"]:
        table.add_row(
            order["order_id"],
            str(order.get("product", "")),
            _num(order["quantity"]),
            _num(order.get("lot")) if order.get("lot", 0) > 1 else "-",
            _num(order.get("due_weeks"), 1),
            f"[{_status_style(order['status'])}]{order['status']}[/]",
            _num(order["filled_units"]),
            _num(len(order["group"])),
        )
    console.print(table)
    for order in data["orders"]:
        if order["group"]:
            console.print(_members_table(order))
        else:
            console.print(f"[bold]{order['order_id']}[/] — {order['status']}")
        _bullets(console, order.get("reasons", []))


def _score_cells(score: Mapping[str, Any], parts: Sequence[str]) -> list[str]:
    cells = [_num(score[part], 2) for part in parts]
    return [*cells, f"[bold]{score['total']:.2f}[/]"]


#: How a withheld field of a lead firm's profile is shown.
WITHHELD = "—"


def _profile_quality(quality: Mapping[str, int] | None) -> str:
    """``3``, ``3–4`` (a band) or the withheld mark."""
    if quality is None:
        return WITHHELD
    low, high = quality["low"], quality["high"]
    return str(low) if low == high else f"{low}–{high}"


def _yes_no(value: bool | None, yes: str = "yes", no: str = "no") -> str:
    return WITHHELD if value is None else yes if value else no


def shortlist(console: Console, data: Mapping[str, Any]) -> None:
    """A shortlist for a lead firm: ranked singles and groups, scores in parts, members anonymized.

    Profiles are shown as the shortlist gives them: a quality band as ``3–4``,
    a withheld field as ``—`` (the notes say why).
    """
    order = data["order"]
    described = " (described)" if order["described"] else ""
    console.rule(f"[bold]Shortlist for order {order['order_id']}{described}[/]")
    console.print(
        f"{order['quantity']:,} {order['product']} by week {order['due_weeks']:g}, "
        f"quality {order['min_quality']} or better"
    )
    entries = data["singles"] + data["groups"]
    # Reliability is shown only where the dataset records it for someone.
    known = any(e["score"]["reliability"] is not None for e in entries)
    parts = ["capability", "capacity", "quality_margin", *(["reliability"] if known else [])]
    headers = ["capability", "capacity", "quality margin", *(["reliability"] if known else [])]
    reveal = any("workshop_id" in m for e in entries for m in e["members"])

    def who(m: Mapping[str, Any]) -> list[str]:
        territory = m["territory"] or WITHHELD
        return [m["ref"], *([m["workshop_id"]] if reveal else []), territory, m["size_band"] or WITHHELD]

    if data["singles"]:
        table = Table(title="Single workshops that can take it alone", title_justify="left")
        ids = ["workshop"] if reveal else []
        columns = ["ref", *ids, "territory", "size", "quality", "formal", "main product"]
        for i, column in enumerate([*columns, *headers, "total"]):
            table.add_column(column, justify="left" if i < len(columns) - 3 else "right")
        for entry in data["singles"]:
            m = entry["members"][0]
            table.add_row(
                *who(m),
                _profile_quality(m["quality"]),
                _yes_no(m["formal"]),
                _yes_no(m["main_product"], order["product"], "other"),
                *_score_cells(entry["score"], parts),
            )
        console.print(table)
    if data["groups"]:
        table = Table(title="Groups that can take it together", title_justify="left")
        columns = ["group", "members", "territories", "sizes"]
        for i, column in enumerate([*columns, *headers, "cohesion", "total"]):
            table.add_column(column, justify="left" if i in (0, 2, 3) else "right")
        for entry in data["groups"]:
            members = entry["members"]
            sizes = Counter(m["size_band"] or WITHHELD for m in members)
            table.add_row(
                entry["ref"],
                _num(len(members)),
                ", ".join(sorted({m["territory"] or WITHHELD for m in members})),
                ", ".join(f"{n} {b}" for b, n in sorted(sizes.items())),
                *_score_cells(entry["score"], [*parts, "cohesion"]),
            )
        console.print(table)
        for entry in data["groups"]:
            console.print(f"[bold]{entry['ref']}[/]")
            for m in entry["members"]:
                work = ", ".join(f"{a['process']} {a['units']:,}" for a in m["allocations"])
                head = " ★ leads" if m["leader"] else ""
                product = order["product"]
                main = _yes_no(m["main_product"], f"mainly {product}", f"mainly other than {product}")
                formal = _yes_no(m["formal"], "formal", "informal")
                # A withheld field is named beside its mark, so that the line still reads.
                cells = " · ".join(
                    [
                        m["territory"] or f"territory {WITHHELD}",
                        m["size_band"] or f"size {WITHHELD}",
                        f"quality {_profile_quality(m['quality'])}",
                        formal.replace(WITHHELD, f"formality {WITHHELD}"),
                        f"does {WITHHELD if m['processes'] is None else ', '.join(m['processes'])}",
                        main.replace(WITHHELD, f"main product {WITHHELD}"),
                    ]
                )
                ref = m["ref"] + (f" ({m['workshop_id']})" if reveal else "")
                console.print(f"  {ref}{head} — {cells}: {work}", markup=False, highlight=False)
    if any(m["withheld"] for e in entries for m in e["members"]):
        console.print(f"{WITHHELD} withheld, so that no profile points to one workshop.")
    search = data["search"]
    found = f"{_count(len(data['singles']), 'single')}, {_count(len(data['groups']), 'group')}"
    ended = {
        "top": "as many as asked",
        "no_more_groups": "no other group exists",
        "time_limit": "time limit reached",
    }[search["stopped"]]
    console.print(f"{found}; search for groups with {search['solver']}: {ended}, {search['seconds']:.1f} s.")
    _bullets(console, data["notes"])
