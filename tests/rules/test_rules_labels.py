"""Every finding code the engine can produce has a Vietnamese name and an explanation; targets
read as people write them; a list is offered the posts of its level."""

from congress.rules import labels
from congress.rules.checks import RULES
from congress.rules.planning import PLAN_SEVERITY


def test_every_finding_code_has_a_name_and_an_explanation():
    codes = {f.code for rule in RULES for f in rule.findings} | set(PLAN_SEVERITY)
    missing = sorted(c for c in codes if c not in labels.FINDING_LABELS)
    assert not missing
    for code in codes:
        title, help_text = labels.FINDING_LABELS[code]
        assert title and help_text and code not in title and "_" not in title


def test_an_unknown_code_never_shows_as_itself():
    assert labels.finding_title("X_TEST") == "Phát hiện khác"
    assert labels.finding_help("X_TEST") == ""


def test_targets_read_with_their_sign_and_percent():
    assert labels.target_text(">= 15") == "≥ 15 %"
    assert labels.target_text("<= 30") == "≤ 30 %"
    assert labels.target_text("40-50") == "40–50 %"
    assert labels.target_text("≥ 12.5") == "≥ 12,5 %"
    assert labels.target_text(None) == ""


def test_a_grassroots_list_is_never_offered_provincial_posts():
    catalogue = list(labels.POST_LABELS)
    grassroots = labels.posts_for_level("grassroots", catalogue)
    assert "secretary" in grassroots and "member" in grassroots
    assert not {"people_committee_chair", "sector:tax", "people_council_chair"} & set(grassroots)
    commune = labels.posts_for_level("commune", catalogue)
    assert "people_committee_chair" in commune and "sector:tax" not in commune
    assert labels.posts_for_level("province", catalogue) == catalogue


def test_the_age_tiers_are_named_by_their_bounds():
    names = labels.ratio_labels(young_below=40, low=40, high=50)
    assert names["age_tier_low"] == "Dưới 40 tuổi"
    assert names["age_tier_mid"] == "Từ 40 đến 50 tuổi"
    assert names["age_tier_high"] == "Trên 50 tuổi"
