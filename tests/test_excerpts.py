"""excerpts: matching forgives only what copy-paste changes, and an ellipsis stays within one paragraph."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from factpress.excerpts import (
    closest_passage,
    excerpt_parts,
    find_excerpt,
    fold,
    has_spaced_punctuation,
    word_difference,
)
from factpress.model import Span

SNAPSHOT = (
    "The minister said: \u201cWe never proposed the ban \u2014 it\u2019s a myth.\u201d\n"
    "She spoke   to reporters\u00a0on Tuesday\u2026 then left.\n"
    "\n"
    "In a second paragraph, the opposition replied that the ban was real.\n"
)


def found(excerpt: str, snapshot: str = SNAPSHOT) -> list[str] | None:
    """The original text of each matched span, or None."""
    spans = find_excerpt(excerpt, fold(snapshot))
    return None if spans is None else [snapshot[s.start : s.end] for s in spans]


@pytest.mark.parametrize(
    ("excerpt", "expected"),
    [
        (
            '"We never proposed the ban - it\'s a myth."',
            "\u201cWe never proposed the ban \u2014 it\u2019s a myth.\u201d",
        ),
        ("it's a myth", "it\u2019s a myth"),  # straight apostrophe for a curly one
        ("the ban \u2013 it", "the ban \u2014 it"),  # en dash for an em dash
        ("the ban -- it", "the ban \u2014 it"),  # two hyphens typed for a dash
        ("the ban---it", "the ban \u2014 it"),  # or three, and the spaces by a dash as they come
        ("the ban it", None),  # but not a dash left out
        ("the ban - - it", None),  # nor two dashes for one
        ("She spoke to reporters on Tuesday", "She spoke   to reporters\u00a0on Tuesday"),  # white space
        ("she SPOKE to reporters", "She spoke   to reporters"),  # case
        ("\u201cwe never\u201d", None),  # quotes that are not there
    ],
)
def test_normalisation(excerpt: str, expected: str | None) -> None:
    result = found(excerpt)
    assert result == (None if expected is None else [expected])


def test_fold_keeps_a_map_to_the_original() -> None:
    folded = fold("A\u00a0 \u201cb\u201d\u2026")
    assert folded.text == 'a "b"...'
    assert len(folded.origin) == len(folded.text)
    assert folded.origin[-3:] == (6, 6, 6)  # the three dots come from the one ellipsis character


def test_an_ellipsis_matches_a_then_b_within_one_paragraph() -> None:
    assert found("We never proposed … it's a myth") == ["We never proposed", "it\u2019s a myth"]
    assert found("The minister said [...] then left") == ["The minister said", "then left"]


def test_three_dots_and_the_ellipsis_character_both_skip_words() -> None:
    assert found("She spoke ... on Tuesday\u2026 then left") == ["She spoke", "on Tuesday", "then left"]


def test_an_ellipsis_does_not_join_paragraphs() -> None:
    assert found("We never proposed the ban … the ban was real") is None


def test_the_parts_must_come_in_order() -> None:
    assert found("a myth … We never proposed") is None


def test_a_later_occurrence_of_the_first_part_is_tried() -> None:
    text = "the ban\n\nthe ban was real and long\n"
    assert found("the ban … long", text) == ["the ban", "long"]


def test_without_blank_lines_each_line_is_a_paragraph() -> None:
    text = "First line says alpha.\nSecond line says omega.\n"
    assert found("alpha … omega", text) is None
    assert found("First … alpha", text) == ["First", "alpha"]


def test_an_excerpt_of_only_dots_is_not_found() -> None:
    assert excerpt_parts("… ...") == []
    assert found("...") is None


def test_the_closest_passage_is_shown_when_not_found() -> None:
    near = closest_passage("the opposition replied that the ban was fake", fold(SNAPSHOT))
    assert near is not None
    assert near.passage == "the opposition replied that the ban was real."
    assert "[-fake-] {+real.+}" in near.difference


def test_no_closest_passage_when_nothing_is_alike() -> None:
    assert closest_passage("zzzz qqqq xxxx", fold(SNAPSHOT)) is None


def test_word_difference_shortens_long_equal_runs() -> None:
    diff = word_difference(
        "one two three four five six seven eight nine", "one two three four five six seven eight ten"
    )
    assert diff == "one two three … six seven eight [-nine-] {+ten+}"


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_accents_written_in_two_characters_match_accents_written_in_one(form: str) -> None:
    """macOS saves é as e + a combining accent (NFD): either way round, it is the same letter."""
    snapshot = "Le maire a déclaré que le café coûtait 3 €, à Zürich."
    other = "NFD" if form == "NFC" else "NFC"
    original = unicodedata.normalize(form, snapshot)
    [span] = find_excerpt(unicodedata.normalize(other, "a déclaré que le café"), fold(original))
    assert unicodedata.normalize("NFC", original[span.start : span.end]) == "a déclaré que le café"
    assert not unicodedata.combining(original[span.end])  # the last letter's accent is inside the span


def test_a_letter_without_its_accent_is_not_the_letter_with_it() -> None:
    snapshot = unicodedata.normalize("NFD", "Le café coûtait trois euros.")
    assert find_excerpt("Le cafe coutait", fold(snapshot)) is None
    assert find_excerpt("Le café", fold(snapshot)) is not None


def test_cjk_corner_brackets_are_quotes() -> None:
    snapshot = "首相は“賃金は過去最高”と述べた。"
    assert find_excerpt("「賃金は過去最高」", fold(snapshot)) is not None
    assert find_excerpt("『賃金は過去最高』", fold(snapshot)) is not None


def test_arabic_indic_digits_and_optional_vowel_signs_match_as_written_without() -> None:
    snapshot = "وتمَّ افتتاحُ ٩٢ مستشفىً جديداً خلال العام"
    assert find_excerpt("افتتاح 92 مستشفى جديدا", fold(snapshot)) is not None
    assert find_excerpt("افتتاح 93 مستشفى", fold(snapshot)) is None


def test_hebrew_points_and_russian_yo_are_optional() -> None:
    assert find_excerpt("שלום עולם", fold("שָׁלוֹם עוֹלָם")) is not None
    assert find_excerpt("Ещё два года", fold("Еще два года")) is not None
    assert find_excerpt("еще два", fold("ЕЩЁ ДВА")) is not None


def test_an_elided_excerpt_is_tried_from_one_place_per_paragraph(monkeypatch) -> None:
    """Each paragraph where the first part starts is tried once, and only so many: a snapshot made of
    hundreds of thousands of such paragraphs cannot make check search it once a line."""
    from factpress import excerpts

    snapshot = fold("aa aa aa x\n" * 5 + "aa then bb\n")
    assert find_excerpt("aa … bb", snapshot) == (Span(55, 57), Span(63, 65))
    monkeypatch.setattr(excerpts, "MAX_STARTS", 5)
    assert find_excerpt("aa … bb", snapshot) is None
    monkeypatch.setattr(excerpts, "MAX_STARTS", 6)
    assert find_excerpt("aa … bb", snapshot) is not None


def test_a_run_of_accents_is_folded_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each accent of a run once started a count to the run's end: 20,000 of them in a snapshot took 17 s
    to fold, 80,000 took five minutes. A letter's own few marks still fold with it."""
    from factpress import excerpts

    looked_at = 0
    joins = excerpts._joins

    def counted(char: str) -> bool:
        nonlocal looked_at
        looked_at += 1
        return joins(char)

    monkeypatch.setattr(excerpts, "_joins", counted)
    accents = 3000
    folded = fold("cafe\u0301 " + "a" + "\u0301" * accents + " fin")
    assert folded.text.startswith("caf\u00e9 a\u0301")
    assert looked_at < 20 * accents  # (one count to the end per accent: 4.5 million)


