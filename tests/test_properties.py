"""Properties of the whole pipeline on generated input (hypothesis).

Inputs: random text (surrogates included), random bytes, and mixtures of real
fragments (simplified and traditional Chinese, Japanese, Korean, Latin), HTML
tags and entities, page furniture, separators and mojibake (a fragment encoded
with one codec and read with another), as text and as bytes in the CJK and Latin
codecs. Properties: no exception but the documented refusals, output valid
UTF-8, idempotent, the same in another process (another hash seed), and clean
text of the shared corpora unchanged.

Profiles (HYPOTHESIS_PROFILE): "ci" (the default, in `make test`: few examples,
derandomized, so the suite is deterministic and quick) and "fuzz" (`make fuzz`:
many examples, random). A failure the fuzz run finds becomes an `@example` here
or a line of a case file, so that `make test` keeps it fixed.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import textmend
from textmend.decode import DecodeError
from textmend.layout import apply_layout
from textmend.markup import strip_markup

_COMMON = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
# ci: 5 properties x CI_EXAMPLES at ~3 ms an example (twice: idempotence) is ~10 s,
# well within the ~60 s this file may add to `make test`.
CI_EXAMPLES = 300
# fuzz: 6 properties x 5,000 = 30,000 examples (the issue asks for 20,000 at least).
FUZZ_EXAMPLES = 5_000
settings.register_profile("ci", max_examples=CI_EXAMPLES, derandomize=True, **_COMMON)
settings.register_profile("fuzz", max_examples=FUZZ_EXAMPLES, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

# Each generated input is under ~1 KB and takes under 10 ms a stage once the tables
# are loaded (below): a stage that needs 3 s is a blow-up, stopped by the budget so
# that it costs no more. The margin is wide on purpose: a budget that a loaded
# machine's slow moment could trip would make the idempotence checks flaky.
PROPERTY_BUDGET = 3.0
# Load every stage's tables and patterns once, before any timed call (the first
# call that needs them pays ~0.5 s).
textmend.clean("政務(wù)微博,我們 鍙戝竷 ÖÐÎÄ ï»¿ 锟斤拷 <p>Caf&eacute;</p> 长按扫码 阅读全文")
textmend.clean("東京都は日本の首都。대한민국 [1] 2019-12-31".encode("gbk", errors="replace"))

SHARED = Path(__file__).resolve().parents[2] / "shared"

# --- fragments -------------------------------------------------------------------------

PROSE = [
    "今天天气很好，我们一起去公园散步。",
    "据新华社报道，国务院常务会议研究部署了相关工作。",
    "这是一个测试句子，用来检查简体中文的处理。",
    "我們今天學習中文，這是繁體字的文章。",
    "臺灣的資訊產業發展迅速，軟體與硬體並重。",
    "東京都は日本の首都であり、人口が最も多い都市です。",
    "私は毎朝コーヒーを飲みます。",
    "대한민국의 수도는 서울특별시이다.",
    "법률 제1조(목적) 이 법은 국민의 권리를 보호함을 목적으로 한다.",
    "The quick brown fox jumps over the lazy dog.",
    "Café au lait, crème brûlée and naïve façades.",
    "Größere Übungen für Äpfel und Öl.",
    "El niño comió piña en España.",
    "重(chóng)：重复、再次",
    "1. 读音：chóng",
    "- 含义：重复",
    "記者:林太,你好",
    "价格：100元",
]
FURNITURE = [
    "点击查看更多",
    "上一篇",
    "下一篇",
    "责任编辑：王小明",
    "2019-12-31",
    "长按扫码 阅读全文",
    "相关阅读",
    "首页 > 新闻 > 正文",
    "Copyright © 2020 All rights reserved",
    "http://www.example.com/a?b=c",
    "分享到：微博 微信",
    "精品国产亚洲一区二区三区",
]
MARKUP = [
    "<p>",
    "</p>",
    "<br>",
    "<br/>",
    '<div class="x">',
    "</div>",
    "<b>",
    "</b>",
    '<a href="http://x.cn/">',
    "</a>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<style>",
    "&nbsp;",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&#8220;",
    "&#x201D;",
    "&copy;",
    "&Atilde;",
    "&lt;p&gt;",
    "<unknowntag>",
    "a<b",
    "List<String>",
]
SEPARATORS = [
    "\n",
    "\n\n",
    " ",
    "\u3000",
    "\xa0",
    "\t",
    "\r\n",
    "\r",
    "，",
    "。",
    "•",
    "|",
    "——",
    "\ufffd",
    "锟斤拷",
    "(",
    ")",
    "\u2028",
    "\x85",
    "\x00",
]
# (codec the text was written in, codec it was read with): the wrong readings of
# scraped pages, Latin ones included.
MISREADINGS = [
    ("utf-8", "gbk"),
    ("utf-8", "gb18030"),
    ("utf-8", "cp1252"),
    ("utf-8", "latin-1"),
    ("utf-8", "big5"),
    ("utf-8", "shift_jis"),
    ("gbk", "cp1252"),
    ("gbk", "latin-1"),
    ("gbk", "utf-8"),
    ("big5", "gbk"),
    ("gbk", "big5"),
    ("shift_jis", "gbk"),
    ("euc-kr", "gbk"),
    ("euc-jp", "gbk"),
    ("cp1252", "utf-8"),
]
CODECS = ["utf-8", "gbk", "gb18030", "big5", "shift_jis", "euc-jp", "euc-kr", "cp1252", "latin-1"]


def _misread(text: str, written: str, read: str) -> str | None:
    try:
        return text.encode(written).decode(read, errors="replace")
    except UnicodeError:
        return None


MOJIBAKE = sorted(
    {
        bad
        for text in PROSE + FURNITURE
        for written, read in MISREADINGS
        if (bad := _misread(text, written, read)) is not None and bad != text
    }
)
# ...and some of it normalised with NFKC afterwards, as corpus pipelines do.
MOJIBAKE += sorted(
    {folded for bad in MOJIBAKE if (folded := unicodedata.normalize("NFKC", bad)) != bad}
)
FRAGMENTS = PROSE + FURNITURE + MARKUP + SEPARATORS + MOJIBAKE

# --- strategies ------------------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=()), max_size=120)
mixture = st.lists(
    st.one_of(
        st.sampled_from(PROSE),
        st.sampled_from(MOJIBAKE),
        st.sampled_from(MARKUP),
        st.sampled_from(FURNITURE),
        st.sampled_from(SEPARATORS),
        st.text(max_size=6),
    ),
    max_size=24,
).map("".join)
encoded = st.tuples(mixture, st.sampled_from(CODECS)).map(
    lambda pair: pair[0].encode(pair[1], errors="replace")
)


def _clean_or_refuse(data: str | bytes) -> textmend.Result | None:
    """The result, None for a documented refusal (bytes only)."""
    try:
        return textmend.clean_document(data, budget=PROPERTY_BUDGET)
    except DecodeError:  # BinaryInputError included
        assert isinstance(data, bytes)
        return None


def _check(data: str | bytes) -> None:
    result = _clean_or_refuse(data)
    if result is None:
        return
    out = result.text
    out.encode("utf-8")  # valid UTF-8: no lone surrogate
    # Nothing grows the text but the layout's blank lines (one a line): a stage that
    # writes more than it reads copies text (a mention kept on every pass did).
    assert len(out) <= 2 * len(data) + 1
    assert textmend.clean(out, budget=PROPERTY_BUDGET) == out  # idempotent


# --- properties: no crash, valid UTF-8, idempotent --------------------------------------


@given(any_text)
@example("\ud800")
@example("À\x80")  # a repair that gives a control (an overlong NUL)
@example("x\r•")
@example("Caf&Atilde;&copy;")
@example("CafÃ<b>©</b>")
def test_random_text(text: str) -> None:
    _check(text)


@given(mixture)
# Found by the fuzz run (each was not idempotent): a clean run read with its line's
# wrong codec; ftfy's C1 transcoding before a CJK reading; two codecs on a line; a
# line a document reading left half done; indentation and NEL seen only once;
# punctuation and lossy readings judged on lines the junk stage then removed.
@example("过伏 力1炼(格利) 捞 过篮 惫刮狼 鼻府甫 焊龋窃阑 格利栏肺 茄促.点击查看更多")
@example("¹Ê\x91")
@example("\x93ª0ÔÖ")
@example("- º¬Òå£ºÖØ¸´1. è¯»é\x9f³ï¼\x9achÃ³ng")
@example("\u3000&#8220;¨")
@example("\xa0Â´")
@example("'\x80\x85'Ԁ")
@example("대한민국의 수도는 서울특별시이다.記者:林太,你好記者:林太,你好<p>责任编辑：王小明")
@example("記者:林太,你好記者:林太,你好<p>点击查看更多私は毎朝コーヒーを飲みます。")
@example("韐\ufffd隞餌\ufffd\ufffd颲\ufffd嚗\ufffd\ufffd<p>点击查看更多")
@example("鬥夜｡ｵ > 譁ｰ髣ｻ > 豁｣譁\ufffd<p>重(chóng)：重复、再次长按扫码 阅读全文")
@example(
    "点击查看更多隞瑟\ufffd潘\ufffd\ufffd100\ufffd\ufffd\ufffd<p>隞瑟\ufffd潘\ufffd\ufffd100\ufffd\ufffd\ufffd"
)
# NFKC-normalised mojibake whose folded space the layout stripped as indentation.
@example(
    "Café au lait, crème brûlée and naïve façades.é\x95¿æ\x8c\x89æ\x89«ç \x81 é\x98\x85è"
    " \u0304»å\x85 \u0308æ\x96\x87"
)
def test_mixtures_as_text(text: str) -> None:
    _check(text)


@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    _check(data)


@given(encoded)
@example("- º¬Òå£ºÖØ¸´\ufffd\ufffd(ch\ufffd\ufffdng)\ufffd\ufffd\ufffdظ\ufffd".encode())
@example("é•¿æŒ‰æ‰«ç\xa0\ufffd é˜…è¯»å…¨æ–‡<p>隞瑟\ufffd潘\ufffd\ufffd100\ufffd\ufffd".encode())
# The first pass widens `?` to `？` (81 48 in Shift-JIS); the second read `縺？` as the
# UTF-8 of `ぁH`, its ASCII trail byte a free `H` (CREATED_ASCII_COST).
@example(
    "記者:林太,你好記者:林太,你好遘√\ufffdｯ豈取悃繧ｳ繝ｼ繝偵\ufffdｼ繧帝｣ｲ縺ｿ縺ｾ縺吶\ufffd\ufffd".encode(
        "gbk", errors="replace"
    )
)
def test_mixtures_as_bytes(data: bytes) -> None:
    _check(data)


@given(st.one_of(mixture, encoded))
def test_no_stage_runs_out_of_its_budget(data: str | bytes) -> None:
    result = _clean_or_refuse(data)
    assert result is None or result.skipped == []


# --- clean text stays as it is ----------------------------------------------------------


def _clean_documents() -> list[str]:
    """A fixed sample of the clean corpora (none when ../shared is absent)."""
    folder = SHARED / "corpora" / "clean"
    docs: list[str] = []
    for name in ("zh_hans_wiki.jsonl", "zh_hant_wiki.jsonl", "ja_wiki.jsonl"):
        path = folder / name
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                docs += [json.loads(line)["text"] for line in handle][:60]
    for name in ("ko_law", "zh_tw_sentences"):
        files = sorted(p for p in (folder / name).rglob("*") if p.is_file())[:30]
        docs += [p.read_text(encoding="utf-8") for p in files]
    return [d for d in docs if strip_markup(d) == d]  # literal markup: test_clean_corpora


CLEAN_DOCS = _clean_documents()


@st.composite
def clean_excerpts(draw: st.DrawFn) -> str:
    """A run of whole lines from a clean document: clean text too."""
    lines = draw(st.sampled_from(CLEAN_DOCS)).split("\n")
    start = draw(st.integers(0, len(lines) - 1))
    return "\n".join(lines[start : start + draw(st.integers(1, 12))])


@pytest.mark.skipif(not CLEAN_DOCS, reason=f"clean corpora not found under {SHARED}")
@given(clean_excerpts() if CLEAN_DOCS else st.nothing())
def test_clean_excerpts_come_out_unchanged(text: str) -> None:
    assert textmend.clean(text) == apply_layout(text)


# --- the same in another process --------------------------------------------------------


def _batch() -> list[str]:
    """A fixed batch of mixtures (seeded, independent of hypothesis)."""
    rng = random.Random(11)
    return ["".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 30))) for _ in range(150)]


_CHILD = """
import json, sys
import textmend
docs = json.load(sys.stdin)
options = json.loads(sys.argv[1])
out = []
for doc in docs:
    result = textmend.clean_document(doc, **options)
    out.append([result.text, [c.to_dict() for c in result.changes]])
json.dump(out, sys.stdout)
"""


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({}, id="all stages"),
        pytest.param({"repair": False}, id="repair off"),
    ],
)
def test_output_and_report_are_the_same_in_other_processes(options: dict[str, bool]) -> None:
    docs = _batch()
    here = []
    for doc in docs:
        result = textmend.clean_document(doc, **options)
        here.append([result.text, [c.to_dict() for c in result.changes]])
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        child = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(options)],
            input=json.dumps(docs),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        there = json.loads(child.stdout)
        diffs = [docs[i] for i, (a, b) in enumerate(zip(here, there, strict=True)) if a != b]
        assert diffs == [], f"PYTHONHASHSEED={seed}"
