"""UTF-8 read as GBK by a decoder that lost bytes and read on: real lines, and clean ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from textmend.repair import repair_mojibake

CASES = json.loads((Path(__file__).parent / "cases" / "lossy_gbk.json").read_text("utf-8"))
RESTORED = [c for c in CASES["cases"] if c["restored"]]
LEFT = [c for c in CASES["cases"] if not c["restored"]]


@pytest.mark.parametrize("case", RESTORED, ids=lambda c: c["input"][:12])
@pytest.mark.parametrize("lossy", ["mark", "keep"])
def test_restored_but_for_one_mark_per_lost_character(case: dict[str, str], lossy: str) -> None:
    assert repair_mojibake(case["input"], lossy=lossy) == case["expected"]


@pytest.mark.parametrize("case", RESTORED, ids=lambda c: c["input"][:12])
def test_drop_removes_the_marks(case: dict[str, str]) -> None:
    assert repair_mojibake(case["input"], lossy="drop") == case["expected"].replace("\ufffd", "")


@pytest.mark.parametrize("case", RESTORED + LEFT, ids=lambda c: c["input"][:12])
def test_no_character_invented(case: dict[str, str]) -> None:
    """Every character out is the input's, the expected output's, or U+FFFD: a lost
    byte is never guessed."""
    allowed = set(case["input"]) | set(case["expected"]) | {"\ufffd"}
    assert set(repair_mojibake(case["input"], lossy="mark")) <= allowed


def test_expected_is_the_truth_but_for_lost_characters() -> None:
    """The data's own check: where the true line is known, `expected` is it with some
    characters (never more than it has) replaced by one U+FFFD each."""
    for case in CASES["cases"]:
        truth, expected = case["truth"], case["expected"]
        if truth is not None:
            assert len(truth) == len(expected)
            assert all(e in (t, "\ufffd") for t, e in zip(truth, expected, strict=True))


@pytest.mark.parametrize("line", CASES["clean"])
def test_clean_lines_unchanged(line: str) -> None:
    assert repair_mojibake(line, lossy="mark") == line


@pytest.mark.parametrize("case", CASES["mixed"], ids=lambda c: c["input"][:12])
def test_whole_character_before_clean_text_is_no_gap(case: dict[str, str]) -> None:
    assert repair_mojibake(case["input"], lossy="mark") == case["expected"]


@pytest.mark.parametrize("case", CASES["synthetic"], ids=lambda c: c["input"][:12])
def test_no_character_invented_where_bytes_went_unmarked(case: dict[str, str]) -> None:
    allowed = set(case["input"]) | set(case["truth"]) | {"\ufffd"}
    assert set(repair_mojibake(case["input"], lossy="mark")) <= allowed


@pytest.mark.parametrize("case", CASES["resynced"], ids=lambda c: c["input"][:12])
def test_resynchronised_where_bytes_went_without_a_trace(case: dict[str, str]) -> None:
    assert repair_mojibake(case["input"], lossy="mark") == case["expected"]


ENDING_IN_MARK = [c for c in RESTORED if c["input"].endswith("?\n")]


@pytest.mark.parametrize("case", ENDING_IN_MARK, ids=lambda c: c["input"][:12])
def test_mark_that_ends_the_text_stood_for_one_byte(case: dict[str, str]) -> None:
    """Windows' `?` for a lead byte with nothing after it: the line given without the
    line break that followed it loses one character there, not two."""
    expected = case["expected"].removesuffix("\ufffd\ufffd\n") + "\ufffd"
    assert repair_mojibake(case["input"].removesuffix("\n"), lossy="mark") == expected
