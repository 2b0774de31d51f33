"""No test reaches the network: socket connections and name lookups are refused.

tests/conftest.py installs the guard in the test process for the whole session
and fails any test during which a connection was attempted (also one that the
code under test caught and swallowed). A Python subprocess started with
:func:`environment` gets it too: Python imports ``sitecustomize`` from
PYTHONPATH at start-up, and there each refused attempt is also printed on
stderr. Connections to local (AF_UNIX) sockets stay allowed.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any, NoReturn

FOLDER = os.path.dirname(os.path.abspath(__file__))


class NetworkRefused(ConnectionRefusedError):
    """A network access that the test suite refused."""


attempts: list[str] = []
_originals: dict[str, Any] = {}


def _refuse(what: str) -> NoReturn:
    attempts.append(what)
    if __name__ == "sitecustomize":
        sys.stderr.write(f"test suite: refused network access: {what}\n")
    raise NetworkRefused(f"the test suite refuses network access: {what}")


def _connect(self: socket.socket, address: Any) -> Any:
    if self.family == socket.AF_UNIX:
        return _originals["connect"](self, address)
    _refuse(f"connect to {address!r}")


def _connect_ex(self: socket.socket, address: Any) -> Any:
    if self.family == socket.AF_UNIX:
        return _originals["connect_ex"](self, address)
    _refuse(f"connect to {address!r}")


def _create_connection(address: Any, *args: Any, **kwargs: Any) -> NoReturn:
    _refuse(f"connection to {address!r}")


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> NoReturn:
    _refuse(f"name lookup of {host!r}")


def install() -> None:
    """Refuse every network connection and name lookup from now on."""
    if _originals:
        return
    _originals.update(
        connect=socket.socket.connect,
        connect_ex=socket.socket.connect_ex,
        create_connection=socket.create_connection,
        getaddrinfo=socket.getaddrinfo,
    )
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.create_connection = _create_connection  # type: ignore[assignment]
    socket.getaddrinfo = _getaddrinfo  # type: ignore[assignment]


def taken() -> list[str]:
    """The attempts refused since the last call (and forget them)."""
    found = list(attempts)
    attempts.clear()
    return found


def environment(**changes: str) -> dict[str, str]:
    """This process's environment, with ``changes``, for a Python subprocess
    that must not reach the network either."""
    env = {**os.environ, **changes}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (FOLDER, env.get("PYTHONPATH")) if p)
    return env


if __name__ == "sitecustomize":
    install()
