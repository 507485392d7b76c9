"""Issue 12 (the part of issue 15's engineer): a Content-Security-Policy without inline
scripts, and the headers that were already there kept."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Pages served to browsers; the PDF templates (templates/reports/<kind>.html, pdf_base.html)
# are only read by WeasyPrint.
PDF_TEMPLATES = re.compile(r"^reports/(partials/)?[a-z_-]+\.html$")
WEB_REPORTS = {
    "reports/home.html",
    "reports/job.html",
    "reports/verify.html",
    "reports/partials/job_status.html",
}


@pytest.mark.django_db
def test_every_page_carries_the_policy_and_the_other_headers(client, make_user, commune):
    client.force_login(make_user("secretary", commune))
    for url in (reverse("home"), reverse("login"), "/khong-co/"):
        resp = client.get(url)
        policy = resp["Content-Security-Policy"]
        directives = dict(
            (part.split(" ", 1) + [""])[:2]
            for part in (p.strip() for p in policy.split(";"))
            if part
        )
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert resp["X-Content-Type-Options"] == "nosniff"
        assert resp["Referrer-Policy"] == "same-origin"


def test_no_page_template_has_inline_script_style_or_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if PDF_TEMPLATES.match(name) and name not in WEB_REPORTS:
            continue
        text = path.read_text()
        for m in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in m.group(0):
                offenders.append(f"{name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{name}: on…= event handler")
        if re.search(r"\sstyle\s*=", text):
            offenders.append(f"{name}: style= attribute")
        if re.search(r"<style\b", text):
            offenders.append(f"{name}: <style> element")
    assert not offenders, "\n".join(offenders)


def test_htmx_is_configured_without_eval_and_swaps_refusals():
    base = (TEMPLATES / "base.html").read_text()
    assert '"allowEval":false' in base and '"includeIndicatorStyles":false' in base
    assert '"^(409|422)$","swap":true,"error":false' in base
