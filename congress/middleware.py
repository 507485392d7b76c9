"""A request whose database connection was cut (a restart, a failover, an administrator
terminating backends) is served again on a fresh connection instead of answering 500.

Safe because a cut connection commits nothing: the request's transactions were rolled back
with it. Django turns the exception into a 500 deep inside the middleware chain and signals
`got_request_exception`; the outermost middleware notes it and runs the request again.
"""

from __future__ import annotations

import logging

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.dispatch import receiver

log = logging.getLogger("congress.db")

ATTEMPTS = 3
LOST_MARKERS = (
    "terminating connection",
    "server closed the connection",
    "connection already closed",
    "could not connect",
    "connection refused",
    "ssl syscall error",
    "the database system is",
)


def connection_lost(exc: BaseException) -> bool:
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    text = str(exc).lower()
    return isinstance(exc, InterfaceError) or any(m in text for m in LOST_MARKERS)


@receiver(got_request_exception)
def _note_lost_connection(sender, request=None, **kwargs):
    import sys

    exc = sys.exc_info()[1]
    if request is not None and exc is not None and connection_lost(exc):
        request._db_connection_lost = True


class RetryLostConnectionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for attempt in range(1, ATTEMPTS + 1):
            request._db_connection_lost = False
            response = self.get_response(request)
            if not request._db_connection_lost or attempt == ATTEMPTS:
                return response
            log.warning("database connection lost serving %s; retrying", request.path)
            for conn in connections.all(initialized_only=True):
                if conn.connection is not None and not conn.is_usable():
                    conn.close()
        return response