def test_the_closest_passage_of_a_long_excerpt_compares_its_first_words() -> None:
    words = [f"word{n}" for n in range(300)]
    snapshot = fold(" ".join(words) + ".")
    near = closest_passage(" ".join(words[:100]) + " wrong ending", snapshot)
    assert near is not None
    assert near.difference == "its first 40 words match: the difference is later"
    assert near.passage.split()[0] == "word0" and len(near.passage.split()) == 40


def test_the_closest_passage_of_a_long_excerpt_without_spaces_compares_its_first_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Chinese writes no spaces: a wrong 1,000-character excerpt was one word, aligned whole (16 s against a
    200 KB snapshot; the time grows with the square of the excerpt)."""
    from rapidfuzz import fuzz

    from factpress import excerpts

    compared: list[int] = []
    align = fuzz.partial_ratio_alignment

    def measured(piece: str, text: str, **kwargs: object) -> object:
        compared.append(len(piece))
        return align(piece, text, **kwargs)

    monkeypatch.setattr(fuzz, "partial_ratio_alignment", measured)
    sentence = "市长表示这座桥花费了一千二百万欧元。"
    near = excerpts.closest_passage(sentence * 60 + "\u9519", fold(sentence * 100))
    assert near is not None
    assert near.difference == f"its first {excerpts.ALIGN_CHARS} characters match: the difference is later"
    assert compared == [excerpts.ALIGN_CHARS]
    long_words = " ".join(["Verkehrsinfrastrukturfinanzierungsgesellschaft"] * 12)  # 12 words, 575 characters
    assert excerpts._compared_start(long_words)[1] == "its first 6 words"


def test_an_excerpt_of_thousands_of_parts_is_not_looked_for_part_by_part(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part of an elided excerpt not found was looked for in the whole snapshot: 2,000 parts against a 3 MB
    snapshot took 3 s for one excerpt. No quotation has more than a few parts."""
    from factpress import excerpts

    looked_for: list[str] = []
    locate = excerpts._locate

    def counted(piece: str, snapshot: excerpts.Folded, start: int = 0) -> tuple[int, int]:
        looked_for.append(piece)
        return locate(piece, snapshot, start)

    monkeypatch.setattr(excerpts, "_locate", counted)
    snapshot = fold(" ".join(f"q{n}" for n in range(2_000)) + ".")
    assert closest_passage(" … ".join(f"q{n}" for n in reversed(range(2_000))), snapshot) is None
    assert not looked_for
    near = closest_passage("q5 … q3 … q9", snapshot)
    assert near is not None and near.difference == "every part is in the snapshot, but not in this order"
    near = closest_passage("q5 … q17x … q9", snapshot)
    assert near is not None and near.difference.startswith("part 2 of 3: [-q17x-]")


