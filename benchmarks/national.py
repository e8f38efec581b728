"""A national registry from its files: loading and analysing against reading the same files with pandas.

    python benchmarks/national.py                                  # 1,000,000 workshops (CSV), 100,000 (XLSX)
    python benchmarks/national.py --workshops 200000 --xlsx-workshops 20000

The datasets are made once by ``matcher generate --orders 10 --seed 3`` (the
CSV folder, about 2.6 ties per workshop, contacts included) and written as a
workbook with :func:`matcher.io.write_cluster` for the XLSX path; they are kept
in ``--data`` (a temporary folder by default) for the next run. Each step runs
in a process of its own, so its time and peak memory are its own (the first
two time their work after their imports, the commands are timed whole; the
peak is the process's, or that of it and the copy it forks for a second
Leiden run, sampled, where that is larger):

- ``pandas``: every file read with :func:`pandas.read_csv` (every column as
  Python text, ``dtype=object``, its fastest text read — ``dtype=str`` makes
  Arrow strings when pyarrow is installed, twice as slow — as the contract's
  rules need them: ``2.000`` is two thousand in a whole-number column; the XLSX
  path: :func:`pandas.read_excel` of every sheet), nothing checked. The ratios
  are to this read;
- ``pandas, types inferred`` (CSV, for reference): :func:`pandas.read_csv` left
  to guess each column's type, which parses numbers without making text of them;
- ``load_cluster``: :func:`matcher.io.load_cluster`, every rule of the data
  contract checked;
- ``analyze --json``: the command, end to end (starting, reading, checking, the
  cohesion report, the JSON on standard output, to ``/dev/null``);
- ``analyze --json --export table.parquet``: the same, the per-workshop table
  written beside it (the JSON leaves its rows to the table above 100,000 workshops).

The CSV reads and ``load_cluster`` are timed three times (``--repeat``) and
the best run kept, as :mod:`timeit` does: on this machine the same pandas read
varies by a second from run to run. The commands and the workbook steps run once.

Targets: ``load_cluster`` within 3 times the pandas read, ``analyze --json``
within 10 times and under 2 GiB, on both paths.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# Run as a script (python benchmarks/x.py) or as a module (python -m benchmarks.x).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._table import fmt, markdown_table, text_table, write_results

ROOT = Path(__file__).resolve().parent.parent
LOAD_TARGET = 3.0
ANALYZE_TARGET = 10.0
MEMORY_TARGET_MIB = 2048

# The scripts time their own work, after their imports (an interpreter starting is no reading).
PANDAS_CSV = """
import sys, time, pathlib, pandas as pd
start = time.perf_counter()
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.csv")):
    pd.read_csv(f, dtype=object, keep_default_na=False, na_filter=False)
print(time.perf_counter() - start)
"""
PANDAS_CSV_TYPED = """
import sys, time, pathlib, pandas as pd
start = time.perf_counter()
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.csv")):
    pd.read_csv(f)
