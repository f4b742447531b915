"""Rebuild src/textmend/data/zhu_words.txt and zhe_words.txt.

Machine conversion writes 著 for both 着 (zhe/zhuó/zháo) and 著 (zhù); OpenCC
`tw2s` turns every lone 著 into 着, which is wrong in zhù-words (专著, 土著).
These two lists let the script stage decide by the longest word around each 著.

Source: the word list of jieba (dict.txt, MIT licence, https://github.com/fxsjy/jieba)
for which words exist and how common they are, and pypinyin (MIT licence,
https://github.com/mozillazg/python-pinyin) for how 著 is read inside each word.
Run: python scripts/build_zhu_lexicon.py   (needs `pip install jieba pypinyin`)
"""

from __future__ import annotations

import pathlib

import jieba
from pypinyin import Style, pinyin

MIN_FREQUENCY = 5  # jieba keeps mis-converted junk (着名, 充满著) at 3
OUT = pathlib.Path(__file__).resolve().parents[1] / "src" / "textmend" / "data"


def _jieba_words() -> tuple[dict[str, int], dict[str, str]]:
    path = pathlib.Path(jieba.__file__).with_name("dict.txt")
    counts: dict[str, int] = {}
    tags: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, *tag = line.split()
        counts[word] = int(freq)
        tags[word] = tag[0] if tag else ""
    return counts, tags


def _particle_zhe(word: str, counts: dict[str, int], tags: dict[str, str]) -> bool:
    """True when 著 in `word` is really the particle 着 (充满著, 可穿著, 吃衣著饭)."""
    if len(word) > 2 and word.endswith("著") and tags.get(word[:-1], "").startswith("v"):
        return True
    spelled = word.replace("著", "着")
    return any(
        counts.get(spelled[i:j], 0) >= MIN_FREQUENCY
        for i in range(len(spelled))
        for j in range(i + 2, len(spelled) + 1)
        if "着" in spelled[i:j] and spelled[i:j] != spelled
    )


def _reading_at(word: str, index: int) -> str:
    return pinyin(word, style=Style.NORMAL)[index][0]


def main() -> None:
    counts, tags = _jieba_words()
    zhu, zhe = [], []
    for word, freq in counts.items():
        if len(word) < 2 or freq < MIN_FREQUENCY:
            continue
        if "著" in word:
            with_zhe = word.replace("著", "着")
            if counts.get(with_zhe, 0) >= freq or _particle_zhe(word, counts, tags):
                continue  # a traditional spelling of a 着-word
            if all(_reading_at(word, i) == "zhu" for i, ch in enumerate(word) if ch == "著"):
                zhu.append(word)
        if "着" in word:
            zhe.append(word)
    header = (
        "# {what}, one per line, simplified.\n"
        "# Built by scripts/build_zhu_lexicon.py from jieba's dict.txt (MIT) with\n"
        "# readings from pypinyin (MIT); words seen at least {n} times. Do not edit by hand.\n"
    )
    (OUT / "zhu_words.txt").write_text(
        header.format(what="Words in which 著 is read zhù", n=MIN_FREQUENCY)
        + "\n".join(sorted(zhu))
        + "\n",
        encoding="utf-8",
    )
    (OUT / "zhe_words.txt").write_text(
        header.format(what="Words written with 着 (zhe, zhuó, zháo)", n=MIN_FREQUENCY)
        + "\n".join(sorted(zhe))
        + "\n",
        encoding="utf-8",
    )
    print(f"zhu_words.txt: {len(zhu)} words; zhe_words.txt: {len(zhe)} words")


if __name__ == "__main__":
    main()
