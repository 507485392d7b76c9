"""Extension points of the registry pages, filled by the apps above.

The registry never imports the apps above it. A page of the registry (a cadre, a unit) shows
what those apps know of the object through panels they register here from their
`AppConfig.ready()`: vetting adds the vetting outcome to the cadre page, planning the plans
a cadre is in, congress the lists and the committee's findings on the unit page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q


@dataclass
class Panel:
    """One section of a page: a template and its context, placed by `order`."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


class Hook:
    """A list of functions the apps register; calling the hook calls each in turn and keeps
    the answers that are not None."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._functions: list[Callable] = []

    def register(self, function: Callable) -> Callable:
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __call__(self, *args: Any, **kwargs: Any) -> list[Any]:
        answers = (f(*args, **kwargs) for f in self._functions)
        return [a for a in answers if a is not None]


# fn(request, cadre) -> Panel | None: sections of the cadre page.
cadre_panels = Hook("cadre_panels")
# fn(request, unit, page_number) -> Panel | None: sections of the unit page.
unit_panels = Hook("unit_panels")
# fn(cadre) -> Q | None: audit rows of other apps' objects that belong in a cadre's history.
cadre_history = Hook("cadre_history")


def panels(hook: Hook, *args: Any) -> list[Panel]:
    return sorted(hook(*args), key=lambda p: p.order)


def history_q(cadre) -> Q | None:
    q = None
    for extra in cadre_history(cadre):
        q = extra if q is None else q | extra
    return q


@dataclass
class ArchivedRow:
    """One archived record on the archive page, with where to read it and restore it."""

    label: str
    url: str
    restore_url: str
    archived_at: Any
    archived_by: Any
    reason: str


# fn(user) -> (title, list[ArchivedRow]) | None: the archived records of each app that the
# user may restore, for the archive page.
archived_sections = Hook("archived_sections")
