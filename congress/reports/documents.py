"""Issue and render a document: collect its data, take its number, render the PDF; and tell
later whether a printed code is one the system issued and whether its data has changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from congress.models.reports import IssuedDocument
from congress.reports import data as report_data
from congress.reports.numbering import document_issue, normalize_code, number_text
from congress.reports.render import date_line, qr_data_uri, render_pdf
from personnel.models import Level, PartyUnit

ON_BEHALF = {
    Level.GRASSROOTS: "T/M ĐẢNG ỦY",
    Level.CELL: "T/M CHI ỦY",
}

RECIPIENTS = {
    "nominee-list": ["{superior} (để báo cáo)", "Ban Tổ chức {superior_short}", "Lưu Văn phòng"],
    "personnel-plan": [
        "{superior} (để báo cáo)",
        "Các đồng chí Ủy viên Ban Chấp hành",
        "Lưu Văn phòng",
    ],
    "structure-summary": ["{superior} (để báo cáo)", "Ban Tổ chức {superior_short}", "Lưu"],
    "resume": ["Hồ sơ cán bộ", "Lưu"],
    "ballot-minutes": ["Đoàn Chủ tịch", "Lưu hồ sơ đại hội"],
    "planning": [
        "{superior} (để báo cáo)",
        "Ban Tổ chức {superior_short}",
        "Lưu Văn phòng, hồ sơ quy hoạch",
    ],
}


def unit_header(unit: PartyUnit) -> dict[str, str]:
    """The per-unit document settings, with fallbacks from the tree for units not set up."""
    parent = unit.parent
    superior = unit.superior_body or (
        (parent.issuing_body or parent.name) if parent is not None else ""
    )
    return {
        "superior_body": superior,
        "issuing_body": unit.issuing_body or unit.name,
        "place": unit.document_place,
        "signer_title": unit.signer_title or "Bí thư",
        "signer_name": unit.signer_name,
        "document_code": unit.document_code,
        "on_behalf": ON_BEHALF.get(unit.level, "T/M BAN THƯỜNG VỤ"),
    }


def document_context(
    *,
    kind: str,
    title: str,
    data: dict[str, Any],
    header: dict[str, str],
    number: int | None,
    code: str,
    data_hash: str,
    day=None,
    extra: dict[str, Any] | None = None,
    landscape: bool = False,
) -> dict[str, Any]:
    """The template context of a document; plain data, so the benchmark can build one."""
    day = day or timezone.localdate()
    short = data_hash[:12]
    superior = header.get("superior_body", "")
    recipients = [
        r.format(superior=superior or "Cấp ủy cấp trên", superior_short=superior or "cấp trên")
        for r in RECIPIENTS.get(kind, ["Lưu"])
    ]
    extra = extra or {}
    return {
        "kind": kind,
        "title": title,
        "landscape": landscape,
        "data": data,
        "extra": extra,
        "rows": data.get("rows"),
        # Each body of a plan with its charts (the charts are not part of the hashed data).
        "bodies": [
            {**b, **e}
            for b, e in zip(data.get("bodies", []), extra.get("bodies", []), strict=False)
        ],
        "doc": {
            **header,
            "number": number_text(number, kind, header.get("document_code", ""))
            if number
            else "Số     -" + header.get("document_code", ""),
            "date_line": date_line(header.get("place", ""), day),
            "code": code,
            "short_hash": short,
            "qr": qr_data_uri(f"{code}-{short}"),
            "recipients": recipients,
        },
    }


def report_context(report: report_data.ReportData, issued: IssuedDocument) -> dict[str, Any]:
    return document_context(
        kind=report.kind,
        title=report.title,
        data=report.data,
        header=unit_header(report.unit),
        number=issued.number,
        code=issued.code,
        data_hash=issued.data_hash,
        day=timezone.localtime(issued.issued_at).date(),
        extra=report.extra,
        landscape=report.landscape,
    )


def build_report(kind: str, unit_code: str, params: dict[str, Any], user=None):
    unit = report_data.resolve_unit(unit_code, user)
    return report_data.build(kind, unit, params, user=user)


def produce(
    kind: str, unit_code: str, params: dict[str, Any], *, user=None, progress=None
) -> tuple[IssuedDocument, bytes]:
    """Collect the data, take the next number, render. Raises ReportError (Vietnamese)."""
    report = build_report(kind, unit_code, params, user=user)
    if progress:
        progress(10)
    issued = document_issue(
        kind=kind,
        unit=report.unit,
        term=report.term,
        data_hash=report.data_hash,
        params=report.params,
        user=user,
    )

    def scaled(p: int) -> None:
        if progress:
            progress(10 + int(p * 0.85))

    pdf = render_pdf(report_context(report, issued), progress=scaled)
    return issued, pdf


@dataclass
class Verification:
    found: bool
    code: str
    document: IssuedDocument | None = None
    unchanged: bool | None = None
    hash_matches_print: bool | None = None
    current_hash: str = ""
    error: str = ""

    @property
    def summary(self) -> str:
        if not self.found:
            return "Không có văn bản nào mang mã này do hệ thống phát hành."
        if self.error:
            return f"Văn bản do hệ thống phát hành, nhưng không tính lại được dữ liệu: {self.error}"
        if self.hash_matches_print is False:
            return "Mã băm in trên văn bản không khớp với bản hệ thống đã phát hành."
        if self.unchanged:
            return "Văn bản do hệ thống phát hành; dữ liệu không thay đổi kể từ khi phát hành."
        return "Văn bản do hệ thống phát hành; dữ liệu đã thay đổi kể từ khi phát hành."


def verify(text: str, *, documents=None) -> Verification:
    """`text` is the printed code, or the QR content "CODE-HASH"."""
    raw = normalize_code(text)
    code, printed_hash = raw[:10], raw[10:].lower()
    qs = documents if documents is not None else IssuedDocument.objects.all()
    doc = qs.select_related("unit", "issued_by").filter(code=code).first()
    if doc is None:
        return Verification(found=False, code=code)
    result = Verification(found=True, code=code, document=doc)
    if printed_hash:
        result.hash_matches_print = doc.data_hash.startswith(printed_hash)
    try:
        report = report_data.build(doc.kind, doc.unit, doc.params, user=_scope_user(doc))
    except report_data.ReportError as exc:
        result.error = str(exc)
        result.unchanged = False
        return result
    result.current_hash = report.data_hash
    result.unchanged = report.data_hash == doc.data_hash
    return result


def _scope_user(doc: IssuedDocument):
    """A structure summary covers what its requester could see: recompute it the same way."""
    if doc.params.get("scope_user") and doc.issued_by_id == doc.params["scope_user"]:
        return doc.issued_by
    return None
