"""The sample page through the library: exactly its author's article."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

import textmend
from textmend import Options


def test_bytes_give_the_expected_article(sample_bytes: bytes, expected_text: str) -> None:
    assert textmend.clean(sample_bytes) == expected_text


def test_text_gives_the_expected_article(sample_bytes: bytes, expected_text: str) -> None:
    assert textmend.clean(sample_bytes.decode("utf-8")) == expected_text


def test_gbk_bytes_give_the_same_article(sample_bytes: bytes, expected_text: str) -> None:
    as_gbk = sample_bytes.decode("utf-8").encode("gb18030")
    result = textmend.clean_document(as_gbk)
    assert result.text == expected_text
    assert result.encoding in {"gb18030", "gbk", "gb2312"}


def test_result_explains_every_stage(sample_bytes: bytes) -> None:
    result = textmend.clean_document(sample_bytes)
    assert result.encoding == "utf-8"
    assert result.confidence == 1.0
    # Input hygiene (line ends, controls, indentation) runs between stages too.
    stages = [c.stage for c in result.changes if c.stage != "input"]
    assert stages == sorted(stages, key=["markup", "script", "punctuation", "junk", "layout"].index)
    hygiene = [c.reason for c in result.changes if c.stage == "input"]
    assert "indentation and trailing blanks removed" in hygiene
    removed = {c.before.strip(): c.label for c in result.removed}
    assert removed["2019-12-31"] == "META"
    assert removed["长按扫码 阅读全文"] == "BOILERPLATE"
    assert removed["极客网企业会员"] == "BOILERPLATE"
    assert any(label == "SEO_SPAM" for label in removed.values())
    assert list(removed.values()).count("DUPLICATE") == 2
    assert all(c.reason for c in result.changes)
    script = [c for c in result.changes if c.stage == "script" and c.line is not None]
    assert any("政務(wù)" in c.before and "政务" in c.after for c in script)
    as_dict = result.to_dict()
    assert as_dict["encoding"] == "utf-8"
    assert {"stage", "line", "before", "after", "reason"} <= set(as_dict["changes"][0])
    assert all("label" in r for r in as_dict["removed"])


def test_ambiguous_zhu_and_zhe_in_the_sample(expected_text: str) -> None:
    # 著 of the machine-converted page is 着 in 着眼, 吸引着, 体现着, 诠释着.
    for word in ("着眼", "吸引着", "体现着", "诠释着"):
        assert word in expected_text
    assert "著" not in expected_text


def test_options_object_and_keyword_overrides(sample_bytes: bytes) -> None:
    kept = textmend.clean(sample_bytes, Options(junk=False))
    assert "精品国产" in kept
    assert textmend.clean(sample_bytes, junk=False) == kept
    assert textmend.clean(sample_bytes, Options(junk=False), junk=True) != kept


def test_unknown_option_and_bad_values_are_rejected() -> None:
    with pytest.raises(TypeError, match="unknown option"):
        textmend.clean("x", colour="red")
    with pytest.raises(ValueError, match="to must be one of"):
        Options(to="martian")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str or bytes"):
        textmend.clean(42)  # type: ignore[arg-type]


def test_options_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Options().junk = False  # type: ignore[misc]


def test_thread_safe(sample_bytes: bytes, expected_text: str) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        outputs = list(pool.map(textmend.clean, [sample_bytes] * 8))
    assert outputs == [expected_text] * 8


def test_text_input_has_no_decoding_and_bytes_input_keeps_it() -> None:
    from_text = textmend.clean_document("中文")
    assert (from_text.decoded, from_text.encoding, from_text.evidence) == (None, None, "text input")
    assert from_text.segments == () and from_text.runner_up is None
    from_bytes = textmend.clean_document("中文测试，这是一个句子。".encode("gbk"))
    assert from_bytes.decoded is not None
    assert from_bytes.encoding == from_bytes.decoded.encoding == "gb2312"
    assert from_bytes.to_dict()["segments"] == [{"start": 0, "end": 24, "encoding": "gb2312"}]
