"""Structure snapshots: the engine applied to every unit's committee and proposed lists,
stored per unit and rolled up the tree.

Data is loaded with a fixed number of queries for the whole subtree (never one per unit or
per person); the engine runs in Python on plain dicts; writes are batched upserts. A rerun on
unchanged data writes nothing: each snapshot keeps the hash of the input it was computed from.
"""

from __future__ import annotations

import copy
import gc
import hashlib
import io
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, JSONField, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from congress.engine import (
    ELECTION_ONLY_CODES,
    among,
    engine_candidate,
    evaluate_candidates,
    load_candidate_sets,
    unit_overrides,
    with_posts,
)
from congress.models import Nominee, NomineeList, RecomputeJob, StructureSnapshot
from congress.rules.people import person_key
from congress.rules.rulesets import ruleset_from_dict
from personnel.jobs import job_send
from personnel.models import (
    Body,
    CommitteeMembership,
    PartyUnit,
    RuleSetVersion,
    Term,
    path_ids,
)
from personnel.services.ruleset_versions import engine_ruleset, latest_ruleset

COMMITTEE_SLOT = "committee"
EMPTY_SUMMARY: dict[str, Any] = {
    "ratios": {},
    "finding_counts": {},
    "error_count": 0,
    "warning_count": 0,
    "missed_targets": [],
    "missed": "",
    "female_pct": None,
    "young_pct": None,
    "renewal_pct": None,
    "member_count": 0,
}
SNAPSHOT_FIELDS = [
    "source",
    "nominee_list",
    "computed_at",
    "ruleset_code",
    "ruleset_version",
    "member_count",
    "ratios",
    "finding_counts",
    "error_count",
    "warning_count",
    "missed_targets",
    "missed",
    "female_pct",
    "young_pct",
    "renewal_pct",
    "input_hash",
]
RATIO_KEYS = ("female", "young", "ethnic_minority", "renewal", "age_tier_low", "age_tier_mid")
CHUNK = 250
# Up to this many units, an edit's roll-ups are updated by difference along their path
# instead of being summed again over the whole tree.
INCREMENTAL_MAX_UNITS = 50
# From this many rows, snapshots are written through COPY rather than a bulk insert.
COPY_MIN_ROWS = 200


class SnapshotRow:
    """A snapshot about to be written, with the attributes of a model instance (by attname)
    but without the model's constructor: a province writes thousands of them, and COPY reads
    the values straight from `__dict__`. `instance()` gives the model object."""

    # Each field's default as the model gives it: the values, and the callables called for
    # each row (a dict or list of its own, never one shared by every row).
    _defaults: tuple[dict[str, Any], list[tuple[str, Callable[[], Any]]]] | None = None

    def __init__(self, **fields: Any) -> None:
        if SnapshotRow._defaults is None:
            columns = [f for f in StructureSnapshot._meta.concrete_fields if not f.primary_key]
            made = {f.attname for f in columns if f.has_default() and callable(f.default)}
            SnapshotRow._defaults = (
                {f.attname: f.get_default() for f in columns if f.attname not in made},
                [(f.attname, f.default) for f in columns if f.attname in made],
            )
        values, factories = SnapshotRow._defaults
        self.__dict__.update(values)
        for name, factory in factories:
            if name not in fields:
                self.__dict__[name] = factory()
        self.__dict__.update(fields)

    def instance(self) -> StructureSnapshot:
        return StructureSnapshot(**self.__dict__)


def current_terms(today=None) -> tuple[Term | None, Term | None]:
    """The term in force today and the one before it."""
    today = today or timezone.localdate()
    terms = list(Term.objects.filter(start__lte=today).order_by("-start")[:2])
    current = terms[0] if terms else None
    previous = terms[1] if len(terms) > 1 else None
    return current, previous


def _hash(head: tuple, people: list[tuple[bytes, tuple[str, ...]]]) -> str:
    """The input hash of a snapshot: the body's own inputs (`head`, plain values), then each
    candidate's document as repr writes it (encoded once per person) and the posts they are
    proposed for. The text of a repr of plain values is fixed by the values."""
    h = hashlib.sha256(repr(head).encode())
    for doc, posts in people:
        h.update(doc)
        text = _POSTS_TEXT.get(posts)
        if text is None:
            if len(_POSTS_TEXT) >= 4096:
                _POSTS_TEXT.clear()
            text = _POSTS_TEXT[posts] = repr(posts).encode()
        h.update(text)
    return h.hexdigest()


# A province's bodies propose a few dozen distinct tuples of posts: each repr'd once.
_POSTS_TEXT: dict[tuple[str, ...], bytes] = {}


