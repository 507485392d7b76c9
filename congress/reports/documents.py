"""Produce a document: collect its data, render the PDF and the Word copy, and register it
with its number in the transaction that stores the finished files; and tell later whether a
printed code is one the system produced and whether its data has changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from congress.models.reports import IssuedDocument
from congress.reports import data as report_data
from congress.reports.header import (
    TYPE_CODES,
    Issuer,
    date_line,
    number_text,
    recipients,
    signature,
    unit_issuer,
)
from congress.reports.numbering import (
    NumberTaken,
    document_store,
    new_code,
    next_number,
    normalize_code,
)
from congress.reports.render import qr_data_uri, render_pdf
from personnel.models import Term

# Renders that lost their number to a concurrent one try again this many times.
ATTEMPTS = 5


def _legacy_header(header: dict[str, Any]) -> dict[str, Any]:
    """A header given with the old flat keys (the benchmark's hand-built context)."""
    if "lines" in header:
        return header
    above = [header["superior_body"].upper()] if header.get("superior_body") else []
    return {
        "above": above,
        "lines": [header.get("issuing_body", "").upper()],
        "issuer_code": header.get("document_code", ""),
        "place": header.get("place", ""),
        "signature": {
            "behalf": header.get("on_behalf", ""),
            "title": header.get("signer_title", "").upper(),
            "name": header.get("signer_name", ""),
        },
        "recipients": header.get("recipients", []),
    }


def document_context(
    *,
    kind: str,
    title: str,
    data: dict[str, Any],
    header: dict[str, Any],
    number: int | None,
    code: str,
    data_hash: str,
    day: date | None = None,
    extra: dict[str, Any] | None = None,
    landscape: bool = False,
    subtitle: str = "",
    draft: bool = False,
    confidential: bool = False,
) -> dict[str, Any]:
    """The template context of a document; plain data, so a benchmark can build one."""
    day = day or timezone.localdate()
    header = _legacy_header(header)
    short = data_hash[:12]
    extra = extra or {}
    marks = []
    if confidential:
        marks.append("MẬT")
    if draft:
        marks.append("DỰ THẢO")
    numbered = bool(TYPE_CODES.get(kind))
    return {
        "kind": kind,
        "title": title,
        "subtitle": subtitle,
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
            "above": header.get("above", []),
            "lines": header.get("lines", []),
            "number": number_text(None if draft else number, kind, header.get("issuer_code", ""))
            if numbered
            else "",
            "marks": marks,
            "date_line": date_line(header.get("place", ""), day),
            "code": code,
            "short_hash": short,
            "qr": qr_data_uri(f"{code}-{short}"),
            "recipients": header.get("recipients", []),
            "signature": header.get("signature", {}),
        },
    }


def header_of(report: report_data.ReportData, issuer: Issuer) -> dict[str, Any]:
    unit = issuer.unit or report.unit
    return {
        "above": issuer.above,
        "lines": issuer.lines,
        "issuer_code": issuer.code,
        "place": report.place or issuer.place,
        "signature": signature(report.kind, unit),
        "recipients": recipients(report.kind, unit),
    }


def report_context(
    report: report_data.ReportData, issuer: Issuer, *, number: int | None, code: str, day: date
) -> dict[str, Any]:
    return document_context(
        kind=report.kind,
        title=report.title,
        subtitle=report.subtitle,
        data=report.data,
        header=header_of(report, issuer),
        number=number,
        code=code,
        data_hash=report.data_hash,
        day=day,
        extra=report.extra,
        landscape=report.landscape,
        draft=report.draft,
        confidential=report.confidential,
    )


def build_report(kind: str, unit_code: str, params: dict[str, Any], user=None):
    unit = report_data.resolve_unit(unit_code, user)
    return report_data.build(kind, unit, params, user=user)


def numbering_term(day: date) -> str:
    return (
        Term.objects.filter(start__lte=day, end__gte=day)
        .order_by("-start")
        .values_list("code", flat=True)
        .first()
        or ""
    )


