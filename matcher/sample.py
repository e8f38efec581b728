"""The bundled synthetic sample cluster.

The sample lives in ``data/sample/`` of a source checkout (the files a user can
open in a spreadsheet). It was written by :func:`matcher.synthetic.sample_cluster`,
and a test keeps the two identical, so an installation without the source tree
regenerates the very same cluster instead.
"""

from __future__ import annotations

from pathlib import Path

from matcher.model import Cluster

__all__ = ["SAMPLE_DIR", "load_sample"]

#: Where the sample's CSV files are in a source checkout.
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def load_sample() -> tuple[Cluster, str]:
    """The sample cluster and where it came from (a folder, or the generator).

    Examples
    --------
    >>> cluster, source = load_sample()
    >>> len(cluster.orders) >= 1
    True
    """
    if (SAMPLE_DIR / "workshops.csv").is_file():
        from matcher.io import load_cluster

        return load_cluster(SAMPLE_DIR), str(SAMPLE_DIR)
    from matcher.synthetic import sample_cluster

    return sample_cluster()[0], "matcher.synthetic.sample_cluster()"
