"""Issue 15, cases 3 and 5 over the whole product: every page each demo user reaches, at
390 px, speaks Vietnamese (no finding code, no Python dict, no ISO date, no English error
page), fits the phone's width, and passes axe-core without a serious or critical
violation."""

import re
from collections import Counter

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import DEMO_PASSWORD, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["bantochuc", "bithu_xa", "bithu_coso", "bvct", "xem"]
START = [
    "/",
    "/bang-theo-doi/",
    "/bang-theo-doi/?nhiem-ky=2025-2030",
    "/bang-theo-doi/?ban-in=1",
    "/dai-hoi/",
    "/don-vi/",
    "/can-bo/",
    "/tham-tra/",
    "/tham-tra/?state=pending",
    "/quy-hoach/",
    "/van-ban/",
    "/van-ban/kiem-tra/",
    "/thong-bao/",
    "/khong-co-trang-nay/",
    "/nhap-du-lieu/",
]
# Downloads and sign-out are not pages.
SKIP = re.compile(
    r"tai-ve|xuat-excel|xuat=excel|nhap-du-lieu/(mau|export)/|dang-xuat|/admin/|/static/|favicon"
)
PER_PATTERN = 2
RAW_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z]+)+\b")
ISO_DATE = re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b")
ENGLISH = ("Not Found", "Forbidden", "Server Error", "Page not found", "None", "True", "False")


def pattern(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?")[0])


def test_every_page_of_every_role_speaks_vietnamese_and_fits_a_phone(
    page, live_server, login, demo, accessible
):
    page.set_viewport_size(PHONE)
    problems = []
    checked_by_axe: set[str] = set()
    visited = 0
    for role in ROLES:
        login(role, DEMO_PASSWORD)
        todo = list(START)
        seen: set[str] = set()
        per_pattern: Counter = Counter()
        while todo:
            path = todo.pop(0)
            if path in seen or SKIP.search(path) or per_pattern[pattern(path)] >= PER_PATTERN:
                continue
            seen.add(path)
            per_pattern[pattern(path)] += 1
            try:
                response = page.goto(f"{live_server.url}{path}")
            except PlaywrightError as exc:
                if "Download is starting" in str(exc):
                    continue  # a file, not a page
                raise
            visited += 1
            where = f"{role} {path}"
            if response.status >= 500:
                problems.append(f"{where}: {response.status}")
                continue
            text = page.evaluate("document.body.innerText")
            codes = set(RAW_CODE.findall(text))
            if codes:
                problems.append(f"{where}: mã thô {sorted(codes)}")
            if ISO_DATE.search(text):
                problems.append(f"{where}: ngày dạng ISO {ISO_DATE.search(text).group(0)}")
            words = [w for w in ENGLISH if re.search(rf"\b{w}\b", text)]
            if words:
                problems.append(f"{where}: tiếng Anh {words}")
            if "{'" in text:
                problems.append(f"{where}: từ điển Python")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                problems.append(f"{where}: rộng hơn màn hình điện thoại {overflow}px")
            if pattern(path) not in checked_by_axe:
                checked_by_axe.add(pattern(path))
                try:
                    accessible(where)
                except AssertionError as exc:
                    problems.append(str(exc))
            links = page.evaluate(
                "Array.from(document.querySelectorAll('main a[href^=\"/\"]'))"
                ".map(a => a.getAttribute('href'))"
            )
            todo.extend(link for link in links if link not in seen)
    assert visited > 100
    assert not problems, "\n".join(problems)
