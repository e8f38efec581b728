"""Run the service under uvicorn, in one process or several sharing the port.

Several processes each listen on the same address with ``SO_REUSEPORT`` and
the kernel spreads connections over them. Each listening socket is created as
a TCP socket explicitly, so asyncio turns Nagle's algorithm off on every
connection (a socket made without its protocol number keeps it on, and small
answers then wait for the client's delayed acknowledgement, ~40 ms each).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import socket

__all__ = ["listening_socket", "run"]


def listening_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A bound, listening TCP socket for ``host:port``."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _serve(host: str, port: int, reuse_port: bool, env: dict[str, str]) -> None:
    import uvicorn

    os.environ.update(env)
    # The cyclic collector's first generation is collected every 700 allocations by default; each
    # tenth of those collections goes a generation up, and the oldest holds what the requests of a
    # busy server keep alive for a while. Collected every 10,000, a full collection no longer falls
    # in the middle of a burst of reads (it paused a process 20-45 ms several times a minute).
    gc.set_threshold(10_000, 10, 10)
    sock = listening_socket(host, port, reuse_port=reuse_port)
    # The service reads X-Forwarded-For itself, from the proxies it is told to trust only
    # (uvicorn's own reading would trust any client on the loopback).
    config = uvicorn.Config(
        "matcher_service.app:create_app", factory=True, log_level="warning", proxy_headers=False
    )
    uvicorn.Server(config).run(sockets=[sock])


def run(host: str, port: int, *, workers: int = 1, env: dict[str, str] | None = None) -> None:
    """Serve until interrupted; settings come from ``MATCHER_*`` variables (``env`` added)."""
    env = dict(env or {})
    if workers == 1:
        _serve(host, port, False, env)
        return
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_serve, args=(host, port, True, env)) for _ in range(workers)]
    for child in children:
        child.start()

    def stop(*_args) -> None:
        for child in children:
            if child.is_alive():
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        child.join()
