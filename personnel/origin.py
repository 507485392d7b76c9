"""Where a change or a read comes from: a web request, a management command or a task.

The audit trail (`personnel.services.audit`), the dossier access log and the vetting read log
record it beside who and when. A middleware (`personnel.middleware.OriginMiddleware`) sets it
for each request, `personnel.management.base.OriginCommand` (and `manage.py` itself, for
Django's own commands) for a command, a Celery signal for a task; it lives in a context
variable, so threads and tasks never see each other's.

`client_ip` is the one answer to "from which address": `REMOTE_ADDR`, unless the request came
through a proxy listed in `settings.TRUSTED_PROXIES`; then the right-most address of
`X-Forwarded-For` that is not one of those proxies. A client can put anything in that header,
so without a trusted proxy in front it is ignored altogether.
"""

from __future__ import annotations

import getpass
import ipaddress
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


class Source:
    WEB = "web"
    COMMAND = "command"
    TASK = "task"
    SYSTEM = "system"


@dataclass(frozen=True)
class Origin:
    source: str
    # "POST /dai-hoi/danh-sach/7/them/", "manage.py grant_role (root)", "congress.render_report"
    name: str = ""
    request_id: str = ""
    ip: str | None = None


SYSTEM = Origin(Source.SYSTEM)
_current: ContextVar[Origin] = ContextVar("congress_origin", default=SYSTEM)


def current_origin() -> Origin:
    return _current.get()


@contextmanager
def using_origin(origin: Origin) -> Iterator[Origin]:
    token = _current.set(origin)
    try:
        yield origin
    finally:
        _current.reset(token)


def enter_origin(origin: Origin) -> Token:
    """For hooks that start and end in two calls (a task's pre- and post-run signals)."""
    return _current.set(origin)


def leave_origin(token: Token) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_origin(request: HttpRequest) -> Origin:
    # Our own id, never the client's: a forged X-Request-ID would tie a change to a request
    # it did not come from.
    path = request.path[:200]
    return Origin(Source.WEB, f"{request.method} {path}", new_request_id(), client_ip(request))


def command_origin(command: str) -> Origin:
    try:
        who = getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        who = "?"
    return Origin(Source.COMMAND, f"manage.py {command} ({who})"[:255], new_request_id())


def task_origin(name: str, task_id: str) -> Origin:
    return Origin(Source.TASK, name[:255], (task_id or new_request_id()).replace("-", "")[:32])


# --- the client's address ------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress._BaseNetwork, ...]:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _trusted(address: ipaddress._BaseAddress) -> bool:
    entries = tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ())
    return any(address in net for net in _networks(entries))


def _parse(value: str) -> ipaddress._BaseAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the right-most
    untrusted hop of X-Forwarded-For. None when nothing parses as an address."""
    if request is None:
        return None
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _trusted(remote):
        return str(remote)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # A trusted proxy appends the peer it saw, always an address: what is left of a
            # hop that is not one was written by the client, and proves nothing.
            break
        if not _trusted(address):
            return str(address)
    return str(remote)