def test_korean_written_in_jamo_matches_korean_written_in_syllables() -> None:
    """NFD (as macOS saves it, and some input methods) writes 한 as ᄒ + ᅡ + ᆫ: the same syllable."""
    snapshot = unicodedata.normalize("NFD", "서울 지하철 요금은 1,400원이었다고 밝혔다.")
    [span] = find_excerpt("요금은 1,400원이었다", fold(snapshot))
    assert unicodedata.normalize("NFC", snapshot[span.start : span.end]) == "요금은 1,400원이었다"
    assert find_excerpt(unicodedata.normalize("NFD", "요금은 1,400원"), fold("요금은 1,400원이었다")) is not None


def test_what_hindi_and_korean_writers_type_at_will_is_forgiven() -> None:
    assert find_excerpt("ज्यादा लोग", fold("ज़्यादा लोग")) is not None  # the nukta, dropped
    assert find_excerpt("पुल खुला|", fold("पुल खुला।")) is not None  # | for the danda
    assert find_excerpt("서울ㆍ부산", fold("서울·부산")) is not None  # middle dots
    assert find_excerpt("नौ\u200cजवान", fold("नौजवान")) is not None  # a zero-width non-joiner
    assert find_excerpt("ज्यादा लोग", fold("कम लोग")) is None


def test_the_difference_shown_ignores_punctuation_in_any_script() -> None:
    """A danda or 。 after the last word is not a difference (it was shown as [-है-] {+है।+})."""
    from factpress.excerpts import closest_passage

    near = closest_passage("उन्होंने कहा कि 12 पुल बने हैं", fold("उन्होंने कहा कि 10 पुल बने हैं। फिर"))
    assert near is not None
    assert near.difference.endswith("[-12-] {+10+} पुल बने हैं")  # the excerpt's words, no [-हैं-] {+हैं।+}


def test_the_difference_shown_keeps_a_sign_or_a_percent_with_its_number() -> None:
    """Only sentence punctuation is set aside: -12 against 12, or 5% against 5, is the difference."""
    from factpress.excerpts import word_difference

    assert "[--12-] {+12+}" in word_difference("the bridge cost -12 million", "the bridge cost 12 million")
    assert "[-5%-] {+5+}" in word_difference("up 5% this year", "up 5 this year")


@pytest.mark.parametrize(
    ("typed", "snapshot"),
    [
        ('צה"ל הודיע', "צה״ל הודיע היום"),  # Hebrew gershayim, typed as "
        ("מורה בבית-הספר", "מורה בבית־הספר"),  # the maqaf, typed as -
        ("25% بود", "رشد ۲۵ ٪ بود"),  # the Arabic percent sign (and the space before it)
        ("1,200.5 یورو", "\u0661\u066c\u0662\u0660\u0660\u066b\u0665 یورو"),  # Arabic thousands and decimal signs
        ("دوازده ميليون", "دوازده میلیون یورو"),  # Persian yeh and keheh typed on an Arabic keyboard
        ("كتاب", "کتاب"),
    ],
)
def test_what_a_hebrew_or_arabic_keyboard_types_instead_is_forgiven(typed: str, snapshot: str) -> None:
    assert find_excerpt(typed, fold(snapshot)) is not None