def _summary(result: dict[str, Any], drop: frozenset[str] = frozenset()) -> dict[str, Any]:
    counts: dict[str, int] = defaultdict(int)
    errors = warnings = 0
    for f in result["findings"]:
        if f["code"] in drop:
            continue
        counts[f"{f['code']}:{f['severity']}"] += 1
        if f["severity"] == "error":
            errors += 1
        else:
            warnings += 1
    ratios = result["ratios"]
    missed = [k for k, r in ratios.items() if not r["ok"]]
    return {
        "ratios": ratios,
        "finding_counts": dict(counts),
        "error_count": errors,
        "warning_count": warnings,
        "missed_targets": missed,
        "missed": "|" + "|".join(missed) + "|" if missed else "",
        "female_pct": ratios["female"]["percent"],
        "young_pct": ratios["young"]["percent"],
        "renewal_pct": ratios["renewal"]["percent"],
        "member_count": result["candidate_count"],
    }


def _select_units(root: PartyUnit | None, unit_ids: Iterable[int] | None) -> list[dict]:
    qs = PartyUnit.objects.all()
    if unit_ids is not None:
        qs = qs.filter(among("pk", unit_ids))
    elif root is not None:
        qs = qs.filter(path__startswith=root.path)
    return list(qs.values("id", "code", "level", "path", "ethnic_target_percent").order_by("path"))


def recompute_structure(
    *,
    root: PartyUnit | None = None,
    unit_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
    ancestors: bool = True,
    full_rollups: bool = False,
) -> dict[str, int]:
    """Recompute the snapshots of a subtree (or of the given units), then the roll-ups of
    those units and their ancestors (with `ancestors` off, of the given subtrees only: a part
    of a fanned-out recompute, whose parent job rolls up the ancestors once for all parts).
    `full_rollups` rebuilds the roll-ups from every stored snapshot instead of shifting the
    stored totals by what changed (the parent job of a fanned-out recompute: its parts did
    not shift them). Returns counts of units seen and snapshots written, and
    the seconds spent loading, evaluating and writing."""
    # The run builds a few hundred thousand small dicts and lists that live until its end;
    # the cyclic collector would walk them again at every full collection (a tenth of the
    # run). They hold no cycles of their own, so the collector can wait for the run's end.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _recompute_structure(
            root=root,
            unit_ids=unit_ids,
            progress=progress,
            ancestors=ancestors,
            full_rollups=full_rollups,
        )
    finally:
        if paused:
            gc.enable()


