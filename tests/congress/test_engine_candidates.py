"""The recompute reads the committees' members and the nominees in one pass
(`load_candidate_sets`); each set must get exactly the candidates `load_candidates` gives it
on its own, relatives inside the set named by id and the others by their current posts."""

import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from congress.engine import current_posts_by_cadre, load_candidate_sets, load_candidates
from personnel.models import Achievement, Cadre, FamilyRelation, Post, Tenure, Term
from tests.factories import CadreFactory, UnitFactory
from vetting.models import VettingCase

pytestmark = pytest.mark.django_db

POSTS = ("secretary", "deputy_secretary", "member", "people_committee_chair", "inspection_chair")
RELATIONS = ("spouse", "parent", "child", "sibling", "sibling_in_law")


def registry(seed: int) -> list[int]:
    """A random registry: tenures ended, open and not begun yet; relations recorded on
    either side, with cadres or outside people; achievements; vetting cases of several
    terms. Returns the cadres' ids."""
    rnd = random.Random(seed)
    today = timezone.localdate()
    units = [UnitFactory(level="commune") for _ in range(3)]
    posts = [Post.objects.get_or_create(code=code, defaults={"name": code})[0] for code in POSTS]
    terms = list(Term.objects.all())
    people = [
        CadreFactory(
            unit=rnd.choice(units),
            birth_date=date(1965 + rnd.randrange(25), 1 + rnd.randrange(12), 1 + rnd.randrange(28)),
            ethnicity=rnd.choice(["", "Kinh", "Tày"]),
        )
        for _ in range(40)
    ]
    for c in people:
        for _ in range(rnd.randrange(4)):
            start = today - timedelta(days=rnd.randrange(-200, 4000))
            end = rnd.choice([None, start + timedelta(days=rnd.randrange(1, 3000))])
            Tenure.objects.create(
                cadre=c, post=rnd.choice(posts), unit=rnd.choice(units), start=start, end=end
            )
        for _ in range(rnd.randrange(3)):
            if rnd.random() < 0.6:
                FamilyRelation.objects.create(
                    cadre=c, relation=rnd.choice(RELATIONS), relative=rnd.choice(people)
                )
            else:
                FamilyRelation.objects.create(
                    cadre=c,
                    relation=rnd.choice(RELATIONS),
                    relative_name="Người ngoài",
                    relative_posts=rnd.choice([[], ["secretary"], ["member", "inspection_chair"]]),
                )
        if rnd.random() < 0.4:
            Achievement.objects.create(cadre=c, year=today.year - rnd.randrange(6), title="Khen")
        for term in rnd.sample(terms, rnd.randrange(min(3, len(terms)) + 1)):
            VettingCase.objects.create(
                cadre=c,
                term=term,
                conclusion=rnd.choice(["eligible", "ineligible", "pending"]),
                requested_at=timezone.now() - timedelta(days=rnd.randrange(900)),
            )
    # The edges of "current": ending today counts, starting tomorrow does not.
    for c, start, end in (
        (people[0], today - timedelta(days=30), today),
        (people[1], today + timedelta(days=1), None),
        (people[2], today, None),
    ):
        Tenure.objects.create(cadre=c, post=posts[0], unit=units[0], start=start, end=end)
    return [c.pk for c in people]


def outside_posts_sorted(people: dict) -> dict:
    """The posts of an outside relative come from an unordered read in `load_candidates`."""
    for person in people.values():
        for relative in person["relatives"]:
            if "posts" in relative:
                relative["posts"] = sorted(relative["posts"])
    return people


@pytest.mark.parametrize("seed", range(4))
def test_each_set_gets_the_candidates_it_would_get_alone(seed):
    ids = registry(seed)
    rnd = random.Random(seed)
    groups = [set(rnd.sample(ids, 25)) | set(ids[:3]), set(rnd.sample(ids, 20)), set()]
    term = Term.objects.order_by("-start").first()
    year = timezone.localdate().year

    sets, posts = load_candidate_sets(groups, ref_year=year, term_id=term.pk)

    for group, people in zip(groups, sets, strict=True):
        alone = load_candidates(Cadre.objects.filter(pk__in=group), ref_year=year, term_id=term.pk)
        assert outside_posts_sorted(people) == outside_posts_sorted(alone)
    everyone = Cadre.objects.filter(pk__in=set().union(*groups))
    assert posts == dict(current_posts_by_cadre(everyone))