def test_french_spacing_around_punctuation_is_forgiven_but_not_the_words() -> None:
    """French sets : ; ! ? and « » off with spaces (often non-breaking), which a retyped excerpt drops."""
    snapshot = "Le ministre a déclaré\u00a0: «\u00a0C'est faux\u00a0» hier\u202f!"
    for typed in (
        "a déclaré: «C'est faux» hier!",
        'a déclaré: "C\'est faux" hier!',
        "a déclaré : « C'est faux » hier !",
    ):
        [span] = find_excerpt(typed, fold(snapshot))
        assert snapshot[span.start : span.end] == "a déclaré\u00a0: «\u00a0C'est faux\u00a0» hier\u202f!"
    assert find_excerpt("déclaré : « C'est faux »", fold("Il a déclaré: «C'est faux».")) is not None
    assert find_excerpt('Il a dit "bonjour"', fold("Il a dit « bonjour » hier.")) is not None
    persian = "گفت که هزینه بود، «کمتر از آنچه می\u200cترسیدیم»."
    assert find_excerpt('بود، "کمتر از آنچه میترسیدیم"', fold(persian)) is not None  # typed on a Latin keyboard
    assert find_excerpt("pul khula ।", fold("pul khula।")) is not None  # a space before the danda
    assert find_excerpt("«C'est faux»", fold("«C'est vrai»")) is None


def test_german_guillemets_keep_the_word_spaces_outside_them() -> None:
    """German and Danish quote »so«, the marks the other way round from French: the space before the
    opening » and after the closing « is a word space, so an excerpt retyped with „…“ or "…" matches
    (the French rule dropped it, and nothing but the same » « marks could match)."""
    snapshot = (
        "Kosten von 18,7 Millionen Euro, weniger als die behaupteten »über 50 Millionen« im Netz."
        " Sie sagte: »Wir halten den Zeitplan ein.« Die Opposition"
    )
    for typed in (
        'die behaupteten "über 50 Millionen" im Netz',
        "die behaupteten „über 50 Millionen“ im Netz",
        "die behaupteten »über 50 Millionen« im Netz",
        "sagte: „Wir halten den Zeitplan ein.“ Die Opposition",
    ):
        assert find_excerpt(typed, fold(snapshot)) is not None, typed
    assert find_excerpt('die behaupteten"über 50 Millionen"im Netz', fold(snapshot)) is None
    assert find_excerpt("Il a dit « oui » et", fold("Il a dit «\u00a0oui\u00a0» et")) is not None  # French, as before
    assert find_excerpt('l\'"affaire" est', fold("l'« affaire » est")) is not None


def test_white_space_between_chinese_or_japanese_characters_is_forgiven() -> None:
    """Chinese and Japanese write no space between words: a line break of the snapshot (a PDF's line end)
    or an ideographic space is no word boundary, so an excerpt copied without it is the same words."""
    seven, one, zero, eight, two, three, point, percent = "\uff17\uff11\uff10\uff18\uff12\uff13\uff0e\uff05"
    snapshot = (
        f"東京都統計局\u3000報道発表資料\n令和{seven}年\n\n"
        f"指数は{one}{zero}{eight}{point}{two}となり、\n前年同月比で{three}{point}{one}{percent}上昇した。"
    )
    for typed in (
        f"報道発表資料令和{seven}年",
        "東京都統計局報道発表資料",
        "となり、前年同月比で3.1%上昇",
        "となり、 前年同月比",
    ):
        assert find_excerpt(typed, fold(snapshot)) is not None, typed
    # full-width digits grouped otherwise are another number
    assert find_excerpt(f"{one} {zero}{zero}{zero}人", fold(f"{one}{zero}{zero}{zero}人")) is None
    assert find_excerpt("한국어 문장", fold("한국어문장")) is None  # Korean is written with spaces
    assert find_excerpt("資料令和", fold("資料\n\n令和")) is not None  # (a paragraph break too: no ellipsis here)


