"""matcher: network analysis and matchmaking for clusters of small garment workshops.

The library is organised by topic: :mod:`matcher.model` (domain types),
:mod:`matcher.io` (load, validate and write datasets), :mod:`matcher.graph`
(cohesion analysis), :mod:`matcher.optimize` (group formation) and
:mod:`matcher.synthetic` (synthetic clusters for demos, tests and benchmarks).
"""

__version__ = "0.1.0"