def _recompute_structure(
    *,
    root: PartyUnit | None,
    unit_ids: Iterable[int] | None,
    progress: Callable[[int, int], None] | None,
    ancestors: bool,
    full_rollups: bool,
) -> dict[str, int]:
    started = time.perf_counter()
    units = _select_units(root, unit_ids)
    total = len(units)
    if progress:
        progress(0, total)
    if not units:
        return {"units": 0, "written": 0}
    ruleset_row = latest_ruleset()
    ruleset = engine_ruleset(ruleset_row)
    current, previous = current_terms()
    ids = [u["id"] for u in units]
    ref_year = timezone.localdate().year

    # --- load, a fixed number of queries for the whole set ---------------------------------
    # The unit ids go as one array constant (`among`): thousands of them in an IN list cost
    # more to build and to parse than the reads themselves.
    members: dict[int, list[int]] = defaultdict(list)
    incumbents: dict[int, set[int]] = defaultdict(set)
    member_ids: set[int] = set()
    if current:
        terms = [current.pk] + ([previous.pk] if previous else [])
        for uid, cid, term_id in CommitteeMembership.objects.filter(
            among("unit_id", ids), term_id__in=terms, body=Body.EXECUTIVE
        ).values_list("unit_id", "cadre_id", "term_id"):
            if term_id == current.pk:
                members[uid].append(cid)
                member_ids.add(cid)
            else:
                incumbents[uid].add(cid)
    formed_from = dict(
        PartyUnit.predecessors.through.objects.filter(among("from_partyunit_id", ids))
        .values("from_partyunit_id")
        .annotate(n=Count("id"))
        .values_list("from_partyunit_id", "n")
    )
    by_id = {u["id"]: u for u in units}

    lists = list(
        NomineeList.objects.filter(among("body__congress__unit_id", ids)).values(
            "id",
            "body__kind",
            "body__seats",
            "body__congress__unit_id",
            "body__congress__held_on",
            "body__congress__ruleset_id",
        )
    )
    # A handful of rule-set versions serve every list: each is read and built once (and so
    # compiled once by the engine, which caches by rule set). Most lists follow the latest
    # version, read and built above: only the others are read here.
    wanted = {row["body__congress__ruleset_id"] for row in lists}
    list_rulesets = {ruleset_row.pk: (ruleset, ruleset_row.version)}
    if wanted - list_rulesets.keys():
        list_rulesets.update(
            (pk, (ruleset_from_dict(data), version))
            for pk, data, version in RuleSetVersion.objects.filter(
                pk__in=wanted - list_rulesets.keys()
            ).values_list("pk", "data", "version")
        )
    nominees: dict[int, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
    nominee_ids: set[int] = set()
    if lists:
        # The proposed posts come as their JSON text, decoded once per distinct text: a
        # province has thousands of nominees and a handful of distinct post lists.
        decoded: dict[str | None, tuple[str, ...]] = {}
        for list_id, cid, text in (
            Nominee.objects.filter(among("nominee_list_id", [row["id"] for row in lists]))
            .annotate(posts_text=Cast("proposed_posts", TextField()))
            .values_list("nominee_list_id", "cadre_id", "posts_text")
        ):
            proposed = decoded.get(text)
            if proposed is None:
                proposed = decoded[text] = tuple(json.loads(text) or ()) if text else ()
            nominees[list_id].append((cid, proposed))
            nominee_ids.add(cid)
    # The committees' members and the nominees read together; each set keeps its own view
    # of who is a relative inside it.
    (people, nominee_people), posts = load_candidate_sets(
        [member_ids, nominee_ids], ref_year=ref_year
    )

    existing: dict[tuple[int, str], str] = {}
    stored_primary: dict[tuple[int, str], bool] = {}
    for u, slot_name, digest_, flag in StructureSnapshot.objects.filter(
        among("unit_id", ids)
    ).values_list("unit_id", "slot", "input_hash", "is_primary"):
        existing[(u, slot_name)] = digest_
        stored_primary[(u, slot_name)] = flag

    # Each person in the engine's own form once per set (not once per body they sit in), and
    # the text that stands for them in an input hash: their document, everything the engine
    # reads of them, as repr writes it (the loader builds every document's keys in one order).
    member_cands = {cid: engine_candidate(p) for cid, p in people.items()}
    nominee_cands = {cid: engine_candidate(p) for cid, p in nominee_people.items()}
    member_sigs = {cid: repr(p).encode() for cid, p in people.items()}
    nominee_sigs = {cid: repr(p).encode() for cid, p in nominee_people.items()}

    loaded = time.perf_counter()
    # --- evaluate in chunks --------------------------------------------------------------
    now = timezone.now()
    to_write: list[SnapshotRow] = []
    for start in range(0, total, CHUNK):
        for unit in units[start : start + CHUNK]:
            uid = unit["id"]
            seated = [
                (cid, tuple(posts.get((cid, uid)) or ("member",)))
                for cid in members.get(uid, ())
                if cid in member_cands
            ]
            inc = sorted(incumbents.get(uid, ()))
            digest = _hash(
                (ruleset_row.pk, inc, unit["level"], str(unit["ethnic_target_percent"])),
                [(member_sigs[cid], held) for cid, held in seated],
            )
            if existing.get((uid, COMMITTEE_SLOT)) != digest:
                if seated:
                    result = evaluate_candidates(
                        ruleset=ruleset,
                        level=unit["level"],
                        kind="executive",
                        seats=len(seated),
                        unit_code=unit["code"],
                        candidates=[with_posts(member_cands[cid], held) for cid, held in seated],
                        incumbents=[person_key(c) for c in inc],
                        formed_from=formed_from.get(uid, 1),
                        overrides=unit_overrides(unit["ethnic_target_percent"]),
                    )
                    summary = _summary(result, ELECTION_ONLY_CODES)
                else:
                    summary = dict(EMPTY_SUMMARY)
                to_write.append(
                    SnapshotRow(
                        unit_id=uid,
                        slot=COMMITTEE_SLOT,
                        source=StructureSnapshot.Source.COMMITTEE,
                        computed_at=now,
                        ruleset_code=ruleset.code,
                        ruleset_version=ruleset_row.version,
                        input_hash=digest,
                        **summary,
                    )
                )
        if progress:
            progress(min(start + CHUNK, total), total)
    for row in lists:
        uid = row["body__congress__unit_id"]
        unit = by_id[uid]
        list_rs, list_rs_version = list_rulesets[row["body__congress__ruleset_id"]]
        proposed = [
            (cid, posts_) for cid, posts_ in nominees.get(row["id"], ()) if cid in nominee_cands
        ]
        if not proposed:
            continue
        slot = f"list:{row['id']}"
        inc = sorted(incumbents.get(uid, ()))
        digest = _hash(
            (
                row["body__congress__ruleset_id"],
                row["body__kind"],
                row["body__seats"],
                inc,
                str(unit["ethnic_target_percent"]),
            ),
            [(nominee_sigs[cid], posts_) for cid, posts_ in proposed],
        )
        if existing.get((uid, slot)) == digest:
            continue
        result = evaluate_candidates(
            ruleset=list_rs,
            level=unit["level"],
            kind=row["body__kind"],
            seats=row["body__seats"],
            unit_code=unit["code"],
            candidates=[with_posts(nominee_cands[cid], posts_) for cid, posts_ in proposed],
            incumbents=[person_key(c) for c in inc],
            formed_from=formed_from.get(uid, 1),
            overrides=unit_overrides(unit["ethnic_target_percent"]),
        )
        to_write.append(
            SnapshotRow(
                unit_id=uid,
                slot=slot,
                source=StructureSnapshot.Source.LIST,
                nominee_list_id=row["id"],
                computed_at=now,
                ruleset_code=list_rs.code,
                ruleset_version=list_rs_version,
                input_hash=digest,
                **_summary(result),
            )
        )

    executive_lists = {
        row["body__congress__unit_id"]: row["id"]
        for row in lists
        if row["body__kind"] == "executive"
    }
    primary_fixes = _set_primary(ids, to_write, stored_primary, executive_lists)
    fresh = {o.unit_id: o for o in to_write if o.slot == COMMITTEE_SLOT}
    paths = {u["id"]: u["path"] for u in units}
    if not ancestors:
        # A part holds whole subtrees: computed afresh, it needs nothing stored for its sums.
        rollup_only = rebuild_rollups(
            fresh, paths, within=subtree_tops(paths.values()), stored=len(fresh) < len(units)
        )
    elif root is None and not full_rollups and len(units) <= INCREMENTAL_MAX_UNITS:
        rollup_only = update_rollups(fresh, paths)
    elif full_rollups and len(units) == 1 and len(path_ids(units[0]["path"])) == 1:
        # The own job of a top unit whose parts have just summed each child subtree.
        rollup_only = rollup_from_children(units[0]["id"], fresh, paths)
    else:
        # A whole tree computed afresh from its top needs nothing stored to sum its roll-ups.
        whole = root is not None and root.parent_id is None and len(fresh) == len(units)
        rollup_only = rebuild_rollups(fresh, paths, stored=not whole)
    evaluated = time.perf_counter()
    with transaction.atomic():
        _upsert(
            to_write,
            [*SNAPSHOT_FIELDS, "is_primary", "rollup"],
            new=not any((o.unit_id, o.slot) in existing for o in to_write),
        )
        _upsert(primary_fixes, ["is_primary"])
        _upsert(rollup_only, ["rollup"])
    return {
        "units": total,
        "written": len(to_write),
        "load_s": round(loaded - started, 3),
        "evaluate_s": round(evaluated - loaded, 3),
        "write_s": round(time.perf_counter() - evaluated, 3),
    }


def _set_primary(
    unit_ids: list[int],
    to_write: list[StructureSnapshot],
    stored: dict[tuple[int, str], bool],
    executive_lists: dict[int, int],
) -> list[StructureSnapshot]:
    """Flag the snapshot the dashboard shows for each unit (its executive list when it has
    one, otherwise its committee) on the rows about to be written, and return the flag
    changes of rows that are not rewritten."""
    slots: dict[int, set[str]] = defaultdict(set)
    for uid, slot in stored:
        slots[uid].add(slot)
    for obj in to_write:
        slots[obj.unit_id].add(obj.slot)
    want: dict[int, str] = {}
    for uid in unit_ids:
        list_id = executive_lists.get(uid)
        slot = f"list:{list_id}" if list_id else None
        want[uid] = slot if slot in slots[uid] else COMMITTEE_SLOT
    written = set()
    for obj in to_write:
        obj.is_primary = want.get(obj.unit_id) == obj.slot
        written.add((obj.unit_id, obj.slot))
    fixes = []
    for (uid, slot), flag in stored.items():
        if (uid, slot) in written or uid not in want:
            continue
        if flag != (want[uid] == slot):
            fixes.append(StructureSnapshot(unit_id=uid, slot=slot, is_primary=not flag))
    return fixes


def _upsert(rows: list[StructureSnapshot], fields: list[str], new: bool = False) -> None:
    """Write some fields of snapshots, inserting the missing ones. Django's bulk_update
    builds a CASE per row and took seconds for a province; an upsert on (unit, slot) keeps
    each row's id. On PostgreSQL, many rows go through COPY (`_copy_upsert`): Django's
    per-value preparation of a bulk insert cost more than the database's work. `new` says
    none of the rows was stored when the recompute read the snapshots."""
    if len(rows) >= COPY_MIN_ROWS and connection.vendor == "postgresql":
        _copy_upsert(rows, fields, new=new)
    elif rows:
        StructureSnapshot.objects.bulk_create(
            [r.instance() if isinstance(r, SnapshotRow) else r for r in rows],
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["unit", "slot"],
            update_fields=fields,
        )


def _copy_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _copy_json(value: Any) -> str:
    # json.dumps escapes every control character, so only its backslashes need doubling.
    return "\\N" if value is None else json.dumps(value).replace("\\", "\\\\")


def _copy_bool(value: Any) -> str:
    return "\\N" if value is None else ("t" if value else "f")


def _copy_number(value: Any) -> str:
    return "\\N" if value is None else str(value)


def _copy_any(value: Any) -> str:
    if value is None:
        return "\\N"
    if not isinstance(value, str):
        value = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return _copy_text(value)


def _copy_encoder(field) -> Callable[[Any], str]:
    """How a value of `field` is written in COPY's text format: as psycopg2 would send it in
    an INSERT, JSON as Django's JSONField encodes it."""
    if isinstance(field, JSONField):
        return _copy_json
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return _copy_bool
    if kind in ("FloatField", "ForeignKey") or kind.endswith("IntegerField"):
        return _copy_number
    return _copy_any


def _same(value: Any) -> Any:
    return value


def _copy_upsert(rows: list[StructureSnapshot], fields: list[str], new: bool = False) -> None:
    """The same upsert as bulk_create's: the rows are copied into a temporary table, then
    inserted from it, a conflict on (unit, slot) updating `fields`. Rows that were `new` when
    read (a subtree computed for the first time) are copied straight into the table; if
    another recompute stored one of them since, the unique constraint refuses the copy and
    the upsert runs instead."""
    meta = StructureSnapshot._meta
    columns = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns)
    updates = ", ".join(
        f"{c} = EXCLUDED.{c}" for c in (quote(meta.get_field(name).column) for name in fields)
    )
    unique = ", ".join(quote(meta.get_field(name).column) for name in ("unit", "slot"))
    table = quote(meta.db_table)

    # Each value is encoded once: a JSON value by identity (the empty summary every unit
    # without a committee shares; the rows are alive for the whole call, so their ids stay
    # theirs), a scalar by value (the source, the time, the rule set, an empty "missed").
    def once(encode: Callable[[Any], str], key: Callable[[Any], Any]) -> Callable[[Any], str]:
        memo: dict[Any, str] = {}

        def encode_once(value: Any) -> str:
            k = key(value)
            text = memo.get(k)
            if text is None:
                text = memo[k] = encode(value)
            return text

        return encode_once

    encoders = []
    for f in columns:
        encode = _copy_encoder(f)
        encoders.append((f.attname, once(encode, id if encode is _copy_json else _same)))
    buf = io.StringIO()
    write = buf.write
    for obj in rows:
        values = obj.__dict__  # by attname, skipping the foreign keys' descriptors
        write("\t".join([encode(values[name]) for name, encode in encoders]))
        write("\n")
    with transaction.atomic(), connection.cursor() as cur:
        if new:
            try:
                # COPY is the driver's own method: its errors become Django's only inside
                # wrap_database_errors (as in personnel.imports.writing).
                with transaction.atomic(), connection.wrap_database_errors:
                    buf.seek(0)
                    cur.copy_expert(f"COPY {table} ({names}) FROM STDIN", buf)
                return
            except IntegrityError:
                pass  # stored by another recompute meanwhile: upsert
        buf.seek(0)
        cur.execute(
            f"CREATE TEMPORARY TABLE snapshot_upsert ON COMMIT DROP AS "
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
        cur.copy_expert(f"COPY snapshot_upsert ({names}) FROM STDIN", buf)
        cur.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM snapshot_upsert "
            f"ON CONFLICT ({unique}) DO UPDATE SET {updates}"
        )
        cur.execute("DROP TABLE snapshot_upsert")


