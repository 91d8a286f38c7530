"""Skill and language list parsing: trailing numbers read from the right, names resolved once per run."""

import pytest

from apps.imports.items import CellError, ItemParser, parse_bool, parse_date, parse_int, split_items
from apps.skills.models import Skill
from apps.skills.selectors import SkillResolutionError, SkillResolver, skill_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def parser(edge_skills):
    return ItemParser()


def test_split_items_folds_full_width_punctuation():
    assert split_items("Amazon：4；选品:3; ; ") == ["Amazon:4", "选品:3"]


def test_esco_uri_with_and_without_level_and_weight(parser, edge_skills):
    uri = edge_skills["uri"].esco_uri
    pk = edge_skills["uri"].pk
    assert parser.skill_item(uri, with_weight=False).skill_id == pk
    assert parser.skill_item(uri, with_weight=False).level == 3
    assert parser.skill_item(f"{uri}:5", with_weight=False).level == 5
    item = parser.skill_item(f"{uri}:2:1.5", with_weight=True)
    assert (item.skill_id, item.level, item.weight) == (pk, 2, 1.5)


def test_label_containing_a_colon(parser, edge_skills):
    item = parser.skill_item("IFRS 16: leases:4", with_weight=False)
    assert (item.skill_id, item.level) == (edge_skills["colon"].pk, 4)
    assert parser.skill_item("IFRS 16: leases", with_weight=True).skill_id == edge_skills["colon"].pk


def test_label_ending_in_a_number_prefers_the_reading_that_resolves(parser, edge_skills):
    # "ISO 9001:2015" alone is that skill at the default level, not "ISO 9001" at level 2015.
    item = parser.skill_item("ISO 9001:2015", with_weight=False)
    assert (item.skill_id, item.level) == (edge_skills["iso"].pk, 3)
    item = parser.skill_item("ISO 9001:2015:4:2", with_weight=True)
    assert (item.skill_id, item.level, item.weight) == (edge_skills["iso"].pk, 4, 2.0)
    item = parser.skill_item("ISO 9001:4", with_weight=False)
    assert (item.skill_id, item.level) == (edge_skills["iso_short"].pk, 4)


def test_bad_level_and_weight_are_named(parser):
    with pytest.raises(CellError, match="outside 1-5"):
        parser.skill_item("Amazon Seller Central:7", with_weight=False)
    with pytest.raises(CellError, match="not a whole number"):
        parser.skill_item("Amazon Seller Central:high", with_weight=False)
    with pytest.raises(CellError, match="weight 11"):
        parser.skill_item("Amazon Seller Central:3:11", with_weight=True)


def test_unknown_skill_gets_did_you_mean(parser):
    with pytest.raises(CellError) as exc:
        parser.skill_item("Amazon Seler Central:4", with_weight=False)
    assert "Unknown skill 'Amazon Seler Central'" in str(exc.value)
    assert any("platform.amazon_seller_central" in s for s in exc.value.suggestions)
    assert "Did you mean" in str(exc.value)


def test_shared_alias_is_reported_as_ambiguous_not_guessed(parser, edge_skills):
    with pytest.raises(CellError) as exc:
        parser.skill_item("zebra work:3", with_weight=False)
    message = str(exc.value)
    assert "ambiguous" in message and "imptest.shared_a" in message and "imptest.shared_b" in message


def test_skill_list_rejects_duplicates_and_languages(parser):
    with pytest.raises(CellError, match="listed twice"):
        parser.skill_list("Amazon Seller Central:3; platform.amazon_seller_central:4")
    with pytest.raises(CellError, match="is a language"):
        parser.skill_list("English:4")


def test_language_items(parser):
    english = Skill.objects.get(code="lang.en").pk
    assert parser.language_list("English:B2") == [parser.language_item("english:b2", default_cefr=None)]
    assert parser.language_item("英语:C1", default_cefr=None).cefr == 5
    assert parser.language_item("English:CET-6", default_cefr=None).cefr == 4
    assert parser.language_item("CET-6", default_cefr=None).language_id == english
    assert parser.language_item("English", default_cefr=3).cefr == 3
    with pytest.raises(CellError, match="give a CEFR level"):
        parser.language_item("English", default_cefr=None)
    with pytest.raises(CellError, match="not a CEFR level"):
        parser.language_item("English:Z9", default_cefr=None)
    with pytest.raises(CellError, match="exam of"):
        parser.language_item("Japanese:CET-6", default_cefr=None)
    with pytest.raises(CellError, match="not a language"):
        parser.language_item("Amazon Seller Central:B2", default_cefr=None)


def test_resolver_code_beats_alias_and_label_beats_alias(edge_skills):
    from tests.imports.conftest import make_skill

    # Another skill whose alias is exactly the first one's code and label.
    make_skill("imptest.confuser", "Confuser", aliases=["imptest.shared_a", "Zebra listing audit"])
    resolver = SkillResolver()
    assert resolver.resolve("imptest.shared_a") == edge_skills["shared_a"].pk
    assert resolver.resolve("zebra listing audit") == edge_skills["shared_a"].pk
    assert skill_resolve("Zebra listing audit").pk == edge_skills["shared_a"].pk
    with pytest.raises(SkillResolutionError, match="ambiguous"):
        skill_resolve("zebra work")


def test_scalar_parsers():
    assert parse_int("2,026") == 2026 and parse_int("２０２６") == 2026 and parse_int("2026.0") == 2026
    assert parse_int("") is None
    with pytest.raises(CellError):
        parse_int("abc")
    assert parse_bool("是") is True and parse_bool("no") is False and parse_bool("") is False
    assert str(parse_date("2026年9月30日")) == "2026-09-30" and str(parse_date("2026/9/3")) == "2026-09-03"
    with pytest.raises(CellError):
        parse_date("30.9.2026")
