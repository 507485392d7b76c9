"""The rules engine applied to the database.

Loads plain data with a fixed number of queries (never one per person or per unit), turns it
into the slate documents of SLATE_FORMAT.md and lets the pure engine (`congress.rules`) judge
them. Views, the structure recompute and the documents all go through here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.utils import timezone

from congress.rules.people import person_key, without_ids
from congress.rules.rulesets import RuleSet, with_overrides
from congress.rules.slate import Body, Candidate, Relative, Slate, evaluate, evaluate_dict
from congress.rules.slate import Tenure as EngineTenure
from personnel.models import Achievement, Cadre, FamilyRelation, Tenure
from vetting.models import VettingCase

# Findings that describe an election (surplus, seats), meaningless for a sitting committee.
ELECTION_ONLY_CODES = frozenset(
    {"SURPLUS_NONE", "SURPLUS_HIGH", "SURPLUS_OUT_OF_RANGE", "SURPLUS_LOW", "SEATS_RANGE"}
)

CADRE_FIELDS = (
    "id",
    "full_name",
    "sex",
    "birth_date",
    "ethnicity",
    "is_local",
    "extended_retirement",
)


def _attach_relatives(
    people: dict[int, dict[str, Any]], pairs: list, outside: dict[int, dict[str, Any]]
) -> None:
    """Give each person of `people` their relatives from `pairs` (cadre, relation, relative
    id, name, posts): a relative inside the set by id (once), one outside it by name and
    current posts (`outside`), a relative outside the registry by the recorded name and
    posts. A relative holding no post conflicts with nobody and is left out."""
    seen: set[tuple[int, int]] = set()
    for cadre_id, relation, relative_id, rel_name, rel_posts in pairs:
        person = people.get(cadre_id)
        if person is None:
            continue
        if relative_id is not None and relative_id in people:
            key = (cadre_id, relative_id)
            if key in seen:
                continue
            seen.add(key)
            person["relatives"].append({"id": person_key(relative_id), "relation": relation})
        elif relative_id is not None:
            info = outside.get(relative_id)
            if info:
                person["relatives"].append(
                    {"name": info["name"], "relation": relation, "posts": list(info["posts"])}
                )
        elif rel_posts:
            person["relatives"].append(
                {"name": rel_name, "relation": relation, "posts": list(rel_posts)}
            )


def load_candidates(
    cadre_qs: QuerySet, *, ref_year: int, term_id: int | None = None
) -> dict[int, dict[str, Any]]:
    """Candidate documents (without proposed posts) for every cadre of `cadre_qs`.

    Six queries whatever the number of cadres: cadres, tenures, relations both ways, the
    outside relatives' current posts, achievements, vetting conclusions.
    """
    # No default ordering in these reads: the cadre's (sort_key) would join the cadre table
    # into every one of them for nothing. Orders that decide the output are by id.
    ids_subquery = cadre_qs.order_by().values("pk")
    people: dict[int, dict[str, Any]] = {}
    for row in cadre_qs.values(*CADRE_FIELDS):
        people[row["id"]] = {
            "id": person_key(row["id"]),
            "name": row["full_name"],
            "sex": row["sex"],
            "birth_date": row["birth_date"].isoformat(),
            "ethnicity": row["ethnicity"] or "Kinh",
            "is_local": row["is_local"],
            "extended_retirement": row["extended_retirement"],
            "proposed_posts": [],
            "vetting": "none",
            "has_achievement_last_3y": False,
            "tenures": [],
            "relatives": [],
        }
    if not people:
        return people

    for t in (
        Tenure.objects.filter(cadre__in=ids_subquery)
        .order_by("cadre_id", "start", "pk")
        .values_list("cadre_id", "post__code", "unit__code", "start", "end")
    ):
        people[t[0]]["tenures"].append(
            {
                "post": t[1],
                "unit": t[2],
                "start": t[3].isoformat(),
                "end": t[4].isoformat() if t[4] else None,
            }
        )

    # Relations are symmetric: a row may be recorded on either side.
    pairs: list[tuple[int, str, int | None, str, list]] = []
    for cadre_id, relation, relative_id, rel_name, rel_posts in (
        FamilyRelation.objects.filter(cadre__in=ids_subquery)
        .order_by("pk")
        .values_list("cadre_id", "relation", "relative_id", "relative_name", "relative_posts")
    ):
        pairs.append((cadre_id, relation, relative_id, rel_name, rel_posts))
    for cadre_id, relation, relative_id in (
        FamilyRelation.objects.filter(relative__in=ids_subquery)
        .order_by("pk")
        .values_list("cadre_id", "relation", "relative_id")
    ):
        pairs.append((relative_id, relation, cadre_id, "", []))
    outside_ids = {p[2] for p in pairs if p[2] is not None and p[2] not in people}
    outside: dict[int, dict[str, Any]] = {}
    if outside_ids:
        for cid, name, post in (
            Tenure.objects.current()
            .filter(cadre_id__in=outside_ids)
            .values_list("cadre_id", "cadre__full_name", "post__code")
            .order_by()
        ):
            entry = outside.setdefault(cid, {"name": name, "posts": []})
            entry["posts"].append(post)
    _attach_relatives(people, pairs, outside)

    _attach_standards(people, Q(cadre__in=ids_subquery), ref_year=ref_year, term_id=term_id)
    return people


def _attach_standards(
    people: dict[int, dict[str, Any]], cadres: Q | Expression, *, ref_year: int, term_id
) -> None:
    """Each person's achievement of the last three years and vetting conclusion, read for the
    cadres `cadres` selects: the case of the congress's term wins; otherwise the latest
    conclusion on record."""
    for cid in (
        Achievement.objects.filter(cadres, year__gte=ref_year - 3)
        .order_by()
        .values_list("cadre_id", flat=True)
        .distinct()
    ):
        people[cid]["has_achievement_last_3y"] = True
    best: dict[int, tuple[int, Any, str]] = {}
    for cid, case_term, conclusion, requested_at in (
        VettingCase.objects.filter(cadres)
        .order_by("pk")
        .values_list("cadre_id", "term_id", "conclusion", "requested_at")
    ):
        rank = (1 if term_id is not None and case_term == term_id else 0, requested_at)
        if cid not in best or rank > best[cid][:2]:
            best[cid] = (*rank, conclusion)
    for cid, (_, _, conclusion) in best.items():
        people[cid]["vetting"] = conclusion


class _InArray(Expression):
    """`field = ANY('{1,2,3}'::bigint[])`: a set of ids as one constant. The planner knows
    how many ids the array holds (it takes `IN (SELECT unnest(...))` for 200 rows whatever
    its size, and then scanned the whole table for a part of one province), and the server
    parses one constant instead of thousands."""

    output_field = BooleanField()

    def __init__(self, field: str, ids: Iterable[int]) -> None:
        super().__init__()
        self.lhs = F(field)
        self.text = "{" + ",".join(map(str, map(int, ids))) + "}"

    def get_source_expressions(self):
        return [self.lhs]

    def set_source_expressions(self, exprs):
        (self.lhs,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return f"{sql} = ANY(%s::bigint[])", (*params, self.text)


def among(field: str, ids: Iterable[int]) -> Expression | Q:
    """A filter for rows whose `field` is one of `ids`, on PostgreSQL as one array constant
    (`_InArray`); elsewhere (SQLite under `make run`) a plain `__in`."""
    if connection.vendor == "postgresql":
        return _InArray(field, ids)
    return Q(**{f"{field}__in": list(ids)})


def load_candidate_sets(
    groups: list[Iterable[int]],
    *,
    ref_year: int,
    term_id: int | None = None,
    today: date | None = None,
) -> tuple[list[dict[int, dict[str, Any]]], dict[tuple[int, int], list[str]]]:
    """For each group of cadre ids, what `load_candidates` gives for the cadres of that group,
    with the rows of all groups read once (a query per table, the ids sent as one array).
    Also the current posts of every cadre read, per (cadre, unit), as `current_posts_by_cadre`
    gives them.

    A relative inside the group is named by id, one outside it by name and current posts, so
    the relatives are put together per group; everything else of a person is shared."""
    sets = [set(g) for g in groups]
    everyone = set().union(*sets)
    out: list[dict[int, dict[str, Any]]] = [{} for _ in sets]
    if not everyone:
        return out, {}
    today = today or timezone.localdate()
    base: dict[int, dict[str, Any]] = {}
    for cid, name, sex, birth, ethnicity, is_local, extended in (
        Cadre.objects.filter(among("pk", everyone)).order_by().values_list(*CADRE_FIELDS)
    ):
        base[cid] = {
            "id": person_key(cid),
            "name": name,
            "sex": sex,
            "birth_date": birth.isoformat(),
            "ethnicity": ethnicity or "Kinh",
            "is_local": is_local,
            "extended_retirement": extended,
            "proposed_posts": [],
            "vetting": "none",
            "has_achievement_last_3y": False,
            "tenures": [],
        }
    # Tenures by (cadre, start, pk), as load_candidates orders them; the open ones by pk, as
    # current_posts_by_cadre does.
    held: list[tuple[int, int, int, str]] = []
    for pk, cid, post, unit_id, unit, start, end in (
        Tenure.objects.filter(among("cadre_id", everyone))
        .order_by("cadre_id", "start", "pk")
        .values_list("pk", "cadre_id", "post__code", "unit_id", "unit__code", "start", "end")
    ):
        base[cid]["tenures"].append(
            {
                "post": post,
                "unit": unit,
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
            }
        )
        if start <= today and (end is None or end >= today):
            held.append((pk, cid, unit_id, post))
    posts: dict[tuple[int, int], list[str]] = defaultdict(list)
    for _, cid, unit_id, post in sorted(held):
        posts[(cid, unit_id)].append(post)

    _attach_standards(base, among("cadre_id", everyone), ref_year=ref_year, term_id=term_id)

    # Relations are symmetric: a row may be recorded on either side. Per group, the rows
    # recorded on its people's side come first, then the ones recorded on the other side,
    # each by id (load_candidates's two reads). Two reads, each on its own index: one read
    # with an OR scanned the whole table.
    forward = list(
        FamilyRelation.objects.filter(among("cadre_id", everyone))
        .order_by("pk")
        .values_list("cadre_id", "relation", "relative_id", "relative_name", "relative_posts")
    )
    backward = list(
        FamilyRelation.objects.filter(among("relative_id", everyone))
        .order_by("pk")
        .values_list("cadre_id", "relation", "relative_id")
    )
    outside_ids: set[int] = set()
    for group in sets:
        outside_ids.update(
            r[2] for r in forward if r[2] is not None and r[0] in group and r[2] not in group
        )
        outside_ids.update(r[0] for r in backward if r[2] in group and r[0] not in group)
    outside: dict[int, dict[str, Any]] = {}
    if outside_ids:
        for cid, name, post in (
            Tenure.objects.current(today)
            .filter(among("cadre_id", outside_ids))
            .values_list("cadre_id", "cadre__full_name", "post__code")
            .order_by("pk")
        ):
            entry = outside.setdefault(cid, {"name": name, "posts": []})
            entry["posts"].append(post)

    for group, people in zip(sets, out, strict=True):
        for cid in group:
            person = base.get(cid)
            if person is not None:
                people[cid] = {**person, "relatives": []}
        pairs = [row for row in forward if row[0] in people]
        pairs += [
            (relative_id, relation, cadre_id, "", [])
            for cadre_id, relation, relative_id in backward
            if relative_id in people
        ]
        _attach_relatives(people, pairs, outside)
    return out, dict(posts)


def current_posts_by_cadre(cadre_qs: QuerySet, unit_ids: set[int] | None = None) -> dict:
    """Open tenures (no end) of the cadres, as post codes, per (cadre, unit)."""
    out: dict[tuple[int, int], list[str]] = defaultdict(list)
    qs = Tenure.objects.current().filter(cadre__in=cadre_qs.order_by().values("pk"))
    for cid, uid, code in qs.order_by("pk").values_list("cadre_id", "unit_id", "post__code"):
        if unit_ids is None or uid in unit_ids:
            out[(cid, uid)].append(code)
    return out


def unit_overrides(ethnic_target_percent) -> dict[str, Any] | None:
    """Rule-set parameters a unit sets for itself: the ethnic-minority target is "suited to
    the locality" (RULES.md §3), so it lives on the unit, not in the rule set."""
    if ethnic_target_percent is None:
        return None
    return {"ethnic_min_percent": float(ethnic_target_percent)}


