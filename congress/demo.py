"""Demo congresses for `seed_demo`: for every unit with a committee, a 2025-2030 congress with
its bodies, nominee lists in every state, nominees that trip several rules, vetting cases with
items and conclusions, and nomination rounds with votes. Bulk inserts throughout."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from congress.models import (
    Congress,
    CongressBody,
    ListState,
    NominationRound,
    Nominee,
    NomineeList,
    NomineeListEdition,
    RoundVote,
)
from personnel.demo import REGISTRY_STEPS, Step
from personnel.models import Term
from personnel.services.ruleset_versions import latest_ruleset
from vetting.models import Conclusion, ItemKind, VettingCase, VettingItem

STATES = [ListState.DRAFT, ListState.SUBMITTED, ListState.RETURNED, ListState.APPROVED]
HELD_ON = {
    "grassroots": date(2025, 5, 20),
    "cell": date(2025, 5, 20),
    "commune": date(2025, 8, 18),
    "province": date(2025, 10, 12),
}
ITEM_TEXT = {
    ItemKind.POLITICAL_HISTORY: "Lịch sử bản thân rõ ràng; không bị bắt, tù đày.",
    ItemKind.CURRENT_ISSUES: "Không có vấn đề chính trị hiện nay.",
    ItemKind.FOREIGN: "Không có thân nhân ở nước ngoài.",
    ItemKind.ASSETS: "Đã kê khai tài sản, thu nhập năm 2024 đúng quy định.",
    ItemKind.INSPECTIONS: "Không có kết luận kiểm tra, thanh tra liên quan.",
    ItemKind.COMPLAINTS: "Không có đơn thư khiếu nại, tố cáo.",
}


def seed_step(ctx) -> None:
    rng = ctx.rng("congresses")
    result = ctx.result
    term = Term.objects.get(code="2025-2030")
    ruleset = latest_ruleset()
    units = [
        u
        for u in [result.province, *result.communes, *result.grassroots]
        if u.pk in set(result.committee_unit_ids)
    ]
    ordinals = [rng.randint(15, 28) for _ in units]
    congresses = Congress.objects.bulk_create(
        [
            Congress(
                unit=u,
                term=term,
                ruleset=ruleset,
                held_on=HELD_ON.get(u.level, date(2025, 6, 1)),
                title=f"Đại hội {u.name} lần thứ {n}, nhiệm kỳ 2025-2030",
                ordinal=n,
                delegates=u.level in ("province", "commune"),
            )
            for u, n in zip(units, ordinals, strict=True)
        ],
        batch_size=2000,
    )
    bodies: list[CongressBody] = []
    plans: list[tuple[CongressBody, list[int]]] = []
    for u, c in zip(units, congresses, strict=True):
        elected = result.body(u, "executive") or result.cadres_by_unit.get(u.pk, [])[:9]
        seats = max(3, len(elected))
        others = [x for x in result.cadres_by_unit.get(u.pk, []) if x not in set(elected)]
        extra = max(1, round(seats * rng.choice([0.05, 0.1, 0.12, 0.15, 0.2])))
        people = list(elected) + rng.sample(others, min(extra, len(others)))
        body = CongressBody(congress=c, kind="executive", seats=seats)
        bodies.append(body)
        plans.append((body, people))
        if u.level in ("commune", "province"):
            standing = result.body(u, "standing")
            if standing:
                body = CongressBody(congress=c, kind="standing", seats=len(standing))
                bodies.append(body)
                pick = [x for x in elected if x not in set(standing)][:1]
                plans.append((body, list(standing) + pick))
        if u.level == "commune":
            body = CongressBody(
                congress=c, kind="people_council", name="Đơn vị bầu cử số 1", seats=3
            )
            bodies.append(body)
            plans.append((body, rng.sample(others, min(4, len(others)))))
    CongressBody.objects.bulk_create(bodies, batch_size=2000)

    now = timezone.now()
    lists = []
    for i, (body, _) in enumerate(plans):
        state = STATES[i % len(STATES)]
        lists.append(
            NomineeList(
                body=body,
                state=state,
                state_changed_at=now,
                remark="Đề nghị bổ sung cán bộ nữ, cán bộ trẻ."
                if state == ListState.RETURNED
                else "",
            )
        )
    NomineeList.objects.bulk_create(lists, batch_size=2000)

    posts_of = {}
    for (unit_id, term_code, post), ids in result.holders.items():
        if term_code == "2025-2030":
            for cid in ids:
                posts_of.setdefault((unit_id, cid), []).append(post)
    nominees = []
    for nl, (body, people) in zip(lists, plans, strict=True):
        unit_id = body.congress.unit_id
        for order, cid in enumerate(people, start=1):
            posts = posts_of.get((unit_id, cid)) or ["member"]
            if body.kind == "people_council":
                posts = ["member"]
            nominees.append(
                Nominee(nominee_list=nl, cadre_id=cid, order=order, proposed_posts=posts)
            )
    Nominee.objects.bulk_create(nominees, batch_size=5000)

    # Vetting: most concluded eligible, some pending (VETTING_MISSING), a few ineligible. One
    # case per person and term, concluded before the first congress that nominates them.
    cases = []
    seen: set[tuple[int, int]] = set()
    for n in nominees:
        congress = n.nominee_list.body.congress
        key = (n.cadre_id, congress.term_id)
        if key in seen:
            continue
        seen.add(key)
        roll = rng.random()
        conclusion = (
            Conclusion.PENDING
            if roll < 0.06
            else Conclusion.INELIGIBLE
            if roll < 0.08
            else Conclusion.ELIGIBLE
        )
        concluded = conclusion != Conclusion.PENDING
        cases.append(
            VettingCase(
                cadre_id=n.cadre_id,
                term_id=congress.term_id,
                conclusion=conclusion,
                concluded_on=congress.held_on - timedelta(days=40) if concluded else None,
                concluding_body="Ban Thường vụ "
                + (congress.unit.committee_name or congress.unit.name)
                if concluded
                else "",
                document_number=f"{rng.randint(10, 999)}-KL/{congress.unit.issuer_code or 'ĐU'}"
                if concluded
                else "",
            )
        )
    VettingCase.objects.bulk_create(cases, batch_size=5000)
    detailed = cases if ctx.scale != "province" else cases[:3000]
    items = []
    for case in detailed:
        for kind, text in ITEM_TEXT.items():
            concern = case.conclusion == Conclusion.INELIGIBLE and kind == ItemKind.INSPECTIONS
            items.append(
                VettingItem(
                    case=case,
                    kind=kind,
                    finding="Có kết luận thanh tra về sai phạm trong quản lý đất đai."
                    if concern
                    else text,
                    is_concern=concern,
                )
            )
    VettingItem.objects.bulk_create(items, batch_size=5000)

    # Nomination rounds for lists past the draft: three steps, most people above half. Each
    # with what its minutes state: time, place, a counting board of people not on the ballot,
    # those present and the ballots. (Minutes data from its own generator: the votes stay.)
    mrng = ctx.rng("minutes")
    rounds, votes = [], []
    for nl, (_, people) in zip(lists, plans, strict=True):
        if nl.state == ListState.DRAFT or not people:
            continue
        summoned = rng.randint(25, 60)
        unit = nl.body.congress.unit
        # The counting board: people of the unit not on the ballot, not even by a namesake.
        ballot = {result.cadres[c].full_name for c in people}
        others = [
            c
            for c in result.cadres_by_unit.get(unit.pk, [])
            if c not in set(people) and result.cadres[c].full_name not in ballot
        ]
        for step in (1, 2, 3):
            present = summoned - mrng.randint(0, 3)
            invalid = mrng.choice([0, 0, 0, 1])
            board = [result.cadres[c].full_name for c in mrng.sample(others, min(3, len(others)))]
            rnd = NominationRound(
                nominee_list=nl,
                step=step,
                held_on=date(2025, 3, 1) + timedelta(days=10 * step),
                summoned=summoned,
                present=present,
                counting_started=time(mrng.choice([9, 10, 14, 15]), mrng.choice([0, 15, 30])),
                minutes_finished=time(mrng.choice([11, 16, 17]), mrng.choice([0, 20, 45])),
                place=f"Hội trường {unit.committee_name or unit.name}",
                counting_board=board,
                ballots_issued=present,
                ballots_received=present,
                ballots_valid=present - invalid,
                ballots_invalid=invalid,
            )
            rounds.append(rnd)
            for cid in people:
                share = rng.choice([0.45, 0.6, 0.7, 0.8, 0.9, 0.95])
                votes.append((rnd, cid, min(present - invalid, round(summoned * share))))
    NominationRound.objects.bulk_create(rounds, batch_size=5000)
    RoundVote.objects.bulk_create(
        [RoundVote(round=r, cadre_id=c, votes=v) for r, c, v in votes], batch_size=5000
    )

    editions = [
        NomineeListEdition(
            nominee_list=nl,
            edition=1,
            approved_at=now,
            data={"nominees": [{"cadre": cid, "order": i} for i, cid in enumerate(people, 1)]},
        )
        for nl, (_, people) in zip(lists, plans, strict=True)
        if nl.state == ListState.APPROVED
    ]
    NomineeListEdition.objects.bulk_create(editions, batch_size=2000)
    ctx.count("congresses", len(congresses))
    ctx.count("nominee_lists", len(lists))
    ctx.count("nominees", len(nominees))
    ctx.count("vetting_cases", len(cases))
    ctx.count("rounds", len(rounds))


def structure_step(ctx) -> None:
    """Compute every unit's structure snapshot so the dashboard has figures at once."""
    from congress.services.structure import recompute_structure

    stats = recompute_structure(root=ctx.result.province)
    ctx.count("structure_snapshots", stats["written"])


# The whole demo, from the registry up: `seed_demo` runs these in order in one transaction.
STEPS: list[Step] = [
    *REGISTRY_STEPS,
    Step("congresses", seed_step),
    Step("planning", "planning.demo.seed_step"),
    Step("structure", structure_step),
]
