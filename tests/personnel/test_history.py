"""Audit rows read as sentences: who did what, when, why, and each changed field before and
after, in Vietnamese, with no code, no id, no Python dict and no ISO date."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from personnel.history import describe
from personnel.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 2, 9, 12, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def row(**kwargs):
    actor = UserFactory(first_name="A", last_name="Nguyễn Văn")
    defaults = {"actor": actor, "at": AT, "object_type": "congress.nomineelist", "object_id": "1"}
    return AuditLog(**{**defaults, **kwargs})


def test_a_return_reads_as_the_issue_asks():
    line = describe(
        row(
            action="list.return",
            before={"state": "submitted"},
            after={"state": "returned", "revision": 7},
            note="Đề nghị bổ sung cán bộ nữ.",
        )
    )
    assert line.sentence == (
        "Nguyễn Văn A trả lại danh sách lúc 09:12 02/12/2026: Đề nghị bổ sung cán bộ nữ."
    )
    assert line.changes == [("Trạng thái", "Đã trình", "Trả lại")]


def test_a_changed_post_shows_before_and_after_by_name():
    line = describe(
        row(
            action="nominee.update",
            before={"posts": ["member"], "notes": "", "name": "Lê Thị B"},
            after={"posts": ["deputy_secretary"], "notes": "", "name": "Lê Thị B", "revision": 3},
        )
    )
    assert "sửa thông tin của Lê Thị B" in line.sentence
    assert line.changes == [("Chức danh dự kiến", "Ủy viên Ban Chấp hành", "Phó Bí thư")]


def test_codes_dates_and_dicts_never_show():
    line = describe(
        row(
            action="planning.entry_remove",
            object_type="planning.planningentry",
            before={"cadre_name": "Lê C", "post": "secretary", "removed_at": None},
            after={"cadre_name": "Lê C", "post": "secretary", "removed_at": "2026-11-30"},
        )
    )
    text = line.sentence + " ".join(" ".join(c) for c in line.changes)
    assert "đưa Lê C ra khỏi quy hoạch chức danh Bí thư" in line.sentence
    assert "30/11/2026" in text and "2026-11-30" not in text
    assert "{" not in text and "secretary" not in text


def test_an_action_nobody_taught_still_reads_as_a_sentence():
    line = describe(row(action="cadre.archive", object_type="personnel.cadre", object_label="Lê D"))
    assert line.sentence.startswith("Nguyễn Văn A lưu trữ cán bộ «Lê D» lúc")


def test_vetting_rows_show_no_content():
    line = describe(
        row(
            action="vetting.item",
            object_type="vetting.vettingcase",
            before={"is_concern": False},
            after={"kind": "foreign", "is_concern": True},
            note="Yếu tố nước ngoài",
        )
    )
    assert line.changes == [] and "nước ngoài" not in line.sentence


def test_the_actions_of_imports_archives_and_the_admin_read_as_sentences():
    line = describe(
        row(action="cadre.import_update", object_type="personnel.cadre", object_label="Lê E")
    )
    assert "cập nhật hồ sơ cán bộ Lê E từ tệp lúc" in line.sentence
    line = describe(row(action="archive", object_type="personnel.cadre", object_label="Lê E"))
    assert "Nguyễn Văn A lưu trữ Lê E lúc" in line.sentence