def subtree_tops(paths: Iterable[str]) -> set[str]:
    """The paths of the units whose parent is not among `paths`: the tops of the subtrees."""
    given = set(paths)
    return {p for p in given if p[: p.rstrip("/").rfind("/") + 1] not in given}


def rebuild_rollups(
    fresh: dict[int, StructureSnapshot],
    paths: dict[int, str],
    within: set[str] | None = None,
    stored: bool = True,
) -> list[StructureSnapshot]:
    """Roll-ups of the recomputed units and all their ancestors from every committee snapshot
    under them (a full recompute). Fresh snapshots take theirs in place; the rows of units
    not recomputed whose totals changed are returned for writing. Without `stored`, `fresh`
    holds every unit under the tops and nothing stored is read."""
    targets = {uid for path in paths.values() for uid in path_ids(path)}
    if within is not None:
        targets &= set(paths)  # the subtrees' own units: every one of them is under `within`
    rollups, stored_rollups = compute_rollups(targets, fresh, paths, within=within, stored=stored)
    rollup_only = []
    for uid, acc in rollups.items():
        if uid in fresh:
            fresh[uid].rollup = acc  # written with the snapshot itself
        elif stored_rollups.get(uid) != acc:
            # An ancestor not recomputed (or not computed yet) still carries its subtree's
            # totals; an empty input hash makes its own committee count at its next recompute.
            rollup_only.append(
                StructureSnapshot(
                    unit_id=uid, slot=COMMITTEE_SLOT, source=StructureSnapshot.Source.COMMITTEE,
                    rollup=acc,
                )
            )  # fmt: skip
    return rollup_only


