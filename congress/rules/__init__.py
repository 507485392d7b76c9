"""Pure-Python personnel rules engine. Its modules import the standard library only: no Django, no Celery.

It implements RULES.md (the regulations) and SLATE_FORMAT.md (the slate contract). Where things are:

- ``rulesets``: :class:`RuleSet`, the two presets (CT35-2019, CT45-2025) and overrides. Every regulation
  number lives here, with its source; a new congress cycle is a new rule set, not a code change.
- ``slate``: the slate contract. Input types, :func:`parse_slate` (bad input raises
  :class:`SlateInputError`), and :func:`evaluate`, a short driver: it computes the per-slate context
  once (``slate_context``), runs the rules, assembles the output document.
- ``checks``: the slate rules, one named function each, registered in order in ``checks.RULES``; each
  states the finding codes it emits with their severity and message, and the parameters it reads.
  ``checks/age.py`` (retirement, first-time and re-election age), ``posts.py`` (term limit, family
  conflict, local secretary), ``standards.py`` (vetting, achievements), ``size.py`` (surplus, seats),
  ``structure.py`` (woman in the standing committee, ratios, age tiers), ``base.py`` (what a rule is).
- ``planning``: the planning (quy hoạch) checks, RULES.md §9, and the yearly review.
- ``common``: what slates and plans share: exact percents, ratios and age tiers, the finding dict,
  how a message names a person and a source.
- ``dates``: age, retirement age and date, months left (RULES.md §2).
- ``labels``: Vietnamese labels of the codes, for messages.
- ``cli``: the ``evaluate_slate`` command (wrapped by the management command).
"""

from .rulesets import PRESETS, RuleSet, ruleset_from_dict, ruleset_to_dict, with_overrides
from .slate import SlateInputError, evaluate, evaluate_dict, parse_slate

__all__ = [
    "PRESETS",
    "RuleSet",
    "SlateInputError",
    "evaluate",
    "evaluate_dict",
    "parse_slate",
    "ruleset_from_dict",
    "ruleset_to_dict",
    "with_overrides",
]
