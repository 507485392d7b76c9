"""Every page of the district demo, as every demo user, answers without a 5xx.

The crawler starts at the home page and follows every link (`href`, `hx-get`) of every page
it gets, with production settings (DEBUG off) and the test client's exceptions turned into
responses, as a browser would see them. Object pages are reached from the lists that link
them, up to `PER_PATTERN` pages of one URL pattern per user (the district has 3,000 cadres
and 300 vetting cases; a page that fails for some objects shows among the first 150).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

PER_PATTERN = 150
LINK = re.compile(r"""(?:href|hx-get)="([^"]+)\"""")
SKIP = ("/dang-xuat/", "/static/", "/media/")
USERS = ["bantochuc", "bithu_xa", "bithu_coso", "bvct", "xem", "admin"]


def _pattern(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.route or match.view_name


@pytest.mark.django_db
@pytest.mark.parametrize("username", USERS)
def test_every_page_answers_without_a_server_error(client, settings, username):
    settings.DEBUG = False
    call_command("seed_demo", scale="district", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))
    client.raise_request_exception = False

    seen: set[str] = set()
    queued: set[str] = {"/"}
    per_pattern: Counter[str] = Counter()
    queue = deque(["/"])
    errors = []
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        resp = client.get(url)
        if resp.status_code >= 500:
            errors.append(f"{url} -> {resp.status_code}")
            continue
        if not resp.get("Content-Type", "").startswith("text/html"):
            continue
        for link in LINK.findall(resp.content.decode()):
            link = urljoin(url, urldefrag(unescape(link))[0])
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if link in queued or any(parts.path.startswith(s) for s in SKIP):
                continue
            pattern = _pattern(parts.path)
            if per_pattern[pattern] >= PER_PATTERN:
                continue
            per_pattern[pattern] += 1
            queued.add(link)
            queue.append(link)
    assert len(seen) > 30, f"{username} reached only {len(seen)} pages"
    assert not errors, f"{username}: {len(errors)} pages answered 5xx:\n" + "\n".join(errors[:40])
