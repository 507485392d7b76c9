"""`recompute_province_s` against `recompute_sql_floor_s` on the seeded province."""

from __future__ import annotations

import time

from django.db import connection


def run(results: dict) -> None:
    from congress.models import StructureSnapshot
    from congress.services.structure import current_terms, recompute_structure
    from personnel.models import PartyUnit

    root = PartyUnit.objects.filter(parent__isnull=True, level="province").order_by("pk").first()
    current, _ = current_terms()
    # The aggregate part alone: per unit, members, women, under-40s, minorities.
    sql = """
        SELECT m.unit_id, COUNT(*),
               SUM(CASE WHEN c.sex = 'female' THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.birth_date > %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN lower(trim(c.ethnicity)) <> 'kinh' THEN 1 ELSE 0 END)
        FROM personnel_committeemembership m
        JOIN personnel_cadre c ON c.id = m.cadre_id
        JOIN personnel_partyunit u ON u.id = m.unit_id
        WHERE m.term_id = %s AND m.body = 'executive' AND u.path LIKE %s
        GROUP BY m.unit_id
    """
    from datetime import date

    floor = []
    for _ in range(3):
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql, [date(1985, 7, 1), current.pk, root.path + "%"])
            cur.fetchall()
        floor.append(time.perf_counter() - t)
    results["recompute_sql_floor_s"] = round(min(floor), 3)

    # The same rows brought into Python and counted there: what "compute in Python from plain
    # data" costs before any rule beyond the four counts is applied.
    rows_sql = sql.split("FROM", 1)[1].rsplit("GROUP BY", 1)[0]
    fetched = []
    for _ in range(3):
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                "SELECT m.unit_id, c.sex, c.birth_date, c.ethnicity FROM" + rows_sql,
                [current.pk, root.path + "%"],
            )
            counts: dict = {}
            young_cut = date(1985, 7, 1)
            for uid, sex, born, ethnicity in cur.fetchall():
                acc = counts.setdefault(uid, [0, 0, 0, 0])
                acc[0] += 1
                acc[1] += sex == "female"
                acc[2] += born > young_cut
                acc[3] += ethnicity.strip().lower() != "kinh"
        fetched.append(time.perf_counter() - t)
    results["recompute_rows_in_python_s"] = round(min(fetched), 3)

    StructureSnapshot.objects.all().delete()
    t = time.perf_counter()
    stats = recompute_structure(root=root)
    results["recompute_province_s"] = round(time.perf_counter() - t, 3)
    results["recompute_province_units"] = stats["units"]
    results["recompute_province_snapshots"] = stats["written"]
    for phase in ("load_s", "evaluate_s", "write_s"):
        results[f"recompute_province_{phase}"] = stats[phase]
    t = time.perf_counter()
    recompute_structure(root=root)
    results["recompute_province_unchanged_s"] = round(time.perf_counter() - t, 3)
