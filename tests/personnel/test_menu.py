"""The menu on every page: its links are reversed once per process (and per script prefix),
so they must be the same as `{% url %}` would give, under a prefix too."""

import re

import pytest
from django.test.utils import override_script_prefix
from django.urls import reverse

from personnel.context_processors import MENU

pytestmark = pytest.mark.django_db


def _menu_links(body: str) -> set[str]:
    menu = body[body.index('id="main-menu"') : body.index("</header>")]
    return set(re.findall(r'(?:href|action)="([^"]+)"', menu))


def test_menu_links_are_the_named_pages(client, province, make_user):
    client.force_login(make_user("board_staff", province))
    links = _menu_links(client.get(reverse("home")).content.decode())
    assert links == {reverse(name) for name in MENU.values()}
    for link in links - {reverse("logout")}:
        assert client.get(link).status_code == 200, link


def test_menu_links_carry_the_script_prefix(client, province, make_user):
    """Served under a prefix (a reverse proxy's /dai-hoi/), every link keeps it, and the
    same process still serves unprefixed pages with unprefixed links."""
    client.force_login(make_user("board_staff", province))
    plain = _menu_links(client.get("/").content.decode())
    # The WSGI handler sets the prefix from SCRIPT_NAME; the test client does not.
    with override_script_prefix("/dai-hoi/"):
        prefixed = _menu_links(client.get("/").content.decode())
    assert prefixed == {"/dai-hoi" + link for link in plain}
    assert _menu_links(client.get("/").content.decode()) == plain
