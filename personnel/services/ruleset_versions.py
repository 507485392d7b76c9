"""Rule sets in the database: editable, versioned copies of the engine's presets
(`RuleSetVersion` rows), and the engine's `RuleSet` made from one."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from congress.rules.rulesets import (
    PRESETS,
    RuleSet,
    ruleset_from_dict,
    ruleset_to_dict,
    with_overrides,
)
from personnel.models import RuleSetVersion
from personnel.services.audit import audit

DEFAULT_RULESET = "CT45-2025"


def engine_ruleset(row: RuleSetVersion) -> RuleSet:
    return ruleset_from_dict(row.data)


def latest_ruleset(code: str = DEFAULT_RULESET) -> RuleSetVersion:
    row = RuleSetVersion.objects.filter(code=code).order_by("-version").first()
    if row is None:
        rs = PRESETS[code]
        row = RuleSetVersion.objects.create(
            code=code, name=rs.name, source=rs.source, data=ruleset_to_dict(rs), is_preset=True
        )
    return row


def engine_rulesets() -> dict[str, RuleSet]:
    """The latest version of every rule set code, for the engine's `rulesets=` argument."""
    out = dict(PRESETS)
    latest = RuleSetVersion.objects.values("code").annotate(v=Max("version"))
    for entry in latest:
        row = RuleSetVersion.objects.get(code=entry["code"], version=entry["v"])
        out[row.code] = engine_ruleset(row)
    return out


@transaction.atomic
def ruleset_edit(
    *, base: RuleSetVersion, params: dict[str, Any], note: str, user, new_code: str | None = None
) -> RuleSetVersion:
    """Write a new version (or, with `new_code`, a new copy) with changed parameters; the old
    row is never touched. Unknown parameter names are refused by the engine."""
    rs = with_overrides(engine_ruleset(base), params)
    data = ruleset_to_dict(rs)
    code = new_code or base.code
    if new_code:
        data["code"] = new_code
    version = (RuleSetVersion.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1
    row = RuleSetVersion.objects.create(
        code=code,
        version=version,
        name=base.name if not new_code else f"{base.name} (bản sao {new_code})",
        source=base.source,
        data=data,
        based_on=base,
        note=note,
        created_by=user,
    )
    audit(
        actor=user,
        action="ruleset.version",
        obj=row,
        before={"code": base.code, "version": base.version, "params": base.data.get("params")},
        after={"code": row.code, "version": row.version, "params": data.get("params")},
        note=note,
    )
    return row
