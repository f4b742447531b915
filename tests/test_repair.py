"""Repair stage: ftfy's Latin fixes, and clean CJK text never touched."""

from __future__ import annotations

import pytest

from textmend.repair import repair_mojibake
from textmend.result import Change


def test_utf8_read_as_cp1252_is_repaired_and_recorded() -> None:
    changes: list[Change] = []
    fixed = repair_mojibake("ok\nThe Mona Lisa doesnâ€™t have eyebrows.", changes)
    assert fixed == "ok\nThe Mona Lisa doesn’t have eyebrows."
    assert [(c.stage, c.line) for c in changes] == [("repair", 2)]
    assert "utf-8" in changes[0].reason


def test_chinese_mojibake_of_utf8_as_latin1_is_repaired() -> None:
    broken = "中文字符".encode().decode("latin-1")
    assert repair_mojibake(broken) == "中文字符"


@pytest.mark.parametrize(
    "clean",
    [
        "“你好”，他说：（测试）！",
        "全角ＡＢＣ１２３和半角",
        "日本語の文章です。「かぎかっこ」も使います。",
        "한국어 문장입니다.",
        "Café naïve — “quoted” ‘text’ …",
        "ÖÐÎÄ ¼òÌåÖÐÎÄ",  # GBK read as latin-1: left for the CJK repair, never damaged
    ],
)
def test_clean_or_unknown_text_is_untouched(clean: str) -> None:
    changes: list[Change] = []
    assert repair_mojibake(clean, changes) == clean
    assert changes == []