@dataclass
class Produced:
    issued: IssuedDocument
    pdf: bytes
    docx: bytes


def produce(
    kind: str,
    unit_code: str,
    params: dict[str, Any],
    *,
    user=None,
    progress: Callable[[int], None] | None = None,
    save: Callable[[str, bytes, bytes], Any] | None = None,
    discard: Callable[[Any], None] | None = None,
    finish: Callable[[IssuedDocument, Any], None] | None = None,
) -> Produced:
    """Collect the data, render the PDF and the Word copy with the next free number, `save`
    the files, then register the document (and `finish` the job) in one transaction. A
    render that fails raises before anything is registered: it takes no number. Raises
    ReportError (Vietnamese) when the document cannot be made."""
    from congress.reports.docx import render_docx

    report = build_report(kind, unit_code, params, user=user)
    if progress:
        progress(10)
    issuer = report.issuer or unit_issuer(report.unit)
    series = TYPE_CODES.get(kind) or "VB"
    numbered = bool(TYPE_CODES.get(kind)) and not report.draft
    day = report.day or timezone.localdate()

    def scaled(p: int) -> None:
        if progress:
            progress(10 + int(p * 0.8))

    # Numbers run through the issuing committee's term: the term in force on the day of issue
    # (a 2030-2035 planning report issued in 2026 takes the next number of 2025-2030).
    term = numbering_term(timezone.localdate()) or report.term
    for _ in range(ATTEMPTS):
        code = new_code()
        number = next_number(issuer=issuer.key, series=series, term=term) if numbered else None
        ctx = report_context(report, issuer, number=number, code=code, day=day)
        pdf = render_pdf(ctx, progress=scaled)
        docx = render_docx(ctx)
        if progress:
            progress(95)
        stored = save(code, pdf, docx) if save else None
        fields = {
            "code": code,
            "kind": kind,
            "unit": report.unit,
            "term": term,
            "issuer": issuer.key,
            "issuer_name": issuer.display,
            "series": series,
            "number": number,
            "number_text": ctx["doc"]["number"] if number else "",
            "is_draft": report.draft,
            "data_hash": report.data_hash,
            "params": report.params,
            "issued_by": user if user is not None and user.is_authenticated else None,
        }
        try:
            issued = document_store(
                fields=fields,
                finish=(lambda doc, stored=stored: finish(doc, stored)) if finish else None,
            )
        except NumberTaken:
            if discard and stored is not None:
                discard(stored)
            continue
        return Produced(issued, pdf, docx)
    raise report_data.ReportError("Không cấp được số văn bản sau nhiều lần thử; vui lòng thử lại.")


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
    def what(self) -> str:
        """What the document is: "Danh sách trích ngang số 01-DS/TU" or a draft."""
        doc = self.document
        if doc is None:
            return ""
        name = doc.get_kind_display()
        if doc.is_draft:
            return f"{name} (bản dự thảo, không số)"
        if doc.number_text:
            return f"{name} {doc.number_text[0].lower()}{doc.number_text[1:]}"
        return name

    @property
    def summary(self) -> str:
        if not self.found:
            return "Không có văn bản nào mang mã này do hệ thống tạo ra."
        if self.error:
            return f"Văn bản do hệ thống tạo ra, nhưng không tính lại được dữ liệu: {self.error}"
        if self.hash_matches_print is False:
            return "Mã dữ liệu in trên văn bản không khớp với bản hệ thống đã tạo ra."
        if self.unchanged:
            return "Văn bản do hệ thống tạo ra; dữ liệu không thay đổi kể từ khi tạo."
        return "Văn bản do hệ thống tạo ra; dữ liệu đã thay đổi kể từ khi tạo."


def verify(text: str, *, documents=None) -> Verification:
    """`text` is the printed code, or the QR content "CODE-HASH". Only documents whose files
    were stored have a row: a code that was never produced is unknown."""
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
