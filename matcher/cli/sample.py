"""``matcher generate`` and ``matcher demo``: a synthetic cluster, and the whole product on the sample."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from matcher import _render as render
from matcher.cli.pages import write_match_page
from matcher.cli.shell import (
    SeedOpt,
    app,
    busy,
    guarded,
    out,
)


@app.command()
def generate(
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help="Folder (CSV) or .xlsx file to write.")],
    workshops: Annotated[int, typer.Option(help="Number of workshops.", min=1)] = 300,
    orders: Annotated[int, typer.Option(help="Number of orders.", min=0)] = 20,
    seed: SeedOpt = 0,
    waves: Annotated[int, typer.Option(help="Survey waves the ties are observed in.", min=1)] = 1,
    force: Annotated[bool, typer.Option("--force", help="Replace OUT if it exists.")] = False,
) -> None:
    """Write a synthetic cluster of any size (the generator that made the sample)."""
    from matcher.io import write_cluster
    from matcher.synthetic import generate_cluster

    with busy(f"Generating {render.counted(workshops, 'workshop')} ..."):
        cluster, contacts = guarded(lambda: generate_cluster(workshops, orders, seed=seed, waves=waves))
    with busy(f"Writing {out_path} ..."):
        written = guarded(lambda: write_cluster(cluster, out_path, contacts=contacts, overwrite=force))
    counted = render.counted
    out.print(
        f"Wrote {counted(len(cluster.workshops), 'workshop')}, {counted(len(cluster.ties), 'tie row')}, "
        f"{counted(len(cluster.lead_firms), 'lead firm')} and {counted(len(cluster.orders), 'order')} "
        f"(synthetic, seed {seed}) to {written}"
    )


@app.command()
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the JSON results (created if missing).")
    ] = Path("matcher-demo"),
    time_limit: Annotated[float, typer.Option(help="Seconds the solver may use.", min=0.001)] = 60.0,
) -> None:
    """Run the whole product on the bundled synthetic sample cluster.

    The page (``cluster.html``) needs the ``views`` extra; without it the demo
    writes the JSON results and says how to get the page.
    """
    from matcher.extras import missing
    from matcher.graph import cohesion_report
    from matcher.optimize import MatchOptions, solve_orders
    from matcher.sample import load_sample

    started = time.perf_counter()
    with busy("Loading the sample cluster ..."):
        cluster, source = guarded(load_sample)
    render.sample_header(out, cluster, source)
    with busy("Analysing the network ..."):
        report = guarded(lambda: cohesion_report(cluster))
    render.cohesion(out, report, title="Cohesion of the sample cluster", top=5)
    with busy(f"Matching {render.counted(len(cluster.orders), 'order')} (up to {time_limit:g} s) ..."):
        result = guarded(lambda: solve_orders(cluster, options=MatchOptions(time_limit=time_limit)))
    data = result.to_dict()
    render.match(out, data)

    def write() -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, payload in (("analysis.json", report), ("match.json", data)):
            target = out_dir / name
            tmp = target.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            tmp.replace(target)
            paths.append(target)
        if not without_page:
            folder = Path(source) if Path(source).is_dir() else None
            page = write_match_page(out_dir / "cluster.html", cluster, data, folder, "es", True, seed=0)
            paths.append(page)
        return paths

    without_page = missing("views")
    paths = guarded(write)
    elapsed = time.perf_counter() - started
    names = ", ".join(p.name for p in paths)
    written = f"\nResults written to [bold]{out_dir}/[/] ({names}) in {elapsed:.1f} s"
    if without_page:
        out.print(
            f"{written}. The page of the network and the groups needs matcher's views extra "
            f"(missing: {', '.join(without_page)}): pip install 'matcher\\[views]'"
        )
    else:
        page = out_dir / "cluster.html"
        out.print(f"{written}; open {page} in a browser to see the network and the groups.")
