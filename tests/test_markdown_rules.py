"""markup parses a text without the rules it gives no chance to match: the HTML must be the full parser's."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from factpress.markup import PRUNABLE_RULES, _parser, _parser_for

#: Pieces of Markdown that start, end or nearly make each construct the left-out rules read, and plain words.
PIECES = [
    "#", "##", "####### ", "# x", "(#a)", "x#", "\u00a0#", ">", "> ", ">>", "-", "--", "---", "- - -", "-\t-\t-",
    "***", "* * *", "_ _ _", "___", "*", "_", "+", "=", "==", "= =", "|", "| a | b |", "|---|:-:|", "a|b",
    "```", "~~~", "``", "~~", "`x`",
    "<div>", "</div>", "<p>", "<!-- c -->", "<", "[a]: /u", "[a]:", "[a]", "]:", "] :", "[a\\]]: /u 't'", "1.",
    "2)", "10.", "    ", "   ", "\t", " ", "\n", "\n\n", "\r", "\r\n", "word", "Some text", "é", "\\", "&amp;",
    "&#35;", "&", "\\*", "`", "~~s~~", "~", "<https://x.org>", "<b>", "<x@y.org>", "![i](/u)", "!", "[", "](", "(/u)",
    "*", "**", "_a_",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
ENV = {"citations": {}, "base_path": "/", "source_urls": {}, "heading_base": 3}


def active_rules(md: MarkdownIt) -> set[str]:
    return {*md.block.ruler.get_active_rules(), *md.inline.ruler.get_active_rules()}


def both(text: str) -> tuple[str, str]:
    return _parser().render(text, dict(ENV)), _parser_for(text).render(text, dict(ENV))


@settings(max_examples=3000, deadline=None)
@given(texts)
@example("Title\n=====\n\ntext")
@example("- # In a list\n>#In a quote\n  ## indented\n\t# tab")
@example("Title\r---\r")
@example("Title\n=== \t\nmore")
@example("- a\n  -\n")
@example("> quote\n> ===")
@example("a\n* * *\nb")
@example("a\n_\t_ _\nb")
@example("[ref]: https://example.org\n\nsee [ref]")
@example("| a | b |\n| - | - |\n| 1 | 2 |")
@example("text\n~~~\ncode\n~~~")
@example("text\n<div>\nhtml\n</div>")
def test_a_text_renders_the_same_without_the_rules_it_cannot_match(text: str) -> None:
    full, pruned = both(text)
    assert pruned == full


def test_plain_prose_leaves_every_such_rule_out() -> None:
    """The saving is real: an analysis of paragraphs, links and emphasis is parsed without all of them."""
    prose = "Peskov said *no* calls took place ([Pravda](#pravda)), and the record is thin.\n\nA second paragraph."
    assert active_rules(_parser_for(prose)).isdisjoint(PRUNABLE_RULES)
    assert set(PRUNABLE_RULES) <= active_rules(_parser())


def test_each_rule_is_kept_where_its_construct_is_written() -> None:
    written = {
        "fence": "```\ncode\n```", "blockquote": "> quoted", "html_block": "<div>\nx\n</div>", "heading": "# Title",
        "table": "| a |\n| - |", "hr": "a\n\n- - -\n", "lheading": "Title\n---", "reference": "[a]: /u\n\n[a]",
        "list": "Text\n\n1. one\n2. two", "escape": "\\*not emphasis\\*", "backticks": "`code`",
        "strikethrough": "~~struck~~", "image": "![chart](/c.png)", "autolink": "<https://example.org>",
        "html_inline": "a <b>bold</b> word", "entity": "&copy;",
    }  # fmt: skip
    assert set(written) == set(PRUNABLE_RULES)
    for rule, text in written.items():
        assert rule in active_rules(_parser_for(text)), rule
