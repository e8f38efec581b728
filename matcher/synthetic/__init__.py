"""Synthetic garment-workshop clusters: the bundled sample and clusters of any size.

Everything here is invented. The generator draws workshops, ties, lead firms,
orders and (private) contacts from territory profiles calibrated to the
published figures of three Paraguayan clusters — Yaguarón (mostly jeans, 55%
male labour, two thirds under five workers, an association with a legacy of
mistrust), Pilar (81% women, medium workshops tied to one lead firm, a
pre-cooperative) and Mariano Roque Alonso (small dispersed workshops held
together by kinship and friendship only). No row describes a real workshop,
person or firm: names, phones and addresses are visibly fictitious.

:func:`sample_cluster` makes the sample shipped in ``data/sample/``;
:func:`generate_cluster` makes clusters of any size, up to millions of
workshops, for tests and benchmarks. Both are deterministic in their seed.
"""

from __future__ import annotations

from matcher.synthetic.bundled import SAMPLE_SEED, sample_cluster
from matcher.synthetic.generator import generate_cluster

__all__ = ["SAMPLE_SEED", "generate_cluster", "sample_cluster"]
