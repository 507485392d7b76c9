"""Pure-Python personnel rules engine (no Django imports).

See ``/shared/domain/RULES.md`` and ``SLATE_FORMAT.md`` for the contract this package implements.
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