def test_spaced_punctuation_is_found_as_the_regular_expression_it_replaced_finds_it() -> None:
    """has_spaced_punctuation decides which texts fold a character at a time: it must agree with `\\s+[…]|«`."""
    pattern = re.compile(r"\s+[:;!?%\u066a\u00bb\u0964\u0965]|\u00ab")
    alphabet = "ab :;!?%.\n\t\u00a0\u202f\u00ab\u00bb\u066a\u0964\u0965\u001fé"
    rng = random.Random(7)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 8))) for _ in range(20_000)]
    assert [has_spaced_punctuation(text) for text in texts] == [bool(pattern.search(text)) for text in texts]


def test_ascii_text_with_a_space_before_punctuation_is_matched_without_it() -> None:
    snapshot = "The minister said : it cost 5 % more ; really ?"
    assert find_excerpt("said: it cost 5% more; really?", fold(snapshot)) is not None


def test_turkish_dotted_and_dotless_i_match_in_either_case() -> None:
    """A Turkish headline in capitals, or an excerpt typed on a keyboard without the dotless i, is the same words."""
    snapshot = "Belediye Başkan\u0131, köprünün maliyetinin 12 milyar lira olduğunu söyledi. YILLIK ENFLASYON İNDİ"
    [span] = find_excerpt("KÖPRÜNÜN MALİYETİNİN 12 MİLYAR LİRA", fold(snapshot))
    assert snapshot[span.start : span.end] == "köprünün maliyetinin 12 milyar lira"
    assert find_excerpt("y\u0131ll\u0131k enflasyon indi", fold(snapshot)) is not None
    assert find_excerpt("Belediye Baskani", fold(snapshot)) is None  # ş is not s: only the i is forgiven
    assert find_excerpt("Belediye Başkani", fold(snapshot)) is not None
    assert find_excerpt("YILLIK ENFLASYON ARTTI", fold(snapshot)) is None


def test_the_difference_in_chinese_or_japanese_is_shown_character_by_character() -> None:
    """Text without spaces was one "word": the closest passage was the whole line, and `differs` all of it."""
    snapshot = "東京都は30日、「新大橋」の総工費が1200億円に達する見通しだと発表した。当初計画の600億円の2倍となる。"
    near = closest_passage("総工費が1200億円に達する見込み", fold(snapshot))
    assert near is not None
    assert near.passage == "総工費が1200億円に達する見通し"
    assert near.difference == "総工費が1200億円に達する見 [-込み-] {+通し+}"
    wide = "3.3%".translate({c: c + 0xFEE0 for c in range(0x25, 0x3A)})  # full-width, as a Japanese IME types
    near = closest_passage("前年同月比3.1%の上昇", fold(f"６月は、前年同月比{wide}の上昇となった。"))
    assert near is not None
    assert near.difference == f"前年同月比 [-3.1%-] {{+{wide}+}} の上昇"
    assert word_difference("他说预算是3亿元", "他说预算是5亿元") == "他说预算是 [-3-] {+5+} 亿元"
    assert word_difference("東京\u3000大阪", "東京 大阪") == ""  # an ideographic space is a space, not a word


def test_a_long_matching_run_of_chinese_is_shortened_by_its_length_not_its_characters() -> None:
    diff = word_difference(
        "国家统计局今天发布的数据显示物价上涨了百分之三", "国家统计局今天发布的数据显示物价上涨了百分之五"
    )
    assert diff == "国家统计局今天发布 … 示物价上涨了百分之 [-三-] {+五+}"


def test_greek_capitals_without_accents_match_the_accented_words() -> None:
    """Greek capitals drop the tonos (ΑΘΗΝΑ is Αθήνα): a headline quoted in lower case was not found."""
    snapshot = "ΑΘΗΝΑ: Ο ΠΡΟΫΠΟΛΟΓΙΣΜΟΣ ΕΙΝΑΙ ΠΛΕΟΝΑΣΜΑΤΙΚΟΣ\n\nΗ κυβέρνηση ανακοίνωσε ότι θα μειώσει τους φόρους."  # noqa: RUF001
    [span] = find_excerpt("ο προϋπολογισμός είναι πλεονασματικός", fold(snapshot))  # noqa: RUF001
    assert snapshot[span.start : span.end] == "Ο ΠΡΟΫΠΟΛΟΓΙΣΜΟΣ ΕΙΝΑΙ ΠΛΕΟΝΑΣΜΑΤΙΚΟΣ"  # noqa: RUF001
    assert find_excerpt("ΚΥΒΕΡΝΗΣΗ ΑΝΑΚΟΙΝΩΣΕ", fold(snapshot)) is not None
    assert find_excerpt(unicodedata.normalize("NFD", "Αθήνα"), fold(snapshot)) is not None
    assert find_excerpt("ο προυπολογισμος", fold(snapshot)) is None  # noqa: RUF001 (the dialytika stays)
    assert find_excerpt("θα αυξήσει τους φόρους", fold(snapshot)) is None