def rollup_from_children(
    uid: int, fresh: dict[int, StructureSnapshot], paths: dict[int, str]
) -> list[StructureSnapshot]:
    """The roll-up of a top unit after the parts of its recompute: its own committee plus
    each child's roll-up (which its part has just summed over the child's subtree), a read
    of a few rows instead of every committee of the tree. A child without totals sends it
    back to `rebuild_rollups`."""
    children = list(PartyUnit.objects.filter(parent_id=uid).values_list("pk", flat=True))
    own = fresh.get(uid)
    acc = _empty_rollup()
    stored_own = None
    counted = 0
    for unit_id, rollup, members, ratios, errors, warnings, missed in (
        StructureSnapshot.objects.filter(among("unit_id", [uid, *children]), slot=COMMITTEE_SLOT)
        .values_list("unit_id", "rollup", "member_count", "ratios", "error_count",
                     "warning_count", "missed_targets")
    ):  # fmt: skip
        if unit_id == uid:
            stored_own = rollup
            if own is None:
                _shift(acc, _contribution(members, ratios, errors, warnings, missed), +1)
        elif rollup and "counts" in rollup:
            _shift(acc, rollup, +1)
            counted += 1
    if counted != len(children):
        return rebuild_rollups(fresh, paths)
    if own is not None:
        contribution = _contribution(
            own.member_count, own.ratios, own.error_count, own.warning_count, own.missed_targets
        )
        _shift(acc, contribution, +1)
        own.rollup = _with_percents(acc)
        return []
    acc = _with_percents(acc)
    if stored_own == acc:
        return []
    return [
        StructureSnapshot(
            unit_id=uid, slot=COMMITTEE_SLOT, source=StructureSnapshot.Source.COMMITTEE,
            rollup=acc,
        )
    ]  # fmt: skip


