"""Supplier shortlists for lead firms: single workshops and ready groups, scored and anonymized.

For one order (of the cluster, or described by a lead firm) the shortlist gives

- **singles**: eligible workshops that do every process of the order and have
  the minutes for all of it by the due date;
- **groups**: distinct groups of two or more workshops that can make the whole
  order together under the rules of a good group (the same model as
  :func:`matcher.optimize.solve_orders`). Groups are found one after another,
  best first by the preferred rules; each found group is then forbidden, with
  all groups that contain it, and the model is solved again. A workshop that
  can take the order alone is shortlisted as a single and is left out of the
  groups.

Capacity is what each workshop has free by the order's due date
(:meth:`matcher.model.Workshop.available_minutes`); other orders of the
cluster are not subtracted, since the shortlist says who *could* take it.

Each entry has a score in parts, each in [0, 1], computed from the members'
profiles as they are shown (see below), so that a lead firm can check every
part against what it reads:

- ``capability``: the mean of (a) the share of members whose main (first)
  product is the order's and (b) the mean share of the order's processes each
  member does (1 for a single: it does them all);
- ``capacity``: 1 − minutes needed / minutes the members have free by the due
  date: the share of their free minutes the order leaves spare;
- ``quality_margin``: how far the lowest member quality is above the order's
  minimum, (lowest − minimum) / (5 − minimum): 0 when it just meets the
  minimum, 1 at quality 5 (and 1 when the order asks for 5);
- ``reliability``: the share of past orders delivered on time and at the
  quality asked (the ``reliability`` column of ``workshops.csv``). A single's
  is its own; a group's is the mean of its members' known values weighted by
  the minutes each member works on the order, so the members doing most of
  the work count most. Members with no value are left out of that mean; when
  no member has one the part is unknown (``None``);
- ``cohesion`` (groups only): the mean of the share of member pairs joined by
  a positive tie and of (members − tie-connected parts) / (members − 1), which
  is 1 when ties connect the whole group.

The total is the mean of the parts that are known, weighted by
:data:`SCORE_WEIGHTS`. Singles and groups are ranked apart, by total, then by
their workshop ids (a stable key).

The result holds workshop ids for a coordinator; its :meth:`Shortlist.to_dict`
is the anonymized form a lead firm sees: an opaque reference per entry and per
member (``S1``, ``G1``, ``G1-a``) and a profile that fits at least ``k``
workshops of the cluster (:mod:`matcher.privacy`): territory, size band (micro
1–4, small 5–10, medium 11+ workers), quality (a level or a band), formality,
the order's processes it does, whether its main product is the order's and
whether it leads the group, each coarsened or withheld (``None``) as the
profile needs; never an id, a name, a contact or a location. The score reads
a banded quality at the band's lowest level, a withheld quality as the
order's minimum, a withheld main product as another and withheld processes
as those the member works on: what the profile guarantees, no more. With
``k=1`` profiles and scores are exact. ``to_dict(reveal_ids=True)`` adds the
workshop ids and how many workshops each profile fits. Contacts are never
loaded here. Every key of that form is listed in :mod:`matcher.optimize.shortlist.schema`.
"""

from __future__ import annotations

from matcher.optimize.shortlist.result import SCORE_WEIGHTS, Profile, Score, Shortlist, ShortlistEntry
from matcher.optimize.shortlist.search import shortlist

__all__ = ["SCORE_WEIGHTS", "Profile", "Score", "Shortlist", "ShortlistEntry", "shortlist"]
