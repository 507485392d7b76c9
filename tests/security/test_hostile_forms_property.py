"""Property: every URL that takes a POST, posted random and hostile values by a user allowed
to write there, answers below 500 (issue 13, "input never costs a 500").

The URLs come from the URL resolver, as in the write-scope matrix: a new write view is
fuzzed as soon as it has its row in `WRITES` (which that matrix already requires). For each,
the body that succeeds (`WRITES`) is the starting point; hypothesis replaces some of its
fields, or adds form fields other views read, with values a browser never sends: impossible
dates, numbers past PostgreSQL's integer, Arabic-Indic, full-width and superscript digits,
empty strings, very long strings, lists, unicode of every kind. The test client raises a
view's exception, so a failing input shows with its traceback and is shrunk by hypothesis.

One shared world (users of every role, one of everything on the commune and below it);
each request runs in a savepoint rolled back after it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import UnitFactory
from tests.security.test_permission_matrix import ARGUMENTS, ROLES, _objects, expected
from tests.security.test_write_scope_matrix import WRITES, write_urls

# The form fields the views of the project read (a view ignores the ones it does not).
FIELDS = [
    "reason", "remark", "notes", "note", "text", "code", "people_key", "held_on", "summoned",
    "step", "present", "ballots_issued", "ballots_valid", "place", "counting_board",
    "counting_started", "approval_date", "approved_by_body", "approval_document",
    "decision_number", "decision_date", "decided_on", "year", "on", "since", "entry", "cadre",
    "post", "posts", "term", "target", "kind", "finding", "is_concern", "conclusion",
    "concluded_on", "concluding_body", "document_number", "revision", "direction", "one",
    "cadre_id", "round", "unit", "body", "draft", "confidential", "token", "action", "next",
]  # fmt: skip
# Open to every signed-in user, acting on their own account.
OPEN_WRITES = ["otp_setup", "otp_verify", "personnel:notifications_read"]

BAD_DATES = [
    "31/02/2025", "2025-02-31", "99/99/9999", "00/00/0000", "01/01/0000", "1/1/99999",
    "29/02/2023", "٣١/٠١/٢٠٢٥", "２０２５-０１-０１", "31/12/1899", "2025/01/01", "01-01-2025",
]  # fmt: skip
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["2147483648", "9223372036854775808", "-1", "0", "1e9", "NaN", "∞", "0x1f"]),
)
FOREIGN_DIGITS = st.text(
    alphabet=st.sampled_from("٠١٢٣٤٥٦٧٨٩۰۱۲۳０１２９²³¹⁴½௧๓߁٫"), min_size=1, max_size=12
)
SCALAR = st.one_of(
    st.text(max_size=40),
    FOREIGN_DIGITS,
    NUMBERS,
    st.sampled_from(BAD_DATES),
    st.sampled_from(["", " ", "\t", "\u200b", "<script>x</script>", "' OR 1=1 --"]),
    st.integers(min_value=255, max_value=20_001).map(lambda n: "ư" * n),
)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, min_size=0, max_size=3))
CHANGES = st.dictionaries(st.sampled_from(FIELDS), VALUE, min_size=1, max_size=4)

EXAMPLES = 15


def _allowed(name, decl) -> tuple[str, str] | None:
    """A role and a place (own unit, the unit below) where the policy allows the write."""
    kind, action, listing = decl
    for where in ("own", "below"):
        for role in ROLES:
            if expected(role, kind, action, listing, where) == "ok":
                return role, where
    return None


@pytest.fixture
def world(settings, tmp_path, province, commune, make_user):
    settings.MEDIA_ROOT = tmp_path
    users = {role: make_user(role, commune) for role in ROLES}
    get_user_model().objects.create_superuser("goc_ma_tran", password="x")
    below = UnitFactory(code="CS09", name="Chi bộ Thôn Tây", level="grassroots", parent=commune)
    objects = {
        "own": _objects(commune, users["board_staff"], "own"),
        "below": _objects(below, users["board_staff"], "below"),
    }
    return users, objects


def _fuzz(client, url: str, prepare) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(changes=CHANGES)
    def post(changes):
        with transaction.atomic():
            body = {**(prepare() or {}), **changes}
            resp = client.post(url, body)
            transaction.set_rollback(True)
        assert resp.status_code < 500, (url, changes, resp.status_code)

    post()


@pytest.mark.django_db
def test_every_form_answers_hostile_values_without_a_server_error(client, world):
    users, objects = world
    fuzzed = []
    for name, (pattern, decl) in sorted(write_urls().items()):
        placed = _allowed(name, decl)
        if placed is None:
            continue
        role, where = placed
        o = objects[where]
        kwargs = {arg: ARGUMENTS[(decl[0], arg)](o) for arg in pattern.pattern.converters}
        url = reverse(name, kwargs=kwargs)
        if name == "vetting:case_open":
            url += f"?cadre={o['cadre'].pk}"
        client.force_login(users[role])
        _fuzz(client, url, lambda o=o, name=name: WRITES[name](o))
        fuzzed.append(name)
    for name in OPEN_WRITES:
        client.force_login(users["board_staff"])
        _fuzz(client, reverse(name), dict)
        fuzzed.append(name)
    # Every write of the matrix has a role that may make it: all of them were fuzzed.
    assert len(fuzzed) == len(write_urls()) + len(OPEN_WRITES), sorted(
        set(write_urls()) - set(fuzzed)
    )
