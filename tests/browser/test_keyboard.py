"""Issue 15, accessibility: the keyboard reaches every action of the pages people work on."""

import pytest

from congress.models import NomineeList
from tests.browser.conftest import DEMO_PASSWORD
from vetting.models import VettingCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every visible control a mouse could use (not those inside a closed <details>), numbered so that Tab's path can be followed;
# answers {number: a short description}.
CONTROLS = """
(() => {
  const found = {};
  document.querySelectorAll('a[href], button, select, input:not([type=hidden]), textarea, summary')
    .forEach((el, i) => {
      if (el.disabled || !el.checkVisibility({checkVisibilityCSS: true})) return;
      el.dataset.kb = String(i);
      found[String(i)] = (el.getAttribute('aria-label') || el.textContent || el.name || el.tagName).trim().slice(0, 60);
    });
  return found;
})()
"""


def tab_through(page, limit: int) -> set[str]:
    page.locator("body").focus()
    reached: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        number = page.evaluate(
            "document.activeElement ? (document.activeElement.dataset.kb || '') : ''"
        )
        if number and reached and number == reached[0]:
            break  # back to the start: the whole page was walked
        if number:
            reached.append(number)
    return set(reached)


@pytest.mark.parametrize(
    "role, where", [("bithu_xa", "list"), ("bvct", "case"), ("bantochuc", "dashboard")]
)
def test_tab_reaches_every_control(page, live_server, login, demo, role, where):
    login(role, DEMO_PASSWORD)
    if where == "list":
        nl = NomineeList.objects.get(body__congress__unit__code="X001", body__kind="executive")
        page.goto(f"{live_server.url}/dai-hoi/danh-sach/{nl.pk}/")
    elif where == "case":
        case = VettingCase.objects.filter(term__isnull=False).order_by("pk").first()
        page.goto(f"{live_server.url}/tham-tra/{case.pk}/")
    else:
        page.goto(f"{live_server.url}/bang-theo-doi/")
    controls = page.evaluate(CONTROLS)
    reached = tab_through(page, limit=len(controls) + 20)
    missed = [controls[n] for n in controls if n not in reached]
    assert not missed, f"{len(missed)} điều khiển không tới được bằng phím Tab: {missed[:5]}"
