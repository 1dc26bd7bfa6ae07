"""Turning what a reader typed into terms, and terms into each engine's syntax: pure."""

from __future__ import annotations

import pytest

from broadsheet.search.backends.postgres import websearch_expression
from broadsheet.search.backends.sqlite import fts5_expression
from broadsheet.search.query import MAX_TERMS, SearchQuery, Term, parse_query


def terms(text: str) -> list[tuple[str, bool]]:
    return [(term.text, term.excluded) for term in parse_query(text).terms]


def test_words_are_separate_terms() -> None:
    assert terms("  frigate   Baltic ") == [("frigate", False), ("Baltic", False)]


def test_quoted_words_are_one_phrase() -> None:
    assert terms('navy "annual  manoeuvres" baltic') == [
        ("navy", False),
        ("annual manoeuvres", False),
        ("baltic", False),
    ]


def test_an_unclosed_quote_runs_to_the_end() -> None:
    assert terms('"annual manoeuvres') == [("annual manoeuvres", False)]


def test_curly_quotes_make_a_phrase_too() -> None:
    assert terms("“annual manoeuvres”") == [("annual manoeuvres", False)]


def test_a_leading_minus_excludes_a_word_or_a_phrase() -> None:
    assert terms('frigate -submarine -"cold war"') == [
        ("frigate", False),
        ("submarine", True),
        ("cold war", True),
    ]


def test_a_hyphen_inside_a_word_is_part_of_the_word() -> None:
    assert terms("e-mail co-operation") == [("e-mail", False), ("co-operation", False)]


@pytest.mark.parametrize("text", ["", "   ", "!!!", "'; --", "<> </>", "- -- ---", '""', "***"])
def test_text_without_letters_or_digits_gives_no_terms(text: str) -> None:
    assert parse_query(text).terms == ()


def test_punctuation_and_markup_stay_as_text_for_the_engine_to_split() -> None:
    assert terms("'; DROP TABLE articles; --") == [
        ("DROP", False),
        ("TABLE", False),
        ("articles;", False),
    ]
    assert terms("<script>alert(1)</script>") == [("<script>alert(1)</script>", False)]


def test_control_format_and_private_use_characters_are_removed() -> None:
    assert terms("fri\x00gate \u200bnavy \ue000mark\ue001") == [
        ("frigate", False),
        ("navy", False),
        ("mark", False),
    ]


def test_a_repeated_term_is_kept_once() -> None:
    assert terms("navy navy -navy") == [("navy", False), ("navy", True)]


def test_only_the_first_terms_are_kept() -> None:
    query = parse_query(" ".join(f"word{number}" for number in range(40)))
    assert len(query.terms) == MAX_TERMS
    assert query.terms[-1].text == f"word{MAX_TERMS - 1}"


def test_words_in_any_script_are_kept() -> None:
    assert terms("Выборы Αθήνα 東京 café") == [
        ("Выборы", False),
        ("Αθήνα", False),
        ("東京", False),
        ("café", False),
    ]


def test_exclusions_alone_are_not_a_search() -> None:
    assert not parse_query("-war -peace").is_searchable
    assert parse_query("treaty -war").is_searchable


def test_fts5_expression_quotes_every_term_and_requires_all_included_ones() -> None:
    query = parse_query('frigate "annual manoeuvres" -submarine -"cold war"')
    assert fts5_expression(query) == (
        '("frigate" AND "annual manoeuvres") NOT "submarine" NOT "cold war"'
    )


def test_fts5_operators_typed_by_a_reader_are_quoted_as_words() -> None:
    query = parse_query("NEAR(a b) title:x OR NOT y* ^z")
    assert fts5_expression(query) == (
        '("NEAR(a" AND "b)" AND "title:x" AND "OR" AND "NOT" AND "y*" AND "^z")'
    )


def test_fts5_expression_doubles_quotation_marks_in_a_term() -> None:
    query = SearchQuery((Term('say "hi"'),))
    assert fts5_expression(query) == '("say ""hi""")'


def test_fts5_expression_refuses_a_query_of_exclusions_alone() -> None:
    with pytest.raises(ValueError):
        fts5_expression(parse_query("-war"))


def test_websearch_expression_quotes_every_term_and_marks_exclusions() -> None:
    query = parse_query('frigate or "annual manoeuvres" -submarine')
    assert websearch_expression(query) == '"frigate" "or" "annual manoeuvres" -"submarine"'


def test_websearch_expression_never_lets_a_quotation_mark_through() -> None:
    assert websearch_expression(SearchQuery((Term('say "hi"'),))) == '"say  hi "'
