"""Per core: textmend against the careful chain a user would otherwise write.

The chain: charset-normalizer (bytes only) -> ftfy with CJK-safe settings (no width
folding, no NFKC, quotes kept) -> tags and entities stripped -> OpenCC `t2s`. It
does far less than textmend (no script judgment, no junk, no CJK mojibake), which
is the point: issue 13 asks textmend to be as fast per core anyway.

Run: .venv/bin/python benchmarks/bench_chain.py [--quick] [--shared PATH]
Inputs: the clean corpora of ../shared (zh_hans_wiki, zh_hant_wiki, ja_wiki), the
same zh_hans documents encoded as GBK bytes, the bundled spam page, and English
prose (the README and docs/ of this repository, cut into paragraphs). Both sides run on the
same documents, interleaved round by round, one call per document (and zh_hans
once joined as one text); printed: MB/s of each (median of the rounds) and their
ratio, textmend / chain (above 1: textmend faster).
"""

from __future__ import annotations

import html
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from reporting import parser, print_table

ROOT = Path(__file__).resolve().parents[1]
_TAG = re.compile(r"<[^<>]{0,1000}>")


def careful_chain() -> Callable[[str | bytes], str]:
    import ftfy
    import opencc
    from charset_normalizer import from_bytes

    converter = opencc.OpenCC("t2s")
    config = ftfy.TextFixerConfig(
        uncurl_quotes=False,
        fix_character_width=False,
        fix_latin_ligatures=False,
        normalization=None,
    )

    def chain(data: str | bytes) -> str:
        if isinstance(data, bytes):
            best = from_bytes(data).best()
            text = str(best) if best is not None else data.decode("utf-8", "replace")
        else:
            text = data
        text = ftfy.fix_text(text, config)
        text = html.unescape(_TAG.sub("", text))
        return converter.convert(text)

    return chain


def inputs(shared: Path, limit: int | None) -> dict[str, list[str | bytes]]:
    sets: dict[str, list[str | bytes]] = {}
    clean = shared / "corpora" / "clean"
    for name in ("zh_hans_wiki", "zh_hant_wiki", "ja_wiki"):
        path = clean / f"{name}.jsonl"
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()[:limit]
            sets[name] = [json.loads(line)["text"] for line in lines]
    if "zh_hans_wiki" in sets:
        docs = [d for d in sets["zh_hans_wiki"] if isinstance(d, str)]
        sets["zh_hans_wiki, joined"] = ["\n\n".join(docs)]
        sets["zh_hans_wiki as GBK bytes"] = [d.encode("gbk", "ignore") for d in docs]
    spam = (ROOT / "samples" / "spam_page_zh.txt").read_text(encoding="utf-8")
    sets["spam page x 200"] = [spam] * (20 if limit else 200)
    # the README and its docs/ (the README alone until issue 15 split it)
    readme = "\n\n".join(
        path.read_text(encoding="utf-8")
        for path in [ROOT / "README.md", *sorted(ROOT.glob("docs/*.md"))]
    )
    english = [p for p in readme.split("\n\n") if p.isascii() and len(p) > 200]
    sets["English prose"] = english[:limit]
    return sets


def rate(function: Callable[[str | bytes], object], documents: Sequence[str | bytes]) -> float:
    size = sum(len(d.encode("utf-8")) if isinstance(d, str) else len(d) for d in documents)
    started = time.process_time()
    for document in documents:
        function(document)
    return size / max(time.process_time() - started, 1e-9) / 1e6


def main(argv: Sequence[str] | None = None) -> int:
    args = parser(__doc__, "fewer documents and rounds").parse_args(argv)
    import textmend

    chain = careful_chain()
    sets = inputs(args.shared, 60 if args.quick else None)
    rounds = 1 if args.quick else 3
    rows = []
    for name, documents in sets.items():
        if not documents:
            continue
        textmend.clean(documents[0])  # tables loaded
        chain(documents[0])
        ours, theirs = [], []
        for _ in range(rounds):
            ours.append(rate(textmend.clean, documents))
            theirs.append(rate(chain, documents))
        mine, other = statistics.median(ours), statistics.median(theirs)
        rows.append(
            (name, str(len(documents)), f"{mine:.2f}", f"{other:.2f}", f"{mine / other:.2f}x")
        )
    headers = ("input", "documents", "textmend MB/s", "chain MB/s", "textmend / chain")
    print_table("Per core, one call per document (interleaved rounds, medians)", headers, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
