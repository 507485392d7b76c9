"""Audit rows as sentences people read: "Nguyễn Văn A trả lại danh sách lúc 09:12 02/12/2026:
<lý do>", with each changed field as "Trạng thái: Đã trình → Trả lại".

Display only. The audit rows stay what the services wrote (codes, ids, ISO dates); this turns
them into Vietnamese: the action into a verb phrase, field names into the model's own verbose
names, codes into their labels (states, posts, finding codes), ISO dates into dd/mm/yyyy, and
never shows a Python dict or a database id. An action nobody taught it still reads as a
sentence ("… đã sửa <đối tượng>").

Vetting rows never show their fields: the content of a vetting case is confidential, and the
cadre's history is read by every role that sees the cadre.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from congress.rules.labels import finding_title, post_label

# action -> verb phrase; {name}, {step} … come from the row's after/before values.
VERBS: dict[str, str] = {
    "list.submit": "trình danh sách lên cấp trên",
    "list.return": "trả lại danh sách",
    "list.approve": "phê duyệt danh sách",
    "list.lock": "khóa danh sách",
    "list.reopen": "mở lần lập danh sách mới",
    "nominee.add": "thêm {name} vào danh sách",
    "nominee.remove": "bỏ {name} khỏi danh sách",
    "nominee.update": "sửa thông tin của {name}",
    "nominee.reorder": "đổi thứ tự người trong danh sách",
    "justification.add": "ghi giải trình cho phát hiện «{finding}»",
    "round.record": "ghi kết quả bước {step} giới thiệu nhân sự",
    "planning.create": "lập danh sách quy hoạch",
    "planning.entry_add": "đưa {cadre_name} vào quy hoạch chức danh {post_name}",
    "planning.entry_remove": "đưa {cadre_name} ra khỏi quy hoạch chức danh {post_name}",
    "planning.entry_use": "ghi nhận sử dụng quy hoạch của {cadre_name}",
    "planning.justify": "ghi giải trình cho phát hiện «{finding}»",
    "planning.submit": "trình cấp trên phê duyệt quy hoạch",
    "planning.return": "trả lại danh sách quy hoạch",
    "planning.approve": "phê duyệt quy hoạch",
    "planning.reopen": "điều chỉnh quy hoạch đã phê duyệt",
    "planning.review": "ghi nhận kết quả rà soát quy hoạch năm {year}",
    "vetting.open": "mở hồ sơ thẩm tra chính trị",
    "vetting.item": "cập nhật nội dung hồ sơ thẩm tra",
    "vetting.conclude": "ghi kết luận thẩm tra chính trị",
    "justification.exception": "ghi nhận ngoại lệ được cấp trên phê duyệt cho phát hiện «{finding}»",
    "cadre.import_create": "nhập hồ sơ cán bộ {object} từ tệp",
    "cadre.import_update": "cập nhật hồ sơ cán bộ {object} từ tệp",
    "unit.import_create": "nhập tổ chức đảng {object} từ tệp",
    "unit.import_update": "cập nhật tổ chức đảng {object} từ tệp",
    "admin.create": "tạo {object} qua trang quản trị",
    "admin.change": "sửa {object} qua trang quản trị",
    "admin.delete": "xóa {object} qua trang quản trị",
    "archive": "lưu trữ {object}",
    "restore": "khôi phục {object}",
    "otp.enrol": "đăng ký xác thực hai lớp",
    "otp.backup_codes": "tạo mã dự phòng cho xác thực hai lớp",
    "role.grant": "cấp quyền {role_name} cho tài khoản {user}",
    "role.revoke": "thu hồi quyền {role_name} của tài khoản {user}",
    "ruleset.version": "tạo phiên bản {version} của bộ quy tắc {code}",
}

# The last word of an action nobody listed above.
GENERIC_VERBS: dict[str, str] = {
    "create": "tạo",
    "add": "thêm",
    "update": "sửa",
    "change": "sửa",
    "edit": "sửa",
    "delete": "xóa",
    "remove": "bỏ",
    "archive": "lưu trữ",
    "restore": "khôi phục",
    "import": "nhập dữ liệu",
    "export": "xuất dữ liệu",
    "merge": "gộp",
    "move": "chuyển",
}

# Field names the services write that are not model fields (or need a better name).
FIELD_LABELS: dict[str, str] = {
    "state": "Trạng thái",
    "posts": "Chức danh dự kiến",
    "notes": "Ghi chú",
    "note": "Ghi chú",
    "name": "Họ và tên",
    "cadre_name": "Họ và tên",
    "remark": "Ý kiến",
    "text": "Nội dung giải trình",
    "code": "Phát hiện",
    "exception": "Văn bản phê duyệt ngoại lệ",
    "step": "Bước",
    "summoned": "Số người được triệu tập",
    "post": "Chức danh",
    "since": "Quy hoạch từ",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "decided_on": "Ngày quyết định",
    "readiness_notes": "Mức độ sẵn sàng",
    "removed_at": "Ngày đưa ra",
    "removed_reason": "Lý do đưa ra",
    "removed_note": "Ghi chú khi đưa ra",
    "used_for": "Sử dụng vào",
    "year": "Năm",
    "removed": "Số người đưa ra",
    "added": "Số người bổ sung",
    "order": "Thứ tự",
    "role": "Quyền",
    "user": "Tài khoản",
    "version": "Phiên bản",
    "term": "Nhiệm kỳ",
}

# Keys that are bookkeeping, never shown.
HIDDEN = {"revision", "cadre", "people", "bulk", "finding_sha256", "params", "votes", "id"}

STATE_LABELS: dict[str, str] = {
    "draft": "Dự thảo",
    "submitted": "Đã trình",
    "returned": "Trả lại",
    "approved": "Đã phê duyệt",
    "locked": "Đã khóa",
    "eligible": "Đủ tiêu chuẩn chính trị",
    "ineligible": "Không đủ tiêu chuẩn chính trị",
    "pending": "Chưa kết luận",
}

ROLE_LABELS: dict[str, str] = {
    "board_staff": "Cán bộ Ban Tổ chức",
    "secretary": "Bí thư",
    "vetting_officer": "Cán bộ bảo vệ chính trị nội bộ",
    "viewer": "Người xem",
}

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}).*)?$")


@dataclass
class HistoryLine:
    at: datetime
    actor: str
    sentence: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def actor_name(user) -> str:
    if user is None:
        return "Hệ thống"
    name = " ".join(p for p in (user.last_name, user.first_name) if p).strip()
    return name or user.get_username()


def when(moment: datetime) -> str:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{local:%H:%M} {local:%d/%m/%Y}"


def value_text(key: str, value: Any, model=None) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "" or value == []:
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if key == "posts" and isinstance(value, list):
        return ", ".join(post_label(str(p)) for p in value)
    if key == "post" and isinstance(value, str):
        return post_label(value)
    if key == "code" and isinstance(value, str):
        return finding_title(value)
    if key == "role" and isinstance(value, str):
        return ROLE_LABELS.get(value, value)
    if isinstance(value, str):
        choice = _choice_label(model, key, value)
        if choice:
            return choice
        if key in ("state", "conclusion") and value in STATE_LABELS:
            return STATE_LABELS[value]
        m = _ISO_DATE.match(value)
        if m:
            y, mo, d, hh, mm = m.groups()
            return f"{d}/{mo}/{y}" + (f" {hh}:{mm}" if hh else "")
        return value
    if isinstance(value, (date, datetime)):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list):
        return ", ".join(value_text(key, v, model) for v in value)
    if isinstance(value, dict):
        parts = [
            f"{field_label(k, model)}: {value_text(k, v, model)}"
            for k, v in value.items()
            if k not in HIDDEN
        ]
        return "; ".join(parts)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _choice_label(model, key: str, value: str) -> str:
    f = _field(model, key)
    if f is not None and getattr(f, "choices", None):
        return dict(f.flatchoices).get(value, "")
    return ""


def field_label(key: str, model=None) -> str:
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    f = _field(model, key)
    if f is not None:
        name = str(f.verbose_name)
        return name[:1].upper() + name[1:]
    return key.replace("_", " ").capitalize()


def _values(entry) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for source in (entry.before, entry.after):
        if isinstance(source, dict):
            values.update({k: v for k, v in source.items() if v not in (None, "")})
    if "code" in values:
        values["finding"] = finding_title(str(values["code"]))
    if "post" in values:
        values["post_name"] = post_label(str(values["post"]))
    if "role" in values:
        values["role_name"] = ROLE_LABELS.get(str(values["role"]), str(values["role"]))
    values["object"] = entry.object_label or "…"
    return values


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def _phrase(entry) -> str:
    values = _values(entry)
    template = VERBS.get(entry.action)
    if template:
        return template.format_map(_Safe({k: value_text(k, v) for k, v in values.items()}))
    model = _model(entry.object_type)
    noun = str(model._meta.verbose_name) if model is not None else "dữ liệu"
    verb = GENERIC_VERBS.get(entry.action.rsplit(".", 1)[-1], "thay đổi")
    label = entry.object_label or noun
    return f"{verb} {noun} «{label}»" if label != noun else f"{verb} {noun}"


def changes_of(entry) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field whose value changed, in a readable form."""
    if entry.action.startswith("vetting."):
        return []
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    if not before:
        # A creation or an event: nothing was changed, the sentence says what happened.
        return []
    model = _model(entry.object_type)
    out = []
    for key in list(dict.fromkeys([*before, *after])):
        if key in HIDDEN or key in ("name", "cadre_name"):
            continue
        old, new = before.get(key), after.get(key)
        if old == new or key not in after:
            continue
        out.append(
            (field_label(key, model), value_text(key, old, model), value_text(key, new, model))
        )
    return out


def describe(entry) -> HistoryLine:
    """One audit row as a sentence, with the fields it changed."""
    actor = actor_name(entry.actor)
    sentence = f"{actor} {_phrase(entry)} lúc {when(entry.at)}"
    note = (entry.note or "").strip()
    if note and not entry.action.startswith("vetting."):
        sentence += f": {note}"
    return HistoryLine(at=entry.at, actor=actor, sentence=sentence, changes=changes_of(entry))