def test_latin_letters_typed_for_the_cyrillic_ones_they_look_like_match() -> None:
    """A Ukrainian typing on another layout writes a Latin i: `differs` showed two identical words."""
    snapshot = "Дефіцит менше, ніж торік. ВІН СКАЗАВ: «Їжак» і Ёлка."  # noqa: RUF001
    [span] = find_excerpt("менше, н\u0069ж тор\u0069к", fold(snapshot))  # two Latin i
    assert snapshot[span.start : span.end] == "менше, ніж торік"
    assert find_excerpt("він сказав", fold(snapshot)) is not None  # case still folds within Cyrillic
    assert find_excerpt("\u0069жак", fold(snapshot)) is None  # noqa: RUF001 (a Latin i is not the yi)
    assert find_excerpt("Елка", fold(snapshot)) is not None
    assert find_excerpt("менше, ніж колись", fold(snapshot)) is None


@pytest.mark.parametrize(
    ("excerpt", "snapshot", "expected"),
    [
        ("the government said", "the govern-\nment said", "the govern-\nment said"),  # a PDF's line-end break
        ("the govern-ment said", "the govern-\nment said", "the govern-\nment said"),  # either way it is typed
        ("a well-known man", "a well-\nknown man", "a well-\nknown man"),  # a compound broken there
        ("a wellknown man", "a well-\nknown man", "a well-\nknown man"),  # (which the text cannot tell apart)
        ("a long-term plan", "a long-  \n   term plan", "a long-  \n   term plan"),  # spaces by the break
        ("a long-term plan", "a long\u2010\nterm plan", "a long\u2010\nterm plan"),  # the Unicode hyphen
        ("the pensions", "the pen\u00ad\nsions", "the pen\u00ad\nsions"),  # a soft hyphen breaking the word
        ("the pensions", "the pen\u00adsions", "the pen\u00adsions"),  # a soft hyphen inside it
        ("the government said", "the govern- ment said", "the govern- ment said"),  # a YAML line folded
        ("the covid-19 rules", "the COVID-\n19 rules", "the COVID-\n19 rules"),  # a letter, then a digit
        ("the govern ment said", "the govern-\nment said", None),  # a space is not a broken word
        ("the governments said", "the govern-\nment said", None),  # nor is a letter more
        ("the government said", "the govern-\n\nment said", None),  # nor a paragraph's end
        ("the 1000 said", "the 1-\n000 said", None),  # nor a number split at a hyphen
        ("the pen sions", "the pen\u00ad\nsions", None),
        ("the 12 million", "the 12 mil-\nlion", "the 12 mil-\nlion"),
        ("12 million", "cost 112 mil-\nlion", None),  # whole words and numbers, as anywhere
        ("said the govern", "said the govern-\nment", None),  # half a word broken at a line end is no word
        ("ment would", "the govern-\nment would", None),
        ("the pen-sions", "the pen\u00ad\nsions", None),  # a soft hyphen is not a hyphen
        ("10\u202f000 euros", "10 000 euros", "10 000 euros"),  # a narrow no-break space is a space
        ("10 000 euros", "10\u2009000\u00a0euros", "10\u2009000\u00a0euros"),  # and a thin or no-break space
        ("10 000 euros", "10\u2060000 euros", None),  # a word joiner is no space
        ("10000 euros", "10\u2060000 euros", "10\u2060000 euros"),  # (it is not there at all)
        ("10,000 euros", "10 000 euros", None),  # a number's separators are part of it
        ("10.000 euros", "10,000 euros", None),
        ("10000 euros", "10 000 euros", None),
    ],
)
def test_what_pdfs_and_number_spacing_change_is_forgiven_and_no_more(
    excerpt: str, snapshot: str, expected: str | None
) -> None:
    assert found(excerpt, snapshot) == (None if expected is None else [expected])


def test_an_elided_excerpt_finds_its_parts_across_broken_words() -> None:
    snapshot = "The govern-\nment said on Monday that the defi-\ncit would fall.\n\nNothing else.\n"
    assert found("The government said … the deficit would", snapshot) == [
        "The govern-\nment said",
        "the defi-\ncit would",
    ]
    assert found("The government said … the deficit rose", snapshot) is None
