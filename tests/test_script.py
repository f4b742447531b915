"""Script stage: machine-converted traditional back to simplified, and nothing else."""

from __future__ import annotations

import sys

import pytest

from textmend.result import Change
from textmend.script import assess, restore_script, to_simplified

SPAM = (
    "政務(wù)微博十年致敬初心,助力網(wǎng)上政府。這(zhè)是一個(gè)測(cè)試,我們在學(xué)習(xí)。"
)


def test_annotated_machine_conversion_is_undone_and_explained() -> None:
    changes: list[Change] = []
    assert restore_script(SPAM, changes=changes) == (
        "政务微博十年致敬初心,助力网上政府。这是一个测试,我们在学习。"
    )
    assert changes[0].line is None
    assert "machine-converted" in changes[0].reason
    assert "stripped 7 pinyin annotations" in changes[1].reason
    assert "tw2s" in changes[1].reason


def test_evidence_figures() -> None:
    evidence = assess(SPAM)
    assert (evidence.annotations, evidence.on_changing, evidence.matching_reading) == (7, 7, 7)
    assert evidence.machine_converted
    assert not assess("政務(wù)微博").machine_converted  # too few annotations to judge


def test_gbk_straddle_artefacts_are_rebuilt() -> None:
    text = SPAM + "\n建立以?xún)?nèi)容建設(shè)為根本,他們?cè)噲D說(shuō)服專(zhuān)家。"
    out = restore_script(text).split("\n")[1]
    assert out == "建立以内容建设为根本,他们试图说服专家。"


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("看著作業", "看着作业"),
        ("專著", "专著"),
        ("土著人", "土著人"),
        ("吸引著", "吸引着"),
        ("著眼", "着眼"),
        ("著名", "著名"),
        ("顯著", "显著"),
        ("甚麼", "什么"),
        ("祇有", "只有"),
        ("一么", "一么"),
        ("乾淨", "干净"),
        ("下顎", "下颚"),
        ("暱稱", "昵称"),
    ],
)
def test_conversion_fixes_known_opencc_defects(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize(
    "text",
    [
        # Genuine Taiwan text, with a simplified character mixed in.
        "臺灣是一個島嶼，位於東亞。這裡的人們說中文，也有人写简体字。",
        # Textbook pinyin on characters that do not change between scripts.
        "重(chóng)新，行(xíng)走，長(cháng)城，還(hái)有，都(dōu)是。",
        # Pinyin that is not a reading of its character.
        "這(ma)個(ba)問(ni)題(ha)好。",
        # Dictionary style, with spaces: not the generator's format.
        "“重量” (zhòng liàng)、學習 (xué xí)",
    ],
)
def test_legitimate_text_is_left_alone(text: str) -> None:
    changes: list[Change] = []
    assert restore_script(text, changes=changes) == text
    assert changes == []


def test_mixed_legit_and_spam_annotations_are_not_judged_spam() -> None:
    text = "這是一個(gè)測(cè)試。學(xué)習(xí)重(chóng)要。"
    assert restore_script(text) == text


def test_explicit_targets() -> None:
    assert restore_script("臺灣的學校", to="simplified") == "台湾的学校"
    assert restore_script("台湾的学校", to="traditional") == "臺灣的學校"
    assert restore_script("臺灣的學校", to="keep") == "臺灣的學校"
    kept = restore_script(SPAM, to="keep")
    assert "(wù)" not in kept and "政務微博" in kept


def test_simplified_header_of_a_spam_page_is_not_converted() -> None:
    text = "什么都有|亚洲精品\n" + SPAM
    assert restore_script(text).split("\n")[0] == "什么都有|亚洲精品"


# --- blocks judged one by one; the origin signal ------------------------------------------

# A simplified paragraph through a one-to-one table: 于 and 并 stay, the rest is traditional.
TABLED = "該項目位于城市中心，并非孤立存在，并且對于周邊發展意義重大。"


def test_machine_conversion_without_pinyin_is_found_by_its_origin_signal() -> None:
    changes: list[Change] = []
    assert restore_script(TABLED, changes=changes) == (
        "该项目位于城市中心，并非孤立存在，并且对于周边发展意义重大。"
    )
    assert changes[0].reason == (
        "document judged machine-converted: 4 words with 于/并/么 left by a one-to-one table, "
        "none of 於並麼後裡餘範係製"
    )
    assert changes[1].reason.endswith("document's origin signal")


@pytest.mark.parametrize(
    "genuine",
    [
        "該項目位於城市中心，並非孤立存在。",  # 於 and 並, as Taiwan writes them
        "于右任是書法家，其後人居於臺北。",  # surname 于, with 於 and 後
        "范先生于週末到訪",  # one 于 (a surname, or a slip) is not enough
        "于右任是著名的書法家，他的草書被稱為于體。",  # 于 twice, but as a surname
        "我哋今日喺度食咗飯，佢話好好味，仲係去飲茶。",  # Hong Kong Cantonese
    ],
)
def test_genuine_traditional_blocks_are_left_alone(genuine: str) -> None:
    changes: list[Change] = []
    assert restore_script(genuine, changes=changes) == genuine
    assert changes == []


def test_a_genuine_block_on_a_spam_page_is_left_alone() -> None:
    genuine = "本站聲明：轉載內容僅供參考，版權屬於原作者。"
    changes: list[Change] = []
    out = restore_script(SPAM + "\n" + genuine, changes=changes).split("\n")
    assert out[0].startswith("政务微博")
    assert out[1] == genuine
    assert all(c.line != 2 for c in changes)


def test_simplified_text_with_origin_characters_is_not_converted() -> None:
    text = "他于去年并购了公司，这么做是为了发展。于是并不意外。"
    assert restore_script(text) == text


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ("tw", "軟體和滑鼠"),
        ("hk", "軟件和鼠標"),
        ("traditional", "軟件和鼠標"),
        ("simplified", "软件和鼠标"),
    ],
)
def test_explicit_targets_convert_any_input(to: str, expected: str) -> None:
    assert restore_script("软件和鼠标", to=to) == expected


