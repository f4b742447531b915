"""Decode's lazy ranking of legacy candidates: the bounds that spare flooring a family
are lower bounds, and ranking with them gives what flooring every family gives."""

from __future__ import annotations

import math

import pytest

from textmend import decode as dec

CHINESE = "中文测试，这是一个用来检测编码的句子。我们希望它能被正确识别。战国无双系列的正统第三续作"
JAPANESE = "梅雨（つゆ、ばいう）は、北海道と小笠原諸島を除く日本、朝鮮半島南部の雨季である。"
KOREAN = "지방공무원법 일부개정법률안 제안이유 및 주요내용을 다음과 같이 정한다."
RUSSIAN = "Все люди рождаются свободными и равными в своем достоинстве и правах."
FRENCH = "Tous les êtres humains naissent libres et égaux en dignité et en droits. Ça été."
GREEK = "Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια."


def _inputs() -> list[bytes]:
    """Short documents in each kind of codec, whole and with a byte lost in the middle
    (a double-byte reading out of step: its stretches read again, `_resync`)."""
    plain = [
        CHINESE.encode("gbk"),
        CHINESE.encode("big5", "ignore"),
        JAPANESE.encode("shift_jis"),
        JAPANESE.encode("euc_jp"),
        KOREAN.encode("euc_kr"),
        RUSSIAN.encode("cp1251"),
        RUSSIAN.encode("koi8-r"),
        FRENCH.encode("cp1252"),
        GREEK.encode("iso8859-7"),
        (CHINESE + " abc " + CHINESE[:9]).encode("gbk"),
    ]
    damaged = [data[: len(data) // 2] + data[len(data) // 2 + 1 :] for data in plain[:5]]
    return plain + damaged


def _bounds(sample: bytes, limit: int) -> list[tuple[dec.Family, float]]:
    byte_counts = dict.fromkeys(range(256), 0)
    for byte in sample:
        byte_counts[byte] += 1
    high = [b for b in range(0x80, 0x100) if byte_counts[b]]
    found = list(dec._single_byte_bounds(high, [*(byte_counts[b] for b in high), 0, 0]))
    for family in dec._MULTI_BYTE:
        text = dec._marked(sample, family.widest, limit, family.structured)
        if text is not None:
            found.append((family, dec._multi_byte_bound(sample, family, text)))
    return found


@pytest.mark.parametrize("data", _inputs())
def test_bounds_are_at_most_the_floors(data: bytes) -> None:
    sample = dec._sample(data)
    floor = dec._file_floor(len(data))
    limit = dec._allowed(dec._wide_bytes(sample), floor)
    ranking = dec._score_sample(sample, None, floor)
    floored = 0
    for family, bound in _bounds(sample, limit):
        exact = ranking._exact(family, None)
        if exact is not None:
            floored += 1
            assert bound <= exact[0] + 1e-9 * abs(exact[0]), family.name
    assert floored >= 2


@pytest.mark.parametrize("data", _inputs())
def test_lazy_ranking_is_the_ranking_of_every_floor(
    data: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = dec._sample(data)
    floor = dec._file_floor(len(data))
    lazy = dec._score_sample(sample, None, floor)
    whole = dec._whole_file(data, lazy, dec._wide_bytes(sample))
    answer = dec.decode(data)
    # Bounds of minus infinity: every family is floored before any is ranked.
    monkeypatch.setattr(
        dec,
        "_single_byte_bounds",
        lambda high, counts: [(f, -math.inf) for f in dec.FAMILIES if f.single_byte],
    )
    monkeypatch.setattr(dec, "_multi_byte_bound", lambda sample, family, text: -math.inf)
    eager = dec._score_sample(sample, None, floor)
    assert dec._whole_file(data, eager, dec._wide_bytes(sample)) == whole
    assert dec.decode(data) == answer
    assert dec._score_sample(sample, None, floor).all() == lazy.all()
