"""Cleaning: boilerplate removal, HTML extraction, datelines, dates, outlets, language."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from flashpoint.ingest import CleaningRules, clean_article, read_inputs
from flashpoint.model import Article, CleanArticle, ItemError

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

BODY = (
    "Government troops and rebel fighters clashed on the outskirts of the town on Tuesday, "
    "residents said, and at least three soldiers were wounded in the fighting."
)


@pytest.fixture(scope="session")
def rules() -> CleaningRules:
    return CleaningRules.load()


def clean(text: str, rules: CleaningRules, **kw) -> CleanArticle:
    result = clean_article(Article(id="t", text=text, origin="test", **kw), rules=rules)
    assert isinstance(result, CleanArticle), result
    return result


def from_file(name: str, rules: CleaningRules) -> CleanArticle | ItemError:
    (item,) = read_inputs([str(FIXTURES / name)])
    return clean_article(item, rules=rules) if isinstance(item, Article) else item


# --- boilerplate ------------------------------------------------------------------------


def test_appeal_block_in_the_middle_is_removed_and_news_around_it_kept(rules):
    c = from_file("appeal_in_middle.txt", rules)
    lines = c.text.split("\n")
    assert "Your gift keeps us reporting, please donate:" in c.removed
    assert "We go there." in c.removed and "Facts, not slogans" in c.removed
    assert not any("example.org/img" in line for line in lines)
    assert not any("Frontier Desk's reporters" in line for line in lines)
    # The caption just before the appeal and the news paragraph after it both stay.
    assert "Smoke rises over the eastern edge of Tal Hamis, March 4, 2025." in lines
    assert any(line.startswith("Residents of nearby villages said") for line in lines)
    assert lines[-1] == "The local council said it would assess the damage once the fighting stopped."


def test_share_follow_and_photo_credit_lines_are_removed(rules):
    c = from_file("appeal_in_middle.txt", rules)
    for line in ("Share this article", "Follow us on X and Telegram",
                 "(Photo by Sami Haddad/AFP via Getty Images)"):
        assert line in c.removed and line not in c.text


@pytest.mark.parametrize(
    "junk",
    [
        "![Aerial view](https://example.org/photos/aerial.jpg)",
        "Photo: Lina Haddad/Reuters",
        "Sign up for our daily newsletter to get the latest updates.",
        "Related: Ceasefire talks stall in the capital",
        "Read more",
        "Subscribe",
        "Advertisement",
    ],
)
def test_single_boilerplate_lines_are_removed_between_news_paragraphs(rules, junk):
    c = clean(f"{BODY}\n{junk}\nThe army said the area was calm by evening.", rules)
    assert c.text == f"{BODY}\nThe army said the area was calm by evening."
    assert c.removed == (junk,)


@pytest.mark.parametrize(
    "news",
    [
        "Soldiers patrol the main road outside the town, Oct. 3, 2024.",
        "We will not give up our homes, one resident said.",
        "Please help us, a woman shouted as the shelling resumed, witnesses said.",
        "Photographs published by activists showed three burned vehicles.",
        "Aid groups said donations of food and blankets were reaching the camp.",
    ],
)
def test_news_lines_that_resemble_boilerplate_are_kept(rules, news):
    c = clean(f"{BODY}\n{news}\nThe army said the area was calm by evening.", rules)
    assert news in c.text.split("\n") and c.removed == ()


def test_hard_wrapped_wire_text_keeps_lines_that_start_with_appeal_words(rules):
    text = (
        "THE DEFENSE MINISTER CALLED ON THE POPULATION TO\n"
        "GIVE FULL SUPPORT TO THE ARMY AND THE SECURITY FORCES SO THEY CAN\n"
        "CONTINUE THEIR OPERATIONS IN THE NORTHERN PROVINCES.  HE SAID THAT\n"
        "WE WILL CONTINUE TO FIGHT THE TERRORISTS UNTIL THE END OF THE YEAR.\n"
        "THE ARMY REPORTED THAT TWO SOLDIERS WERE KILLED IN AN AMBUSH.\n"
    )
    c = clean(text, rules)
    assert c.removed == () and c.text == text.strip()


def test_related_list_of_headlines_is_removed_until_the_next_sentence(rules):
    text = (f"{BODY}\nRelated stories\nTruce collapses in the south\nFive things to know about "
            "the border\nThe army said the area was calm by evening.")
    c = clean(text, rules)
    assert c.text == f"{BODY}\nThe army said the area was calm by evening."
    assert len(c.removed) == 3


def test_cleaned_text_is_nfc_with_blank_line_runs_collapsed_and_mojibake_fixed(rules):
    text = f"  {BODY}  \r\n\r\n\r\n\r\nThe mayor of Cafe\u0301 Town said the protestersâ€™ march was peaceful.\n"
    c = clean(text, rules)
    assert c.text == f"{BODY}\n\nThe mayor of Café Town said the protesters’ march was peaceful."


# --- HTML -------------------------------------------------------------------------------


def test_html_page_gives_main_text_and_metadata(rules):
    c = from_file("wire_report.html", rules)
    assert c.title == "Shelling hits border village near Tel Sameer"
    assert c.outlet == "Northern Ledger"  # og:site_name beats the wire in the dateline
    assert c.published == dt.date(2024, 11, 3)  # article:published_time
    assert "killing two farmers" in c.text and "claimed responsibility" in c.text
    for junk in ("do not extract me", "Ten recipes", "All rights reserved", "Home", "Share this"):
        assert junk not in c.text
    assert c.dateline is not None and c.dateline.place == "TEL SAMEER"
    assert c.text[c.dateline.start:c.dateline.end].startswith("TEL SAMEER, Nov 2 (Reuters)")
    assert c.dateline.date == dt.date(2024, 11, 2)


def test_html_without_text_is_an_item_error(rules):
    err = from_file("no_text.html", rules)
    assert isinstance(err, ItemError) and "HTML has no extractable text" in err.reason


def test_html_falls_back_to_plain_extraction_when_trafilatura_finds_nothing():
    from flashpoint.ingest.html import fallback_text

    html = ("<html><head><style>p{}</style></head><body><nav>Menu</nav><div>Fighters seized "
            "the hill.<br>Two were hurt.</div><ul><li>One</li></ul></body></html>")
    assert fallback_text(html) == "Fighters seized the hill.\nTwo were hurt.\nOne"


# --- datelines and dates ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "place", "date"),
    [
        ("[Aleppo] ", "Aleppo", None),
        ("DAMASCUS, Feb 6 (Reuters) - ", "DAMASCUS", dt.date(2025, 2, 6)),
        ("BEIRUT (AP) — ", "BEIRUT", None),
        ("SAN SALVADOR, 3 JAN 90 -- ", "SAN SALVADOR", dt.date(1990, 1, 3)),
        ("KYIV, Ukraine — ", "KYIV", None),
        ("ahmedabad: ", "ahmedabad", None),
        ("NO CITY (COLOMBIA), 26 SEP 89 -- ", "COLOMBIA", dt.date(1989, 9, 26)),
    ],
)
def test_dateline_forms_are_recognised_and_left_in_the_text(rules, head, place, date):
    c = clean(head + BODY, rules, published=dt.date(2025, 2, 7))
    assert c.text == head.strip() + " " + BODY
    assert c.dateline is not None
    assert (c.dateline.place, c.dateline.date) == (place, date)
    assert c.dateline.start == 0 and c.text[c.dateline.end:].startswith("Government troops")


@pytest.mark.parametrize(
    "text",
    [
        "US-led strikes hit a fuel depot overnight, a monitor said.",
        "Russia: Terrorists breached the truce near the city, the ministry said.",
        "The Jaysh al-Islam group fired rockets at the city, officials said.",
        "Note: this report was updated with casualty figures.",
    ],
)
def test_headlines_and_hyphenated_names_are_not_datelines(rules, text):
    assert clean(text, rules).dateline is None


def test_dateline_wire_agency_gives_the_outlet_when_none_is_given(rules):
    assert clean("BEIRUT (AP) — " + BODY, rules).outlet == "Associated Press"
    assert clean("BEIRUT (AP) — " + BODY, rules, outlet="Gazette").outlet == "Gazette"


@pytest.mark.parametrize(
    ("head", "published"),
    [
        ("Wed 05 Apr 2017 ", dt.date(2017, 4, 5)),
        ("Posted on April 19 2017 by Staff Writer ", dt.date(2017, 4, 19)),
        ("This story is from March 10, 2002\n\n", dt.date(2002, 3, 10)),
        ("24.08.2013 ", dt.date(2013, 8, 24)),
    ],
)
def test_date_at_the_top_is_the_publication_date_not_a_dateline(rules, head, published):
    c = clean(head + BODY, rules)
    assert c.published == published and c.dateline is None


def test_date_at_the_top_is_followed_by_a_dateline(rules):
    c = clean("Thursday 31 July 2014 ALEPPO (AFP) - " + BODY, rules)
    assert c.published == dt.date(2014, 7, 31)
    assert c.dateline.place == "ALEPPO" and c.outlet == "Agence France-Presse"


def test_input_publication_date_wins_over_a_date_in_the_text(rules):
    c = clean("Wed 05 Apr 2017 " + BODY, rules, published=dt.date(2017, 4, 6))
    assert c.published == dt.date(2017, 4, 6)


def test_muc_dateline_date_becomes_the_publication_date(rules):
    c = clean("SAN SALVADOR, 3 JAN 90 -- [TEXT] THE ARMY REPORTED THAT TWO SOLDIERS WERE "
              "KILLED IN AN AMBUSH NEAR THE CAPITAL.", rules)
    assert c.published == dt.date(1990, 1, 3) and c.language == "en"


# --- language ----------------------------------------------------------------------------


def test_non_english_article_is_rejected_with_its_language(rules):
    err = from_file("french.txt", rules)
    assert isinstance(err, ItemError)
    assert err.reason == "language is 'fr', not English; skipped"


@pytest.mark.parametrize(
    "text",
    [
        "Two killed in Kabul blast",
        "BOMB EXPLODES NEAR EMBASSY; NO INJURIES REPORTED BY POLICE OR WITNESSES TODAY",
        "Houthi drone strikes Eilat port",
    ],
)
def test_short_and_all_caps_english_is_accepted(rules, text):
    assert clean(text, rules).language == "en"


def test_short_text_in_another_script_is_still_judged(rules):
    err = clean_article(Article(id="x", text="قتل جنديان في هجوم على قافلة", origin="t"), rules=rules)
    assert isinstance(err, ItemError) and "not English" in err.reason


def test_spanish_and_german_are_rejected(rules):
    es = ("El ejército informó que dos soldados murieron en una emboscada cerca de la capital "
          "durante la madrugada del martes, según fuentes oficiales.")
    de = ("Bei einem Angriff auf einen Konvoi im Norden des Landes sind am Dienstag mehrere "
          "Soldaten getötet worden, teilte das Verteidigungsministerium mit.")
    for text, lang in ((es, "es"), (de, "de")):
        err = clean_article(Article(id="x", text=text, origin="t"), rules=rules)
        assert isinstance(err, ItemError) and f"'{lang}'" in err.reason


# --- the real seed ---------------------------------------------------------------------------


def test_seed_001_golden_boilerplate_dateline_and_outlet(rules):
    expected_file = SHARED / "seeds" / "expected.json"
    if not expected_file.exists():
        pytest.skip("../shared/seeds is not available on this machine")
    expected = next(a for a in json.loads(expected_file.read_text())["articles"]
                    if a["file"].startswith("001_"))
    path = SHARED / "seeds" / expected["file"]
    (item,) = read_inputs([str(path)])
    c = clean_article(item, rules=rules)
    assert isinstance(c, CleanArticle)
    boiler = expected["boilerplate_lines"]
    assert list(c.removed) == boiler
    raw_lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n")]
    assert c.text.split("\n") == [line for line in raw_lines if line and line not in boiler]
    assert c.dateline.place == expected["dateline"]
    assert c.outlet == expected["outlet"]
    assert c.language == "en"


def test_seed_000_loses_nothing(rules):
    path = next(iter(sorted((SHARED / "seeds").glob("000_*.txt"))), None)
    if path is None:
        pytest.skip("../shared/seeds is not available on this machine")
    (item,) = read_inputs([str(path)])
    c = clean_article(item, rules=rules)
    assert c.removed == () and c.dateline is None and c.outlet is None


# --- furniture inside a flattened line (boilerplate.toml [inline]) -----------------------

FLAT_PAGE = (
    "03.02.2021(updated 1410 03.02.2021) Get short URL 0 42 Two soldiers were killed when "
    "militants attacked a checkpoint near Tel Sameer, local media reported. AP Photo Border "
    "Village Fears New Raids After Truce Collapses TEL SAMEER (Sputnik) The attack began "
    "before dawn, a local official said. ... 42 Related Rebels Seize Hilltop Near Kafr Dael "
    "Airstrikes Kill 30 Fighters in Desert Province Tags militants checkpoint Tel Sameer "
    "Community standardsDiscussion Comment via FacebookComment via Example News"
)


def test_flattened_page_loses_its_widgets_headlines_and_tail(rules):
    c = clean(FLAT_PAGE, rules)
    assert c.text == (
        "03.02.2021(updated 1410 03.02.2021) Two soldiers were killed when militants attacked "
        "a checkpoint near Tel Sameer, local media reported. TEL SAMEER (Sputnik) The attack "
        "began before dawn, a local official said."
    )
    assert set(c.removed) == {  # in rule order: tails first
        "Get short URL 0 42",
        "AP Photo Border Village Fears New Raids After Truce Collapses",
        "... 42 Related Rebels Seize Hilltop Near Kafr Dael Airstrikes Kill 30 Fighters in "
        "Desert Province Tags militants checkpoint Tel Sameer Community standardsDiscussion "
        "Comment via FacebookComment via Example News",
    }


def test_counter_before_a_lede_that_opens_with_a_number_is_kept_apart(rules):
    c = clean("Get short URL 0 85 12 fighters were killed in clashes near the dam, a monitor said.",
              rules)
    assert c.text == "12 fighters were killed in clashes near the dam, a monitor said."


def test_embedded_posts_go_and_the_next_sentence_stays(rules):
    text = (
        f"{BODY} Shelling hit the market again this morning, many hurt "
        "httpst.coAbC123xyz pic.twitter.comQwErTy12 Aid Watch (aidwatch) March 3 2021 "
        "Meanwhile the army said it had retaken the hill."
    )
    c = clean(text, rules)
    assert c.text == f"{BODY} Meanwhile the army said it had retaken the hill."
    assert c.removed == (
        "Shelling hit the market again this morning, many hurt httpst.coAbC123xyz "
        "pic.twitter.comQwErTy12 Aid Watch (aidwatch) March 3 2021",
    )


def test_tag_list_goes_only_when_a_sentence_plainly_opens_after_it(rules):
    closed = clean(f"Rebels shelled the town. Tags Syria Tel Sameer shelling At least four {BODY[0].lower()}"
                   f"{BODY[1:]}", rules)
    assert closed.removed == ("Tags Syria Tel Sameer shelling",)
    assert closed.text.startswith("Rebels shelled the town. At least four government troops")
    # No plain sentence opening: the list cannot be told from the body, so nothing goes.
    open_ = clean(f"Rebels shelled the town. Tags Syria shelling Government troops and rebels "
                  "clashed near the town on Tuesday.", rules)
    assert open_.removed == ()


def test_pull_quote_that_repeats_the_text_goes_but_a_tab_set_paragraph_stays(rules):
    quote = "Two nurses were hurt when the clinic was hit, the director said"
    text = f"{quote} on Monday. \t \t{quote}. - Clinic director\t \t The clinic closed."
    c = clean(text, rules)
    assert c.removed == (f"{quote}. - Clinic director",)
    para = clean(f"{BODY} \t \tThe clinic closed on Monday.\t \t The army left.", rules)
    assert para.removed == ()


@pytest.mark.parametrize(
    "news",
    [
        "Troops killed 12 militants, the ministry said ... 14 civilians were also hurt.",
        "The Syrian Observatory for Human Rights (SOHR) said 20 people died on March 3.",
        "Price tags for bread doubled. At least 5 bakeries closed.",
        "He said. REUTERS reported that the convoy was hit.",
    ],
)
def test_news_that_resembles_inline_furniture_is_kept(rules, news):
    c = clean(news, rules)
    assert c.removed == () and c.text == news