@pytest.mark.parametrize(
    ("lossy", "expected"),
    [("keep", "以內容爲核?"), ("mark", "以內容爲核\ufffd\ufffd"), ("drop", "以內容爲核")],
)
def test_bytes_out_of_step_after_a_split_are_put_back(lossy: str, expected: str) -> None:
    from textmend.script import _rebuild

    # 以內容爲核心 with `(xún)` inserted after the bytes d4 83 of 以 and 內: the rest
    # of the line decodes out of step (熱轄懞诵) until the last byte, which is lost.
    rebuilt = _rebuild("以?xún)热轄懞诵?", lossy)
    assert rebuilt == (expected, 2)


def test_a_block_with_its_own_origin_signal_is_converted_among_genuine_ones() -> None:
    genuine = "該項目位於城市中心。"
    changes: list[Change] = []
    out = restore_script(f"{genuine}\n{TABLED}", changes=changes).split("\n")
    assert out == [genuine, "该项目位于城市中心，并非孤立存在，并且对于周边发展意义重大。"]
    assert "block judged machine-converted: 4 words with 于/并/么" in changes[-1].reason


@pytest.mark.parametrize(
    ("spam", "rebuilt"),
    [
        # 擔任，下 are gone (pairs of their bytes became `?`); the bytes after are put
        # back in step: 設 and 干事會 read as they were written.
        ("蔣中正親自?gāi)?危?略O干事會", "蔣中正親自\ufffd\ufffd\ufffd\ufffd設干事會"),
        ("澳洲當?shù)厮?卸旧咧?凶铋L的。", "澳洲當地\ufffd\ufffd毒蛇\ufffd\ufffd最長的。"),
    ],
)
def test_runs_out_of_step_are_put_back_in_step(spam: str, rebuilt: str) -> None:
    from textmend.script import _rebuild

    assert _rebuild(spam, "mark") == (rebuilt, 4)


def test_an_annotation_split_across_an_ascii_letter_is_removed() -> None:
    # 計 (jì) was matched on the trail byte of 入 and the letter H.
    text = SPAM + "\n2019年開始引入H(jì)BO原創系列。"
    assert restore_script(text).split("\n")[1] == "2019年开始引入HBO原创系列。"


def test_a_line_of_lost_pairs_is_read_on_a_few_stretches_at_a_time() -> None:
    from textmend.script import _rebuild

    # `Ａ` ends in byte c1, which `?fén)` completes into 羵; the trail byte left before
    # each `?` is a lost pair. Each reading on crossed every later `?` until it found six
    # Han characters, of which this line has none: 22 KB took 72 s.
    assert _rebuild("Ａ?fén)?a" * 2000) == ("Ａ?a" * 2000, 4000)


def test_a_long_line_is_rebuilt_around_its_artefacts() -> None:
    from textmend.script import _rebuild

    plain = "中文（不是注音）測試?，" * 20_000  # a token per run of text, not per character
    assert _rebuild(f"以?xún)?nèi)容{plain}以?xún)?nèi)容") == (f"以內容{plain}以內容", 0)


def test_each_artefact_line_is_rebuilt_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import textmend.script

    calls: list[str] = []
    rebuild = textmend.script._rebuild

    def counted(line: str, lossy: str = "keep") -> tuple[str, int] | None:
        calls.append(line)
        return rebuild(line, lossy)

    monkeypatch.setattr(textmend.script, "_rebuild", counted)
    # Judging the document rebuilds the line; restoring it takes that rebuild.
    assert restore_script(f"{SPAM}\n以?xún)?nèi)容").split("\n")[-1] == "以内容"
    assert calls == ["以?xún)?nèi)容"]
    calls.clear()
    restore_script(f"{SPAM}\n以?xún)?nèi)容", lossy="mark")  # another policy: once more
    assert calls == ["以?xún)?nèi)容", "以?xún)?nèi)容"]