def _contribution(members: int, ratios: dict, errors: int, warnings: int, missed) -> dict:
    """What one committee snapshot adds to the roll-up of each unit on its path."""
    if not members:
        return _empty_rollup()
    return {
        "units": 1,
        "members": members,
        "errors": errors,
        "warnings": warnings,
        "units_with_errors": 1 if errors else 0,
        "counts": {k: (ratios.get(k) or {}).get("count", 0) for k in RATIO_KEYS},
        "missing": {k: 1 for k in missed},
    }


def _shift(acc: dict, contribution: dict, sign: int) -> None:
    for key in ("units", "members", "errors", "warnings", "units_with_errors"):
        acc[key] += sign * contribution[key]
    for key, n in contribution["counts"].items():
        acc["counts"][key] = acc["counts"].get(key, 0) + sign * n
    for key, n in contribution["missing"].items():
        left = acc["missing"].get(key, 0) + sign * n
        if left:
            acc["missing"][key] = left
        else:
            acc["missing"].pop(key, None)


def _with_percents(acc: dict) -> dict:
    acc["percents"] = {
        k: round(100 * v / acc["members"], 1) if acc["members"] else 0.0
        for k, v in acc["counts"].items()
    }
    return acc


def update_rollups(
    fresh: dict[int, StructureSnapshot], paths: dict[int, str]
) -> list[StructureSnapshot]:
    """Roll-ups after a few units were recomputed (an edit): each changed committee takes its
    old contribution out of the stored totals of the units on its path and puts its new one
    in. Two small reads, and only the path is written. Falls back to a rebuild when a unit on
    the path has no stored totals yet."""
    if not fresh:
        return []
    old: dict[int, dict] = {uid: _empty_rollup() for uid in fresh}
    for uid, members, ratios, errors, warnings, missed in StructureSnapshot.objects.filter(
        unit_id__in=list(fresh), slot=COMMITTEE_SLOT
    ).values_list("unit_id", "member_count", "ratios", "error_count", "warning_count",
                  "missed_targets"):  # fmt: skip
        old[uid] = _contribution(members, ratios, errors, warnings, missed)
    changes = {}
    for uid, obj in fresh.items():
        new = _contribution(
            obj.member_count, obj.ratios, obj.error_count, obj.warning_count, obj.missed_targets
        )
        if new != old[uid]:
            changes[uid] = new
    path_units = {a for uid in changes for a in path_ids(paths[uid])}
    stored = dict(
        StructureSnapshot.objects.filter(
            unit_id__in=path_units | set(fresh), slot=COMMITTEE_SLOT
        ).values_list("unit_id", "rollup")
    )
    if any(not stored.get(a) or "counts" not in stored[a] for a in path_units | set(fresh)):
        return rebuild_rollups(fresh, paths)
    totals = {a: copy.deepcopy(stored[a]) for a in path_units}
    for uid, new in changes.items():
        for a in path_ids(paths[uid]):
            _shift(totals[a], old[uid], -1)
            _shift(totals[a], new, +1)
    rollup_only = []
    for uid, obj in fresh.items():
        obj.rollup = _with_percents(totals[uid]) if uid in totals else stored.get(uid) or {}
    for a, acc in totals.items():
        if a not in fresh:
            rollup_only.append(
                StructureSnapshot(
                    unit_id=a, slot=COMMITTEE_SLOT, source=StructureSnapshot.Source.COMMITTEE,
                    rollup=_with_percents(acc),
                )
            )  # fmt: skip
    return rollup_only