print(time.perf_counter() - start)
"""
PANDAS_XLSX = """
import sys, time, pandas as pd
start = time.perf_counter()
pd.read_excel(sys.argv[1], sheet_name=None, dtype=str)
print(time.perf_counter() - start)
"""
LOAD = """
import sys, time
from matcher.io import load_cluster
start = time.perf_counter()
load_cluster(sys.argv[1])
print(time.perf_counter() - start)
"""


def matcher_command() -> list[str]:
    here = Path(sys.executable).with_name("matcher")
    return [str(here)] if here.exists() else [sys.executable, "-m", "matcher"]


def _tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process and its descendants, KiB (a page shared by a forked
    copy counted once in all); 0 where /proc does not tell."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, ValueError):
        return total
    return total + sum(_tree_pss_kib(int(c)) for c in children)


def timed(command: list[str], *, own_time: bool = False) -> tuple[float, float]:
    """Seconds and peak MiB of one command in a process of its own: the command's wall time, or
    (``own_time``) the seconds it prints, those of its work after its imports. The peak is the
    larger of the process's own peak resident memory and, sampled ten times a second, the
    memory of it and the processes it starts (a forked copy's shared pages counted once)."""
    paths = (str(ROOT), os.environ.get("PYTHONPATH"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as said:
        process = subprocess.Popen(
            command, stdout=out if own_time else subprocess.DEVNULL, stderr=said, env=env
        )
        tree = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                tree[0] = max(tree[0], _tree_pss_kib(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        sampler.join()
        seconds = time.perf_counter() - start
        out.seek(0)
        said.seek(0)
        printed, error = out.read().decode(), said.read().decode()
    if own_time and printed.strip():
        seconds = float(printed.split()[-1])
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({code}):\n{error[-2000:]}")
    return seconds, max(usage.ru_maxrss, tree[0]) / 1024


def make_csv(folder: Path, workshops: int) -> Path:
    if (folder / "workshops.csv").exists():
        return folder
    print(f"... generating {workshops:,} workshops into {folder}", file=sys.stderr)
    subprocess.run(
        [*matcher_command(), "generate", str(folder), "--workshops", str(workshops), "--orders", "10",
         "--seed", "3"], check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return folder


def make_xlsx(path: Path, workshops: int) -> Path:
    if path.exists():
        return path
    folder = make_csv(path.with_suffix(""), workshops)
    print(f"... writing {path}", file=sys.stderr)
    script = (
        "import sys\nfrom matcher.io import load_cluster, load_contacts, write_cluster\n"
        "c = load_cluster(sys.argv[1])\n"
        "write_cluster(c, sys.argv[2], contacts=load_contacts(sys.argv[1]))\n"
    )
    subprocess.run([sys.executable, "-c", script, str(folder), str(path)], check=True)
    return path


def steps(path: Path, workbook: bool, scratch: Path, repeat: int) -> list[tuple[str, float, float]]:
    """(step, seconds, peak MiB) of each step on one dataset: of the best of ``repeat`` runs for
    the reads and the load (a second's noise is a large share of theirs), of one for the commands."""
    table = scratch / "table.parquet"
    found = []
    reference = (
        [] if workbook else [("pandas, types inferred", [sys.executable, "-c", PANDAS_CSV_TYPED, str(path)])]
    )
    for name, command in (
        ("pandas", [sys.executable, "-c", PANDAS_XLSX if workbook else PANDAS_CSV, str(path)]),
        *reference,
        ("load_cluster", [sys.executable, "-c", LOAD, str(path)]),
        ("analyze --json", [*matcher_command(), "analyze", str(path), "--json"]),
        ("analyze --json --export table.parquet",
         [*matcher_command(), "analyze", str(path), "--json", "--export", str(table), "--overwrite"]),
    ):  # fmt: skip
        own = name.startswith("pandas") or name == "load_cluster"
        runs = [None] * (repeat if own else 1)
        for i in range(len(runs)):
            print(f"... {name} on {path.name} ({i + 1}/{len(runs)})", file=sys.stderr)
            runs[i] = timed(command, own_time=own)
        seconds, mib = min(runs)
        found.append((name, seconds, mib))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workshops", type=int, default=1_000_000, help="Workshops of the CSV dataset.")
    parser.add_argument(
        "--xlsx-workshops", type=int, default=100_000, help="Workshops of the workbook (0: none)."
    )
    parser.add_argument("--data", type=Path, default=None, help="Where the datasets are kept between runs.")
    parser.add_argument(
        "--repeat", type=int, default=3, help="Runs of the CSV reads and load, the best kept (default 3)."
    )
    args = parser.parse_args()
    data = args.data or Path(tempfile.gettempdir()) / "matcher-national"
    data.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    csv = make_csv(data / f"csv-{args.workshops}", args.workshops)
    datasets = [(f"CSV, {args.workshops:,} workshops", csv, False)]
    if args.xlsx_workshops:
        xlsx = make_xlsx(data / f"xlsx-{args.xlsx_workshops}.xlsx", args.xlsx_workshops)
        datasets.append((f"XLSX, {args.xlsx_workshops:,} workshops", xlsx, True))
    columns = ["dataset", "step", "seconds", "x pandas", "peak MiB", "target", "met"]
    body = []
    verdicts = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, path, workbook in datasets:
            measured = steps(path, workbook, Path(scratch), 1 if workbook else args.repeat)
            base = measured[0][1]
            for name, seconds, mib in measured:
                ratio = seconds / base
                if name.startswith("pandas"):
                    target, met = "-", "-"
                elif name == "load_cluster":
                    target, met = f"<= {LOAD_TARGET:g}x", "yes" if ratio <= LOAD_TARGET else "NO"
                else:
                    ok = ratio <= ANALYZE_TARGET and mib <= MEMORY_TARGET_MIB
                    target, met = f"<= {ANALYZE_TARGET:g}x, <= 2 GiB", "yes" if ok else "NO"
                verdicts.append(met)
                shown = [fmt(seconds, ".1f"), fmt(ratio, ".1f") + "x", fmt(mib, ",.0f")]
                body.append([label, name, *shown, target, met])
    print(text_table(columns, body))
    missed = sum(v == "NO" for v in verdicts)
    verdict = (
        "Every target met." if not missed else f"{missed} target(s) not met."
    ) + f" Load average when the benchmark began: {load_before:.2f}."
    print(verdict)
    write_results("national", [markdown_table(columns, body), verdict])


if __name__ == "__main__":
    main()