def test_lost_pairs_are_rebuilt_the_same_in_many_threads_at_once() -> None:
    """The codec error handler is one for the process; each thread's rebuild gets
    its own errors (a handler registered per call was another thread's)."""
    from concurrent.futures import ThreadPoolExecutor

    from textmend.script import _rebuild

    texts = [
        ("正文" * n + "以?xún)热轄懞诵?" * (1 + n % 7), lossy)
        for n in range(40)
        for lossy in ("keep", "mark", "drop")
    ]
    alone = [_rebuild(text, lossy) for text, lossy in texts]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch inside one another's decoding
    try:
        with ThreadPoolExecutor(8) as pool:
            for _ in range(5):
                assert list(pool.map(lambda case: _rebuild(*case), texts)) == alone
    finally:
        sys.setswitchinterval(interval)


ANNOTATED = [
    SPAM,
    "政務(wù)（wù）務(wù）\n(wù)務((wù)務(wù)(wù)務(zheng4)𠀋(a)",
    "務(wù)\n務(wù)務(Vulcan)山(shān)山（shān)\n\n務(wù",
    "中文(zhōng)文(wén)" * 300 + "\n" + "國(guó)" * 50,
]


@pytest.mark.parametrize("text", ANNOTATED)
def test_annotations_are_counted_as_the_annotation_pattern_finds_them(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found from their parenthesis and a chunk at a time, the same matches as
    `_ANNOTATION`, which starts from the character (chunks cut inside the text too)."""
    from collections import Counter

    import textmend.script
    from textmend.script import _ANNOTATION, _annotation_counts, _strip_annotations

    expected = Counter(m.group(1, 3) for m in _ANNOTATION.finditer(text))
    assert _annotation_counts(text) == expected
    monkeypatch.setattr(textmend.script, "CHUNK", 7)
    assert _annotation_counts(text) == expected
    for line in text.split("\n"):
        valid = [
            m
            for m in _ANNOTATION.finditer(line)
            if textmend.script._valid_annotation(m.group(1), m.group(3))
        ]
        assert _strip_annotations(line)[1] == len(valid)


def test_a_page_of_valid_and_invalid_annotations_strips_only_the_valid() -> None:
    # 務(zhèng) is no reading of 務: the page's annotations are not all valid, and
    # each line's are judged one by one (14 of 15 valid: the page is spam).
    text = f"{SPAM}\n{SPAM}\n政務(zhèng)微博\n政務(wù)微博"
    lines = restore_script(text).split("\n")
    assert lines[2:] == ["政务(zhèng)微博", "政务微博"]


def _longest_by_words(
    chars: list[str], index: int, char: str, lexicon: frozenset[str]
) -> tuple[int, int]:
    """`_longest` as it was written first: every word joined on its own."""
    best = (0, 0)
    for start in range(max(0, index - 7), index + 1):
        for end in range(index + 1, min(len(chars), start + 8) + 1):
            word = "".join(chars[start:index]) + char + "".join(chars[index + 1 : end])
            if end - start >= 2 and word in lexicon:
                best = max(best, (end - start, -start))
    return best


def test_zhu_words_are_found_as_every_word_around_each_zhu_would_find_them() -> None:
    import random

    from textmend.lexicon import words
    from textmend.script import _longest

    # Words at the edges of the window: eight characters ending or starting at the 著,
    # nine (too long), and at the ends of the text.
    text = "甲乙丙丁戊己庚著辛壬癸子丑寅卯辰"
    chars = list(text)
    for lexicon in (
        frozenset({text[0:8]}),
        frozenset({text[7:15]}),
        frozenset({text[0:9], text[7:16]}),
        frozenset({text[6:8], text[7:9], text[3:12]}),
    ):
        assert _longest(chars, 7, "著", lexicon) == _longest_by_words(chars, 7, "著", lexicon)
    assert _longest(chars, 7, "著", frozenset({text[0:8]})) == (8, 0)
    assert _longest(chars[5:10], 2, "著", frozenset({text[5:10]})) == (5, 0)
    rng = random.Random(7)
    for name, char in (("zhu_words.txt", "著"), ("zhe_words.txt", "着")):
        lexicon = words(name)
        pool = sorted(lexicon)
        for _ in range(2000):
            text = "".join(rng.choice([rng.choice(pool), "著", "的", "是著"]) for _ in range(6))
            chars = list(text)
            for index in (i for i, c in enumerate(chars) if c in "著着"):
                found = _longest(chars, index, char, lexicon)
                assert found == _longest_by_words(chars, index, char, lexicon), text
