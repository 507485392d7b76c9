"""Run as a script against an empty database (DATABASE_URL): build the schema as it was
before the registry carried what the documents need (free-text issuing and superior bodies,
a document code; documents numbered per unit), fill it, migrate to the current layout, and
print what the rows became as JSON.

Used by tests/migrations/test_documents_registry.py.
"""

import json
import os
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

# Every app at the migration it had then: a later migration of another app (planning's text
# lengths, say) may depend on the registry's new layout.
BEFORE = {
    "personnel": "0006_planning_to_own_app",
    "congress": "0008_audit_rulesets_to_personnel",
    "planning": "0002_own_tables",
    "vetting": "0003_case_archive_read_log_append_only",
}


def targets(executor, before: bool):
    leaves = executor.loader.graph.leaf_nodes()
    return [(app, BEFORE.get(app, name)) if before else (app, name) for app, name in leaves]


def fill(apps) -> None:
    get = apps.get_model
    Unit = get("personnel", "PartyUnit")  # noqa: N806
    province = Unit.objects.create(
        code="T01", name="Đảng bộ tỉnh An Hòa", level="province", path="/1/",
        issuing_body="TỈNH ỦY", superior_body="ĐẢNG BỘ TỈNH AN HÒA", document_code="TU",
        document_place="An Hòa", signer_name="Phan Văn Định",
    )  # fmt: skip
    commune = Unit.objects.create(
        code="X01", name="Đảng bộ phường Yên Tiến", level="commune", parent=province,
        path=f"/{province.pk}/2/", issuing_body="Đảng ủy phường Yên Tiến",
        superior_body="ĐẢNG BỘ TỈNH AN HÒA", document_code="ĐU",
    )  # fmt: skip
    Unit.objects.create(
        code="X01.CS01", name="Chi bộ Giáo viên", level="grassroots", parent=commune,
        path=f"/{province.pk}/{commune.pk}/3/", issuing_body="CHI BỘ GIÁO VIÊN",
        superior_body="ĐẢNG BỘ XÃ YÊN TIẾN", document_code="CB",
    )  # fmt: skip
    Unit.objects.create(code="X02", name="Đảng bộ xã Lập Triệu", level="commune", parent=province)
    Cadre = get("personnel", "Cadre")  # noqa: N806
    cadre = Cadre.objects.create(
        full_name="Nguyễn Văn An", birth_date=date(1975, 1, 1), sex="male", unit=commune,
        hometown="xã Yên Tiến",
    )  # fmt: skip
    post = get("personnel", "Post").objects.get(code="people_committee_chair")
    get("personnel", "Tenure").objects.create(
        cadre=cadre, post=post, unit=commune, start=date(2021, 1, 1)
    )
    get("personnel", "FamilyRelation").objects.create(
        cadre=cadre, relation="spouse", relative_name="Lê Thị Bình"
    )
    get("personnel", "Training").objects.create(cadre=cadre, kind="Trung cấp lý luận chính trị")
    rs = get("personnel", "RuleSetVersion").objects.order_by("pk").first()
    term = get("personnel", "Term").objects.get(code="2025-2030")
    congress = get("congress", "Congress").objects.create(
        unit=province, term=term, ruleset=rs, title="Đại hội Đảng bộ tỉnh An Hòa lần thứ XVIII"
    )
    body = get("congress", "CongressBody").objects.create(
        congress=congress, kind="executive", seats=3
    )
    nl = get("congress", "NomineeList").objects.create(body=body)
    get("congress", "NominationRound").objects.create(
        nominee_list=nl, step=1, held_on=date(2025, 3, 1), summoned=20, present=18
    )
    Doc = get("congress", "IssuedDocument")  # noqa: N806
    Doc.objects.create(
        code="AAAAAAAAA2", kind="structure-summary", unit=province, term="2025-2030",
        series="BC", number=1, data_hash="0" * 64,
    )  # fmt: skip
    Doc.objects.create(
        code="AAAAAAAAA3", kind="nominee-list", unit=commune, term="2025-2030", series="DS",
        number=7, data_hash="0" * 64,
    )  # fmt: skip


def main() -> None:
    executor = MigrationExecutor(connection)
    before = targets(executor, before=True)
    executor.migrate(before)
    fill(executor.loader.project_state(before).apps)

    executor = MigrationExecutor(connection)
    executor.migrate(targets(executor, before=False))
    from django.apps import apps

    get = apps.get_model
    out = {
        "units": [
            [u.code, u.committee_name, u.issuer_code, u.document_place, u.signer_name]
            for u in get("personnel", "PartyUnit").objects.order_by("code")
        ],
        "documents": [
            [d.code, d.issuer, d.issuer_name, d.number, d.number_text]
            for d in get("congress", "IssuedDocument").objects.order_by("code")
        ],
        "ordinal": get("congress", "Congress").objects.get().ordinal,
        "round_board": len(get("congress", "NominationRound").objects.get().counting_board),
        "posts": dict(get("personnel", "Post").objects.values_list("code", "group")),
        "kept": {
            model: get("personnel", model).objects.count()
            for model in ("Cadre", "Tenure", "FamilyRelation", "Training")
        },
        "tenure_workplace": get("personnel", "Tenure").objects.get().workplace_id,
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
