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

    StructureSnapshot.objects.all().delete()
    t = time.perf_counter()
    stats = recompute_structure(root=root)
    results["recompute_province_s"] = round(time.perf_counter() - t, 3)
    results["recompute_province_units"] = stats["units"]
    t = time.perf_counter()
    recompute_structure(root=root)
    results["recompute_province_unchanged_s"] = round(time.perf_counter() - t, 3)