def compute_rollups(
    targets: set[int],
    fresh: dict[int, StructureSnapshot],
    paths: dict[int, str],
    within: set[str] | None = None,
    stored: bool = True,
) -> tuple[dict[int, dict[str, Any]], dict[int, Any]]:
    """The subtree totals of the target units: the committee snapshots below them, taking
    the freshly computed ones (`fresh`, not written yet) over what is stored. One read of the
    snapshots with members under the top-most units (or under the paths `within`, when every
    target is there), one of the stored totals of the targets not in `fresh`; neither
    without `stored` (`fresh` then holds every unit under the tops).
    Returns the totals and the stored roll-ups of the targets not in `fresh`."""
    tops = within or {f"/{path_ids(path)[0]}/" for path in paths.values()}
    q = Q()
    for top in tops:
        q |= Q(unit__path__startswith=top)
    rows: dict[int, tuple] = {}
    stored_rollups: dict[int, Any] = {}
    if stored:
        # Only committees with members add to a sum (most units of a province have none).
        for uid, path, members, ratios, errors, warnings, missed in (
            StructureSnapshot.objects.filter(q, slot=COMMITTEE_SLOT, member_count__gt=0)
            .values_list(
                "unit_id", "unit__path", "member_count", "ratios", "error_count",
                "warning_count", "missed_targets",
            )
        ):  # fmt: skip
            rows[uid] = (path, members, ratios, errors, warnings, missed)
        # The stored totals of the targets that take no fresh snapshot, to write the changed.
        others = targets.difference(fresh)
        if others:
            stored_rollups = dict(
                StructureSnapshot.objects.filter(
                    among("unit_id", others), slot=COMMITTEE_SLOT
                ).values_list("unit_id", "rollup")
            )
    for uid, obj in fresh.items():
        rows[uid] = (
            paths[uid], obj.member_count, obj.ratios, obj.error_count, obj.warning_count,
            obj.missed_targets,
        )  # fmt: skip
    sums: dict[int, dict[str, Any]] = {uid: _empty_rollup() for uid in targets}
    for path, member_count, ratios, errors, warnings, missed in rows.values():
        if not member_count:
            continue
        for ancestor in path_ids(path):
            acc = sums.get(ancestor)
            if acc is None:
                continue
            acc["units"] += 1
            acc["members"] += member_count
            acc["errors"] += errors
            acc["warnings"] += warnings
            acc["units_with_errors"] += 1 if errors else 0
            for key in RATIO_KEYS:
                acc["counts"][key] += (ratios.get(key) or {}).get("count", 0)
            for key in missed:
                acc["missing"][key] = acc["missing"].get(key, 0) + 1
    for acc in sums.values():
        _with_percents(acc)
    return sums, stored_rollups


