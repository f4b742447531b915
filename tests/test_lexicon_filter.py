"""Literal filters (textmend.lexicon): a line the filter finds nothing in matches no row."""

from __future__ import annotations

import json
import random
import re
import sys

import pytest

from textmend import junk
from textmend.lexicon import fold, literal_filter, required_literals


def test_fold_reads_every_character_as_ignorecase_does() -> None:
    """Every character `re.IGNORECASE` matches to an ASCII letter folds to that letter,
    and folding never changes a text's length (positions in it stay the same)."""
    letters = re.compile("[a-z]", re.IGNORECASE)
    chars = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert len(fold(chars)) == len(chars)
    for match in letters.finditer(chars):
        char = match.group()
        assert fold(char) in "abcdefghijklmnopqrstuvwxyz", repr(char)
        assert re.fullmatch(fold(char), char, re.IGNORECASE)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(未|非)经(同意|授权)", {"未经同意", "未经授权", "非经同意", "非经授权"}),
        (r"\d+\s+min(ute)?s?\s+read", {"read"}),
        (r".{0,20}(阅读全文|查看原文).{0,10}", {"阅读全文", "查看原文"}),
        (r"(a|b)?\s*", None),
        (r"[^x]+", None),
    ],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    found = required_literals(pattern)
    assert (None if found is None else set(found)) == expected


def test_no_row_matches_a_line_its_filter_finds_nothing_in() -> None:
    """Random lines built from the rows' own strings, letters in either case, traditional
    writings and noise: wherever a filtered row matches, the filter finds a string."""
    rng = random.Random(7)
    pieces = [
        "责任编辑：",
        "编辑",
        "編輯",
        "不代表本站观点",
        "Read more",
        "READ",
        "ſhare",
        "K",
        "İ",
    ]
    pieces += ["图 / 新华社", "【标签】", "2024年1月1日", "Copyright 2020", "：", " ", "，", "a"]
    for name in junk._LEXICONS:
        rows = junk._row_literals(name)
        for traditional in (False, True):
            pattern = junk._literal_filter(name, traditional)
            if pattern is None:
                continue
            for _ in range(3000):
                line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
                if pattern.search(fold(line)):
                    continue
                simplified = junk._simplified(line) if traditional else line
                for row in rows:
                    text = junk._row_text(row)
                    assert not re.search(text, simplified, re.IGNORECASE), (row, line)


def test_literal_filter_finds_traditional_writings() -> None:
    pattern = literal_filter(["编辑"], {"編": "编", "輯": "辑"})
    assert pattern.search("責任編輯") and pattern.search("編辑") and not pattern.search("编")


def test_junk_labels_are_the_same_with_and_without_the_filters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The filters are built only once a process has judged FILTER_AFTER_LINES lines
    (a one-file run never pays for them): every line gets the same label either way."""
    from pathlib import Path

    root = Path(__file__).resolve().parent
    cases = root / "cases"
    documents = [(root.parent / "samples" / "spam_page_zh.txt").read_text(encoding="utf-8")]
    for name in ("junk_lesson_polyphonic.txt", "junk_thread_replies.txt"):
        documents.append((cases / name).read_text(encoding="utf-8"))
    for case in json.loads((cases / "junk_cases.json").read_text(encoding="utf-8")):
        lines = [line for line in case.get("input", []) if not line.startswith("@")]
        documents.append("\n".join(lines))
    labels = {}
    for judged in (0, junk.FILTER_AFTER_LINES):
        monkeypatch.setattr(junk._Hits, "judged", judged)
        labels[judged] = [junk.label_lines(document) for document in documents]
    assert labels[0] == labels[junk.FILTER_AFTER_LINES]
    assert junk._Hits.of(["责任编辑：张三"]).found  # the filters were on
    monkeypatch.setattr(junk._Hits, "judged", 0)
    assert junk._Hits.of(["责任编辑：张三"]).found == {}  # and off
