"""Work beyond one machine, on Dask distributed (the ``dask`` extra).

Without a scheduler address everything runs in the local process as it
always has; with one (``--scheduler ADDRESS`` on the command line,
``MATCHER_SCHEDULER`` for the service) the work that outgrows one machine is
sent to that Dask cluster's workers.

Examples
--------
>>> from matcher.distributed import connect
>>> connect("tcp://127.0.0.1:1", timeout=0.5)  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
SchedulerUnavailableError: No Dask scheduler answers at tcp://127.0.0.1:1 (...)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.errors import SchedulerUnavailableError
from matcher.extras import require
from matcher.messages import Message

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["connect"]


def connect(address: str, *, timeout: float = 10.0) -> Client:
    """A client of the Dask scheduler at ``address`` (the caller closes it).

    Parameters
    ----------
    address : str
        The scheduler's address, as ``dask scheduler`` prints it (``tcp://host:8786``).
    timeout : float
        Seconds to wait for the scheduler to answer.

    Raises
    ------
    MissingExtraError
        When the ``dask`` extra is not installed (the message says how to install it).
    SchedulerUnavailableError
        When no scheduler answers at ``address`` within ``timeout``; nothing was run.
    """
    require("dask", "--scheduler")
    from distributed import Client

    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise SchedulerUnavailableError(
            messages=[Message("dask.unreachable", {"address": address, "reason": reason})]
        ) from None