def _empty_rollup() -> dict[str, Any]:
    return {
        "units": 0,
        "members": 0,
        "errors": 0,
        "warnings": 0,
        "units_with_errors": 0,
        "counts": {k: 0 for k in RATIO_KEYS},
        "missing": {},
    }


def enqueue_recompute(*, unit_ids: list[int] | None = None, root: PartyUnit | None = None):
    """Record a recompute job and hand it to a worker after commit (in-process when no broker
    is set); a broker that cannot take it leaves it to the sweeper. The receiver of the
    registry's `units_changed` signal (`congress.receivers`).

    A subtree larger than `RECOMPUTE_FANOUT_UNITS` units is cut into parts (`_parts_of`),
    which the workers run side by side; the returned job (the root's own unit and the
    roll-ups) runs when the last part has ended."""
    if root is None:
        root = PartyUnit.objects.filter(pk__in=unit_ids or []).order_by("depth").first()
        if root is None:
            return None
    if unit_ids is None:
        chunks = _parts_of(root)
        if len(chunks) > 1:
            with transaction.atomic():
                job = RecomputeJob.objects.create(
                    root=root, unit_ids=[root.pk], total=1, waiting_parts=len(chunks)
                )
                parts = RecomputeJob.objects.bulk_create(
                    RecomputeJob(root_id=top, unit_ids=ids, total=len(ids), parent=job)
                    for top, ids in chunks
                )
                for part in parts:
                    job_send(part)
            return job
    job = RecomputeJob.objects.create(
        root=root, unit_ids=list(unit_ids) if unit_ids is not None else None,
        total=len(unit_ids or []),
    )  # fmt: skip
    job_send(job)
    return job


def _parts_of(root: PartyUnit) -> list[tuple[int, list[int]]]:
    """The root's child subtrees in runs of consecutive ones, about `RECOMPUTE_PARTS` runs
    and none smaller than `RECOMPUTE_FANOUT_UNITS` units: (first child, unit ids) each. One
    run (no fan-out) for a subtree of at most that many units."""
    rows = list(
        PartyUnit.objects.filter(path__startswith=root.path, depth__gt=root.depth)
        .order_by("path")
        .values_list("pk", "path")
    )
    least = settings.RECOMPUTE_FANOUT_UNITS
    if len(rows) + 1 <= least:
        return []
    target = max(least, -(-len(rows) // max(1, settings.RECOMPUTE_PARTS)))
    child_at = len(path_ids(root.path))  # the index of the child's id in a path
    chunks: list[tuple[int, list[int]]] = []
    current: list[int] = []
    first = last_child = None
    for pk, path in rows:  # ordered by path: each child's subtree is one run
        child = path_ids(path)[child_at]
        if child != last_child and len(current) >= target:
            chunks.append((first, current))
            current, first = [], None
        last_child = child
        first = first or child
        current.append(pk)
    if current:
        chunks.append((first, current))
    return chunks


PART_FAILED_MESSAGE = (
    "Một phần của việc tính lại cơ cấu bị lỗi nên số liệu tổng hợp chưa đầy đủ; "
    "hệ thống sẽ tính lại ở lần sau. Nếu vẫn lỗi, báo cho quản trị hệ thống."
)


def recompute_part_ended(part: RecomputeJob, *, failed: bool = False) -> None:
    """Count a part's end in its parent, once whatever the deliveries; the last one sends
    the parent. A failed part fails the parent: its totals would be incomplete."""
    if part.parent_id is None:
        return
    if not RecomputeJob.objects.filter(pk=part.pk, counted=False).update(counted=True):
        return  # a duplicate delivery already counted this part
    with transaction.atomic():
        parent = RecomputeJob.objects.select_for_update().get(pk=part.parent_id)
        parent.waiting_parts = max(0, parent.waiting_parts - 1)
        parts = parent.parts.count()
        parent.progress = min(99, max(0, 100 * (parts - parent.waiting_parts) // max(1, parts)))
        fields = ["waiting_parts", "progress"]
        if failed and parent.status == RecomputeJob.Status.QUEUED:
            parent.status = RecomputeJob.Status.FAILED
            parent.error = PART_FAILED_MESSAGE
            parent.finished_at = timezone.now()
            fields += ["status", "error", "finished_at"]
        parent.save(update_fields=fields)
        if parent.waiting_parts == 0 and parent.status == RecomputeJob.Status.QUEUED:
            job_send(parent)
