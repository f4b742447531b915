"""ftfy's own test cases (../shared/corpora/ftfy_cases): textmend keeps ftfy's results."""

from __future__ import annotations

import json
from pathlib import Path

import ftfy
import pytest

from textmend.repair import repair_mojibake


def _cases(shared: Path, name: str) -> list[dict[str, str]]:
    path = shared / "corpora" / "ftfy_cases" / name
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["in-the-wild.json", "synthetic.json"])
def test_every_case_ftfy_passes_still_passes(shared: Path, name: str) -> None:
    failures = []
    for case in _cases(shared, name):
        expected = case.get("fixed-encoding", case["fixed"])
        ftfy_passes = case["expect"] == "pass" and ftfy.fix_encoding(case["original"]) == expected
        if ftfy_passes and repair_mojibake(case["original"]) != expected:
            failures.append(case["label"])
    assert failures == []


def test_negative_cases_are_left_as_ftfy_leaves_them(shared: Path) -> None:
    changed = []
    for case in _cases(shared, "negative.json"):
        out = repair_mojibake(case["original"])
        if out != case["original"] and out != ftfy.fix_encoding(case["original"]):
            changed.append(case["label"])
    assert changed == []
    # Only one negative case is changed at all, exactly as ftfy's expected output has it.
    changed_at_all = [
        c
        for c in _cases(shared, "negative.json")
        if repair_mojibake(c["original"]) != c["original"]
    ]
    assert len(changed_at_all) <= 1
    assert all(repair_mojibake(c["original"]) == c["fixed"] for c in changed_at_all)