def first_of_month(d: date) -> date:
    return d.replace(day=1)


def default_reference(ruleset: RuleSet, level: str, kind: str) -> date:
    """The date a body's ages and terms are counted at: the rule set's for the level (or for
    people's councils), else the first day of the current month."""
    key = "people_council" if kind == "people_council" else level
    return ruleset.reference_dates.get(key) or first_of_month(timezone.localdate())


def evaluate_body(
    *,
    ruleset: RuleSet,
    level: str,
    kind: str,
    seats: int,
    unit_code: str,
    candidates: list[dict[str, Any]],
    incumbents: list[str],
    formed_from: int = 1,
    reference_date: date | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Evaluate one body. The reference date defaults to the rule set's for the level, or the
    first day of the current month where the rule set has none."""
    doc: dict[str, Any] = {
        "ruleset": ruleset.code,
        "body": {
            "level": level,
            "kind": kind,
            "seats": max(1, seats),
            "unit": unit_code,
            "formed_from": formed_from,
        },
        "incumbents": incumbents,
        "candidates": candidates,
    }
    if overrides:
        doc["rules"] = overrides
    reference = reference_date or default_reference(ruleset, level, kind)
    doc["reference_date"] = reference.isoformat()
    result = evaluate_dict(doc, rulesets={ruleset.code: ruleset})
    without_ids(result["findings"], {c["id"]: c.get("name") for c in candidates})
    return result


def engine_candidate(person: dict[str, Any]) -> Candidate:
    """The engine's own candidate for a person document of `load_candidates` or
    `load_candidate_sets`, built without `parse_slate`'s checks: the rows come from our
    database, whose constraints already hold what the checks ask of a slate file (known
    posts and relations, real dates). Proposed posts are set per body (`with_posts`)."""
    iso = date.fromisoformat
    return Candidate(
        person["id"],
        person["name"] or "",
        person["sex"],
        iso(person["birth_date"]),
        person["ethnicity"] or "Kinh",
        bool(person["is_local"]),
        bool(person["extended_retirement"]),
        tuple(person["proposed_posts"]),
        person["vetting"] or "none",
        bool(person["has_achievement_last_3y"]),
        tuple(
            EngineTenure(t["post"], t["unit"], iso(t["start"]), iso(t["end"]) if t["end"] else None)
            for t in person["tenures"]
        ),
        tuple(
            Relative(r["relation"], r.get("id"), r.get("name"), tuple(r.get("posts") or ()))
            for r in person["relatives"]
        ),
    )


def with_posts(c: Candidate, posts: Iterable[str]) -> Candidate:
    """`c` proposed for `posts`. Spelled out, not `dataclasses.replace`: 0.4 µs against
    3 µs, once per seat of every body of a province."""
    return Candidate(
        c.id, c.name, c.sex, c.birth_date, c.ethnicity, c.is_local, c.extended_retirement,
        tuple(posts), c.vetting, c.has_achievement_last_3y, c.tenures, c.relatives,
    )  # fmt: skip


_OVERRIDDEN: dict[tuple[int, tuple], tuple[RuleSet, RuleSet]] = {}


def _overridden(ruleset: RuleSet, overrides: dict[str, Any] | None) -> RuleSet:
    """`with_overrides`, once per rule set and overrides: the engine compiles a rule set once
    per object, and a province has a few dozen ethnic targets for thousands of bodies."""
    if not overrides:
        return ruleset
    key = (id(ruleset), tuple(sorted(overrides.items())))
    hit = _OVERRIDDEN.get(key)
    if hit is None or hit[0] is not ruleset:
        if len(_OVERRIDDEN) >= 256:
            _OVERRIDDEN.clear()
        hit = _OVERRIDDEN[key] = (ruleset, with_overrides(ruleset, overrides))
    return hit[1]


def evaluate_candidates(
    *,
    ruleset: RuleSet,
    level: str,
    kind: str,
    seats: int,
    unit_code: str,
    candidates: list[Candidate],
    incumbents: Iterable[str],
    formed_from: int = 1,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`evaluate_body` for candidates already in the engine's form (`engine_candidate`): the
    same slate, judged without building and parsing its document again. The structure
    recompute judges every body of a province this way."""
    rs = _overridden(ruleset, overrides)
    slate = Slate(
        rs,
        default_reference(rs, level, kind),
        Body(level, kind, max(1, seats), unit_code, None, formed_from),
        frozenset(incumbents),
        tuple(candidates),
    )
    result = evaluate(slate)
    without_ids(result["findings"], {c.id: c.name for c in candidates})
    return result


def committee_candidates(
    cadre_ids: Iterable[int], people: dict[int, dict[str, Any]], posts: dict, unit_id: int
) -> list[dict[str, Any]]:
    """A unit's sitting executive committee as the engine's candidates: each member proposed
    for the posts they hold in the unit (see `current_posts_by_cadre`), or as a plain member."""
    candidates = []
    for cid in cadre_ids:
        person = people.get(cid)
        if person is None:
            continue
        doc = dict(person)
        doc["proposed_posts"] = posts.get((cid, unit_id)) or ["member"]
        candidates.append(doc)
    return candidates


def evaluate_committee(
    *,
    ruleset: RuleSet,
    level: str,
    unit_code: str,
    ethnic_target_percent,
    formed_from: int,
    candidates: list[dict[str, Any]],
    incumbent_ids: Iterable[int],
) -> dict[str, Any]:
    """The sitting committee judged as a body of its own size."""
    return evaluate_body(
        ruleset=ruleset,
        level=level,
        kind="executive",
        seats=len(candidates),
        unit_code=unit_code,
        candidates=candidates,
        incumbents=[person_key(c) for c in incumbent_ids],
        formed_from=formed_from,
        overrides=unit_overrides(ethnic_target_percent),
    )
