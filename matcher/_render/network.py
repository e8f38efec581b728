"""Network analysis at the terminal: the cohesion report, a group, an ego network, two waves compared."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from matcher._render.formatting import counted, measures_table, number, text_table


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
        f"Leiden finds {net['communities']:,} {'community' if net['communities'] == 1 else 'communities'} "
        f"(modularity {net['modularity']:.2f})."
    )


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
    console.print(measures_table(title, [(label, value) for label, value in rows if value is not None]))


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
        extra = [number(density.get(kind, 0.0), 4)] if density else []
        table.add_row(kind, number(count), *extra, style=style)
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
    total = brokers.get("count", len(qualified))  # the rows may be the top ones only (a large network)
    many = counted(total, "broker")
    shown = f"Top {len(ranked)} of {many}" if len(ranked) < total else many.capitalize()
    title = f"{shown} (betweenness above zero; by {label})"
    if ranked:
        console.print(text_table(title, columns, rows))
    else:
        console.print("No broker: no workshop has two partners that are not tied to each other.")
    notes = []
    if "dask_workers" in how:  # computed on a Dask cluster: the note says how, exact or sampled
        error = how.get("max_standard_error")
        notes.append(f"betweenness {how['note']}" + (f", up to {error:.3f}" if error is not None else ""))
    elif how["method"] == "sampled":
        notes.append(
            f"betweenness sampled from {how['samples']:,} sources, "
            f"standard error up to {how['max_standard_error']:.3f}"
        )
    elif how["method"] == "none":
        notes.append(how.get("note", "betweenness not computed"))
    if "articulation_points" in brokers:
        notes.append(
            f"{counted(brokers['articulation_points'], 'cut point')} (workshops whose loss splits the "
            f"network), {counted(brokers['bridges'], 'bridge')}"
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
    console.print(text_table("Homophily (do workshops tie to workshops like themselves?)", columns, rows))


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
            f"Mistrust: {counted(signed['conflict_pairs'], 'conflict pair')} "
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
    console.print(measures_table(f"Group of {g['size']}", rows))
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
    console.print(measures_table(f"Ego network of {e['workshop_id']}", rows))
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
    console.print(text_table(f"From wave {a} to wave {b}", ["measure", a, b, "change"], rows))
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
