"""The word-level prices decoding weighs code pages with (`word_shape_cost`,
`edge_cost`): what a wrong code page does to words, and clean words that must stay free."""

from __future__ import annotations

import pytest

from textmend import langmodel


@pytest.mark.parametrize(
    "text",
    [
        "Příliš žluťoučký kůň úpěl ďábelské ódy",  # Czech
        "Съешь же ещё этих мягких французских булок",  # Russian
        "Η ελληνική γλώσσα είναι μία από τις αρχαιότερες",  # Greek
        "don’t l’homme cel·la McDonald iPhone手机 ΑΘΗΝΑ",  # apostrophes, middle dot, CJK
        "m² 1.º São Paulo — Ørsted, «quotes»",  # signs beside words, not inside them
        "İstanbul ve İzmir",  # Turkish dotted capital
    ],
)
def test_clean_words_have_no_shape_cost(text: str) -> None:
    assert langmodel.word_shape_cost(text) == 0.0


MIXED = langmodel.MIXED_SCRIPT_PAIR + langmodel.PAIR_RANGE[0]  # beyond an unseen pair


@pytest.mark.parametrize(
    ("text", "least"),
    [
        ("PavlovitП TПehhov", 3 * MIXED),  # two alphabets in a word: tП, TП, Пe
        ("cafŽine", langmodel.INNER_CAPITAL_COST),  # a capital after a small letter
        ("kt—ry ma‡a", 2 * langmodel.GLUED_SIGN_COST),  # signs between letters
    ],
)
def test_wrong_code_page_shapes_are_priced(text: str, least: float) -> None:
    assert least > 0
    assert langmodel.word_shape_cost(text) >= least


def test_a_letter_no_word_starts_with_is_priced_at_the_edge() -> None:
    # Portuguese `à` read as cp852 is `ů`, which no Czech word starts with.
    alone = langmodel.edge_cost("ů", "central")
    inside = langmodel.edge_cost("dům", "central")
    assert alone > inside + 3.0


def test_inner_edges_leave_the_ends_of_a_window() -> None:
    # A window cut inside `семьи` starts with `ь`, which no Russian word starts with:
    # only where it follows a space inside the text is that evidence.
    assert langmodel.inner_edge_cost("ьи, и", "cyrillic") < langmodel.edge_cost("ьи, и", "cyrillic")
    assert langmodel.inner_edge_cost("и ьи, и", "cyrillic") > 3.0
