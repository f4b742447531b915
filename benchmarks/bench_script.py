"""Script restoration: textmend's restore_script on synthetic pinyin spam and on text it must
leave alone, against the baseline "strip the pinyin, then OpenCC t2s", in one run.

Run: .venv/bin/python benchmarks/bench_script.py [--quick] [--shared PATH]; --quick is a smoke
run with fewer pages, inputs and timing passes. Needs the `bench` extra (rapidfuzz).
Inputs: ../shared/corpora/clean (zh_hans_wiki.jsonl and zh_hant_wiki.jsonl `text`, the *.txt
files of zh_tw_sentences/) and benchmarks/data/{legit_pinyin,genuine_traditional}.txt (first
line a comment). Without the shared corpora the script says so in one line and exits 0.

Tools: textmend `restore_punctuation(restore_script(page))`, `restore_script` alone, and the
baseline: every `(pinyin)` after a Han character removed by a regex, then OpenCC `t2s`,
punctuation left as it is. An exception in a textmend call is counted and reported; that call's
output is taken to be its input.

1. Synthetic spam pages, modelled on ../shared/notes/pinyin-spam.md, from documents of
   zh_hans_wiki (the original is the reference): a one-to-one table simplified -> traditional
   (OpenCC s2t on each character alone; 于 后 干 余 并 范 系 借 伙 制 里 么 几 kept, 着 -> 著);
   a page's seeded subset (40-100) of the 140 most frequent traditional characters of the
   converted corpus that t2s changes, each X replaced by `X(pinyin)` (pypinyin's default reading,
   tone marks); the seven marks ，：；！？（） folded to ASCII; on a third of the pages a
   simplified keyword header line (titles of other documents), its own reference. Two variants:
   "no artefacts" replaces characters (str.replace); "with artefacts" replaces GBK bytes in a
   seeded order and decodes as Windows cp936 does (a lead byte that does not pair with the next
   byte gives "?" and both bytes are consumed: 以內容 -> 以?xún)?nèi)容, checked at start-up).
   Pages that GBK cannot encode have no "with artefacts" variant. Scored by CER, the
   Levenshtein distance summed over pages / summed reference length; "script only" is scored
   against the reference with the seven marks folded, so that script and punctuation errors
   can be told apart (the baseline is scored both ways). Also: artefacts made (`?pinyin)`)
   per 10,000 Han characters, and the 10 most frequent error pairs of textmend and of its
   script stage alone, from rapidfuzz's alignment: a run of adjacent edits counts once, as
   (reference text -> output text), so a wrong character is a pair of characters and an
   unrepaired artefact run is one pair.
2. No harm: restore_script(to="auto") and restore_punctuation each on zh_hant_wiki documents,
   zh_tw_sentences non-empty lines and whole files, and the lines and whole text of the two
   data files. Items and characters changed (edit distance input -> output); for
   legit_pinyin.txt, annotations (Han character or closing quote, then parenthesised pinyin)
   kept unchanged / total.
3. Detector: "detected" = restore_script(text) != text. Positives: the pages of section 1,
   both variants; negatives: every input of section 2. TP, FP, FN, precision, recall.
4. Speed: characters per second of restore_script (best of 3) on the synthetic pages and on
   untouched zh_hant_wiki and zh_hans_wiki documents; pipeline overhead of the script stage on
   text it leaves alone: `textmend.clean(text)` against `textmend.clean(text, script=False)`
   on the zh_hans_wiki and zh_hant_wiki documents, best of 3 (the bar is at most +20 %).
Summary lines at the end.

Everything is seeded: two runs on the same data and versions print the same figures, speed
aside.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import opencc
from pypinyin import Style, pinyin

from reporting import Guard, digest, finish, parser, print_table, unchanged

try:
    from rapidfuzz.distance import Levenshtein
except ImportError:  # pragma: no cover - reported in main()
    Levenshtein = None  # type: ignore[assignment]

DATA = Path(__file__).resolve().parent / "data"
PACKAGE = Path(__file__).resolve().parents[1] / "src" / "textmend"
SEED = 20240517
KEPT = "于后干余并范系借伙制里么几"  # valid traditional forms the spam table leaves alone
TABLE_SIZE = 140
SUBSET = (40, 100)
HEADER_SHARE = 1 / 3
HEADER_TITLES = (3, 7)
MIN_HAN = 150  # Han characters a document needs to become a page
FOLD = str.maketrans("，：；！？（）", ",:;!?()")
HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
PY = "a-zA-Zａ-ｚＡ-Ｚüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜêếềḿńňǹɑɡ"
SYLLABLE = rf"[{PY}]+[0-5]?"
_HAN = re.compile(HAN)
_STRIP = re.compile(rf"(?<={HAN})\([{PY}]+\)")  # the baseline's pinyin remover
_ARTEFACT = re.compile(rf"\?[{PY}]+\)")
_LEGIT = re.compile(  # a legitimate annotation: 重(chóng), 「重量」(zhòng liàng), 先（ｘｉāｎ）
    rf"(?:{HAN}|[”」』])\s?[(（]\s?{SYLLABLE}(?:[ ,，]\s?{SYLLABLE})*\s?[)）]"
)
EXAMPLE = ("以內容", (("內", "nèi"), ("詢", "xún")), "以?xún)?nèi)容")
NA = "n/a"

Tool = Callable[[str], str]


# --- settings, data and helpers --------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """How much to measure: the full run or a --quick smoke run."""

    pages: int
    docs: int | None  # zh_hant_wiki documents for section 2; None for all
    lines_per_file: int | None  # zh_tw_sentences lines per file; None for all
    speed_docs: int | None  # documents per corpus for section 4; None for all
    runs: int


FULL = Settings(pages=300, docs=None, lines_per_file=None, speed_docs=None, runs=3)
QUICK = Settings(pages=30, docs=60, lines_per_file=100, speed_docs=80, runs=1)


def seeded(*parts: object) -> random.Random:
    """A generator seeded from the parts (str hashes are salted per process; CRC-32 is not)."""
    return random.Random(SEED ^ zlib.crc32("|".join(map(str, parts)).encode()))


def read_jsonl(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_data_file(path: Path) -> str:
    """A data file without its comment lines (starting with #)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("#"))


def han_count(text: str) -> int:
    return len(_HAN.findall(text))


def distance(a: str, b: str) -> int:
    return 0 if a == b else Levenshtein.distance(a, b)


def percent(part: float, whole: float, digits: int = 2) -> str:
    return f"{100 * part / whole:.{digits}f}" if whole else NA


def snippet(before: str, after: str, width: int = 24) -> str:
    """Where two texts first differ: `...before... -> ...after...` on one line."""
    i = 0
    while i < min(len(before), len(after)) and before[i] == after[i]:
        i += 1
    start = max(0, i - width // 3)

    def cut(text: str) -> str:
        return text[start : start + width].replace("\n", "⏎")

    return f"{cut(before)} -> {cut(after)}"


# --- the spam generator ----------------------------------------------------------------------


def decode_cp936(data: bytes) -> str:
    """GBK bytes decoded as Windows cp936 does: a lead byte that does not form a valid pair
    with the byte after it becomes "?", and both bytes are consumed. (Pairs in GBK's
    user-defined areas, which Windows maps to private-use characters, also give "?".)"""
    out: list[str] = []
    start = 0
    while True:
        try:
            out.append(data[start:].decode("gbk"))
            return "".join(out)
        except UnicodeDecodeError as err:
            bad = start + err.start
            out.append(data[start:bad].decode("gbk"))
            lead = data[bad]
            if lead == 0x80:
                out.append("€")
                start = bad + 1
            else:
                out.append("?")
                start = bad + (2 if 0x81 <= lead <= 0xFE and bad + 1 < len(data) else 1)


def annotate_bytes(text: str, table: Sequence[tuple[str, str]]) -> str | None:
    """The byte-level replacement of the spam generator; None if GBK cannot encode `text`."""
    try:
        data = text.encode("gbk")
    except UnicodeEncodeError:
        return None
    for char, reading in table:
        try:
            key, note = char.encode("gbk"), f"({reading})".encode("gbk")
        except UnicodeEncodeError:
            continue
        data = data.replace(key, key + note)
    return decode_cp936(data)


def annotate_chars(text: str, table: Sequence[tuple[str, str]]) -> str:
    for char, reading in table:
        text = text.replace(char, f"{char}({reading})")
    return text


@dataclass(frozen=True)
class Generator:
    """The one-to-one conversion table and the annotation table, built from the corpus."""

    convert_table: dict[int, str]
    annotated: tuple[tuple[str, str], ...]  # (traditional character, default reading)

    @classmethod
    def build(cls, docs: Sequence[str]) -> Generator:
        s2t, t2s = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")
        table: dict[int, str] = {}
        for char in sorted(set("".join(docs))):
            if _HAN.fullmatch(char) and char not in KEPT:
                converted = s2t.convert(char)
                if converted != char and len(converted) == 1:
                    table[ord(char)] = converted
        table[ord("着")] = "著"
        counts = Counter(ch for doc in docs for ch in doc.translate(table) if _HAN.fullmatch(ch))
        annotated: list[tuple[str, str]] = []
        for char, _ in counts.most_common():
            if len(annotated) >= TABLE_SIZE:
                break
            if t2s.convert(char) == char:
                continue
            reading = pinyin(char, style=Style.TONE)[0][0]
            if re.fullmatch(rf"[{PY}]+", reading):
                annotated.append((char, reading))
        return cls(table, tuple(annotated))

    def convert(self, text: str) -> str:
        return text.translate(self.convert_table)


@dataclass(frozen=True)
class Page:
    id: str
    reference: str  # header (if any) + the original document
    folded: str  # the reference with the seven marks folded (header untouched)
    variants: dict[str, str]  # variant name -> the spam page
    annotations: int  # in the "no artefacts" variant
    header: bool
    # The source is standard simplified: textmend's own conversion leaves it as it is.
    # Wikipedia's simplified text is itself converted and keeps traditional leftovers
    # (舖, 綝) and 著 where standard simplified writes 着 (随著); no restorer can tell
    # those from the table's output, so they are scored apart (section 1, last rows).
    standard: bool


VARIANTS = ("no artefacts", "with artefacts")


def standard_simplified(doc: str) -> bool:
    from textmend.script import to_simplified

    return to_simplified(doc) == doc


def make_pages(records: list[dict[str, str]], gen: Generator, wanted: int) -> list[Page]:
    rng = seeded("pages")
    eligible = [r for r in records if han_count(r["text"]) >= MIN_HAN]
    chosen = rng.sample(eligible, min(wanted, len(eligible)))
    titles = [r["title"] for r in records if r.get("title")]
    pages: list[Page] = []
    for record in chosen:
        prng = seeded("page", record["id"])
        doc = record["text"].replace("\r\n", "\n")
        subset = prng.sample(gen.annotated, prng.randint(*SUBSET))  # also the byte order
        converted = gen.convert(doc)
        plain = annotate_chars(converted, subset).translate(FOLD)
        variants = {VARIANTS[0]: plain}
        bytewise = annotate_bytes(converted, subset)
        if bytewise is not None:
            variants[VARIANTS[1]] = bytewise.translate(FOLD)
        header = ""
        if prng.random() < HEADER_SHARE and titles:
            header = " ".join(prng.sample(titles, prng.randint(*HEADER_TITLES))) + "\n"
        pages.append(
            Page(
                record["id"],
                header + doc,
                header + doc.translate(FOLD),
                {name: header + text for name, text in variants.items()},
                len(_STRIP.findall(plain)),
                bool(header),
                standard_simplified(doc),
            )
        )
    return pages


def check_example() -> str | None:
    """None if the byte generator reproduces the notes' example, else what it gave."""
    text, table, expected = EXAMPLE
    got = annotate_bytes(text, table)
    return None if got == expected else f"{text} -> {got!r}, expected {expected!r}"


# --- tools -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tools:
    script: Tool
    punctuation: Tool
    baseline: Tool
    clean: Tool  # textmend.clean(text)
    clean_no_script: Tool  # textmend.clean(text, script=False)


def make_tools(guard: Guard) -> Tools:
    import textmend
    from textmend.punctuation import restore_punctuation
    from textmend.script import restore_script

    t2s = opencc.OpenCC("t2s")

    def baseline(text: str) -> str:
        return t2s.convert(_STRIP.sub("", text))

    return Tools(
        guard.wrap(
            "restore_script", lambda text: restore_script(text, to="auto"), lambda text: text
        ),
        guard.wrap("restore_punctuation", restore_punctuation, unchanged),
        baseline,
        guard.wrap("clean", textmend.clean, unchanged),
        guard.wrap(
            "clean(script=False)",
            lambda text: textmend.clean(text, script=False),
            lambda text: text,
        ),
    )


# --- 1. synthetic pages ------------------------------------------------------------------------


@dataclass
class Score:
    pages: int = 0
    chars: int = 0
    edits: int = 0
    exact: int = 0

    def add(self, reference: str, output: str) -> None:
        self.pages += 1
        self.chars += len(reference)
        edits = distance(reference, output)
        self.edits += edits
        self.exact += edits == 0

    @property
    def cer(self) -> str:
        return percent(self.edits, self.chars, 3)


ROWS = (
    "input as is",
    "textmend",
    "baseline strip + t2s",
    "textmend script only (vs folded)",
    "baseline strip + t2s (vs folded)",
    "textmend, standard sources",
    "textmend script only (vs folded), standard sources",
    "textmend script only (vs folded), standard sources, pages detected",
)
PAIR_ROWS = (ROWS[1], ROWS[3])


@dataclass
class Synthetic:
    scores: dict[tuple[str, str], Score]
    outputs: dict[str, list[str]]  # variant -> restore_script outputs, page order
    inputs: dict[str, list[str]]  # variant -> pages
    pairs: dict[tuple[str, str], Counter[tuple[str, str]]]  # (output row, variant) -> counts
    examples: dict[tuple[str, str, str], str]  # (output row, ref char, out char) -> context
    artefacts: dict[str, tuple[int, int, int]]  # variant -> (artefacts, Han chars, pages with)


def shorten(text: str, limit: int = 14) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error_pairs(reference: str, output: str) -> Iterable[tuple[tuple[str, str], str]]:
    """Each error span (a run of adjacent edits; one wrong character is a span of one) as
    (reference text, output text), with the output around it."""
    spans: list[list[int]] = []
    for op in Levenshtein.opcodes(reference, output):
        if op.tag == "equal":
            continue
        if spans and spans[-1][1] == op.src_start and spans[-1][3] == op.dest_start:
            spans[-1][1], spans[-1][3] = op.src_end, op.dest_end
        else:
            spans.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    for src_start, src_end, dest_start, dest_end in spans:
        pair = (
            shorten(reference[src_start:src_end]) or "∅",
            shorten(output[dest_start:dest_end]) or "∅",
        )
        yield pair, shorten(output[max(0, dest_start - 8) : dest_end + 8], 30)


def bench_synthetic(pages: list[Page], tools: Tools) -> Synthetic:
    scores = {(v, row): Score() for v in VARIANTS for row in ROWS}
    outputs: dict[str, list[str]] = {v: [] for v in VARIANTS}
    inputs: dict[str, list[str]] = {v: [] for v in VARIANTS}
    pairs = {(row, v): Counter[tuple[str, str]]() for row in PAIR_ROWS for v in VARIANTS}
    examples: dict[tuple[str, str, str], str] = {}
    artefacts: dict[str, tuple[int, int, int]] = {}
    for variant in VARIANTS:
        made = han = with_any = 0
        for page in pages:
            text = page.variants.get(variant)
            if text is None:
                continue
            script = tools.script(text)
            full = tools.punctuation(script)
            inputs[variant].append(text)
            outputs[variant].append(script)
            scores[variant, ROWS[0]].add(page.reference, text)
            scores[variant, ROWS[1]].add(page.reference, full)
            baseline = tools.baseline(text)
            scores[variant, ROWS[2]].add(page.reference, baseline)
            scores[variant, ROWS[3]].add(page.folded, script)
            scores[variant, ROWS[4]].add(page.folded, baseline)
            if page.standard:
                scores[variant, ROWS[5]].add(page.reference, full)
                scores[variant, ROWS[6]].add(page.folded, script)
                if script != text:
                    scores[variant, ROWS[7]].add(page.folded, script)
            for row, reference, output in (
                (ROWS[1], page.reference, full),
                (ROWS[3], page.folded, script),
            ):
                for pair, context in error_pairs(reference, output):
                    pairs[row, variant][pair] += 1
                    examples.setdefault((row, *pair), context)
            found = len(_ARTEFACT.findall(text))
            made += found
            with_any += found > 0
            han += han_count(page.reference)
        artefacts[variant] = (made, han, with_any)
    return Synthetic(scores, outputs, inputs, pairs, examples, artefacts)


def print_synthetic(pages: list[Page], result: Synthetic) -> None:
    rows = []
    for variant in VARIANTS:
        for row in ROWS:
            score = result.scores[variant, row]
            rows.append(
                [
                    variant,
                    row,
                    str(score.pages),
                    str(score.chars),
                    str(score.edits),
                    score.cer,
                    str(score.exact),
                ]
            )
    print_table(
        "1. Synthetic spam pages: character error rate against the original",
        ["variant", "output", "pages", "ref chars", "edits", "CER %", "exact pages"],
        rows,
    )
    headers = sum(page.header for page in pages)
    notes = sum(page.annotations for page in pages)
    made, han, with_any = result.artefacts[VARIANTS[1]]
    skipped = sum(VARIANTS[1] not in page.variants for page in pages)
    print(
        f"\npages: {len(pages)} ({headers} with a simplified header line; {skipped} not "
        f"GBK-encodable, no artefact variant); annotations {notes} "
        f"({percent(notes, sum(han_count(p.reference) for p in pages), 1)} % of Han chars); "
        f"artefacts `?pinyin)`: {made} = {10_000 * made / max(han, 1):.1f} per 10,000 Han chars, "
        f"on {with_any} of {len(result.inputs[VARIANTS[1]])} pages"
    )
    for number, row in zip("bc", PAIR_ROWS, strict=True):
        print_pairs(f"1{number}", row, result)


def print_pairs(number: str, row: str, result: Synthetic) -> None:
    counts = {v: result.pairs[row, v] for v in VARIANTS}
    total = counts[VARIANTS[0]] + counts[VARIANTS[1]]
    rows = [
        [
            f"{ref} -> {out}",
            *(str(counts[v][ref, out]) for v in VARIANTS),
            result.examples[row, ref, out],
        ]
        for (ref, out), _ in total.most_common(10)
    ]
    print_table(
        f"{number}. Most frequent error spans of {row} (reference -> output; ∅ = nothing), "
        "with the output around the first one",
        ["pair", *VARIANTS, "example (output)"],
        rows,
    )


# --- 2. no harm ------------------------------------------------------------------------------


@dataclass
class Harm:
    name: str
    items: list[str]
    script_out: list[str] = field(default_factory=list)
    punct_out: list[str] = field(default_factory=list)
    annotations: tuple[int, int] | None = None  # (kept, total)

    def changed(self, outputs: list[str]) -> tuple[int, int]:
        pairs = [(a, b) for a, b in zip(self.items, outputs, strict=True) if a != b]
        return len(pairs), sum(distance(a, b) for a, b in pairs)


def harm_inputs(shared: Path, settings: Settings) -> list[Harm]:
    root = shared / "corpora" / "clean"
    hant = [r["text"] for r in read_jsonl(root / "zh_hant_wiki.jsonl")]
    if settings.docs is not None:
        hant = hant[: settings.docs]
    files = sorted((root / "zh_tw_sentences").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8").replace("\r\n", "\n") for path in files]
    lines = [
        line
        for text in texts
        for line in [ln for ln in text.split("\n") if ln.strip()][: settings.lines_per_file]
    ]
    harms = [
        Harm("zh_hant_wiki documents", hant),
        Harm("zh_tw_sentences lines", lines),
        Harm("zh_tw_sentences files", texts),
    ]
    for name in ("legit_pinyin.txt", "genuine_traditional.txt"):
        whole = read_data_file(DATA / name)
        harms.append(Harm(f"{name} lines", [ln for ln in whole.split("\n") if ln.strip()]))
        harms.append(Harm(f"{name} whole", [whole]))
    return harms


def kept_annotations(before: str, after: str) -> tuple[int, int]:
    """Annotations of `before` found unchanged in `after` (as a multiset), and their total."""
    wanted = Counter(_LEGIT.findall(before))
    found = Counter(_LEGIT.findall(after))
    return sum((wanted & found).values()), sum(wanted.values())


def bench_harm(harms: list[Harm], tools: Tools) -> None:
    for harm in harms:
        harm.script_out = [tools.script(text) for text in harm.items]
        harm.punct_out = [tools.punctuation(text) for text in harm.items]
        if harm.name.startswith("legit_pinyin"):
            pairs = zip(harm.items, harm.script_out, strict=True)
            kept = [kept_annotations(a, b) for a, b in pairs]
            harm.annotations = (sum(k for k, _ in kept), sum(t for _, t in kept))


def print_harm(harms: list[Harm]) -> None:
    rows = []
    for harm in harms:
        script, punct = harm.changed(harm.script_out), harm.changed(harm.punct_out)
        kept = f"{harm.annotations[0]}/{harm.annotations[1]}" if harm.annotations else ""
        rows.append(
            [
                harm.name,
                str(len(harm.items)),
                str(sum(map(len, harm.items))),
                str(script[0]),
                str(script[1]),
                str(punct[0]),
                str(punct[1]),
                kept,
            ]
        )
    print_table(
        "2. No harm: inputs changed by restore_script(to='auto') and by restore_punctuation "
        "(both should be 0)",
        [
            "input",
            "items",
            "chars",
            "script: changed",
            "chars changed",
            "punct: changed",
            "chars changed",
            "annotations kept",
        ],
        rows,
    )
    for stage, attr in (("restore_script", "script_out"), ("restore_punctuation", "punct_out")):
        shown = [
            f"  [{harm.name}] {snippet(a, b)}"
            for harm in harms
            for a, b in list(zip(harm.items, getattr(harm, attr), strict=True))
            if a != b
        ]
        if shown:
            more = f"\n  ... ({len(shown) - 12} more)" if len(shown) > 12 else ""
            print(f"\n{stage} changed (first difference, input -> output):")
            print("\n".join(shown[:12]) + more)


# --- 3. detector -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Detection:
    tp: int
    fn: int
    fp: int
    tn: int

    @property
    def precision(self) -> str:
        return percent(self.tp, self.tp + self.fp, 1)

    @property
    def recall(self) -> str:
        return percent(self.tp, self.tp + self.fn, 1)


def bench_detection(synthetic: Synthetic, harms: list[Harm]) -> Detection:
    rows = []
    tp = fn = fp = tn = 0
    for variant in VARIANTS:
        pairs = zip(synthetic.inputs[variant], synthetic.outputs[variant], strict=True)
        hits = sum(a != b for a, b in pairs)
        total = len(synthetic.inputs[variant])
        tp, fn = tp + hits, fn + total - hits
        rows.append([f"positive: spam, {variant}", str(total), str(hits)])
    for harm in harms:
        hits = harm.changed(harm.script_out)[0]
        fp, tn = fp + hits, tn + len(harm.items) - hits
        rows.append([f"negative: {harm.name}", str(len(harm.items)), str(hits)])
    print_table("3. Detector: restore_script(text) != text", ["input", "items", "detected"], rows)
    found = Detection(tp, fn, fp, tn)
    print(
        f"\nTP {tp}, FP {fp}, FN {fn}, TN {tn}; precision {found.precision} %, "
        f"recall {found.recall} %"
    )
    return found


# --- 4. speed --------------------------------------------------------------------------------


def best_time(function: Callable[[str], object], inputs: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        for text in inputs:
            function(text)
        best = min(best, time.perf_counter() - start)
    return best


def bench_speed(
    synthetic: Synthetic, corpora: dict[str, list[str]], tools: Tools, runs: int
) -> dict[str, float]:
    for tool in (tools.clean, tools.clean_no_script, tools.script):
        tool("預熱(rè)")  # load lazily imported modules before timing
    sets = {
        "synthetic pages, both variants": [t for v in VARIANTS for t in synthetic.inputs[v]],
        **{f"{name}, untouched": docs for name, docs in corpora.items()},
    }
    rows = []
    for label, inputs in sets.items():
        chars = sum(map(len, inputs))
        rate = chars / best_time(tools.script, inputs, runs)
        rows.append([label, str(len(inputs)), str(chars), f"{rate:,.0f}"])
    print_table(
        f"4. Speed of restore_script, characters per second, best of {runs}, one core",
        ["input", "docs", "chars", "chars/s"],
        rows,
    )
    overhead: dict[str, float] = {}
    rows = []
    for name, docs in corpora.items():
        without = with_script = float("inf")
        for _ in range(runs):  # interleaved, so that drift hits both alike
            without = min(without, best_time(tools.clean_no_script, docs, 1))
            with_script = min(with_script, best_time(tools.clean, docs, 1))
        overhead[name] = 100 * (with_script / without - 1)
        rows.append(
            [
                name,
                str(len(docs)),
                f"{1000 * without:.0f}",
                f"{1000 * with_script:.0f}",
                f"{overhead[name]:+.1f}",
            ]
        )
    print_table(
        f"4b. Pipeline overhead of the script stage on text it leaves alone, best of {runs} "
        "(bar: at most +20 %)",
        ["corpus", "docs", "clean(script=False) ms", "clean() ms", "overhead %"],
        rows,
    )
    return overhead


# --- main ------------------------------------------------------------------------------------


def print_summary(
    synthetic: Synthetic,
    harms: list[Harm],
    detection: Detection,
    overhead: dict[str, float],
) -> None:
    print("\nSummary:")
    for variant in VARIANTS:
        mend = synthetic.scores[variant, ROWS[1]]
        base = synthetic.scores[variant, ROWS[2]]
        alone, base_alone = synthetic.scores[variant, ROWS[3]], synthetic.scores[variant, ROWS[4]]
        std, std_alone = synthetic.scores[variant, ROWS[5]], synthetic.scores[variant, ROWS[6]]
        found = synthetic.scores[variant, ROWS[7]]
        print(
            f"  CER {variant}, {mend.pages} pages: textmend {mend.cer} % ({mend.edits} edits), "
            f"baseline strip + t2s {base.cer} % ({base.edits}); punctuation aside (vs folded "
            f"reference): script stage {alone.cer} % ({alone.edits}), baseline "
            f"{base_alone.cer} % ({base_alone.edits}); {std.pages} standard-simplified "
            f"sources: textmend {std.cer} % ({std.edits}), script stage {std_alone.cer} % "
            f"({std_alone.edits}), on the {found.pages} detected {found.cer} % ({found.edits})"
        )
    wrong = ", ".join(
        f"{h.name} {h.changed(h.script_out)[1]}"
        for h in harms
        if not h.name.startswith("legit_pinyin")
    )
    print(f"  chars wrongly converted by restore_script in genuine traditional: {wrong}")
    kept = ", ".join(
        f"{h.name} {h.annotations[0]}/{h.annotations[1]}" for h in harms if h.annotations
    )
    print(f"  legitimate annotations kept by restore_script: {kept}")
    punct = sum(h.changed(h.punct_out)[1] for h in harms)
    print(f"  chars changed by restore_punctuation on all no-harm inputs: {punct}")
    print(
        f"  detector: precision {detection.precision} %, recall {detection.recall} % "
        f"(TP {detection.tp}, FP {detection.fp}, FN {detection.fn})"
    )
    figures = ", ".join(f"{name} {value:+.1f} %" for name, value in overhead.items())
    print(f"  pipeline overhead of the script stage on untouched text: {figures} (bar +20 %)")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return parser(__doc__, "fewer pages, inputs and passes").parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    shared: Path = args.shared
    root = shared / "corpora" / "clean"
    needed = (root / "zh_hans_wiki.jsonl", root / "zh_hant_wiki.jsonl", root / "zh_tw_sentences")
    if not all(path.exists() for path in needed):
        print(f"bench_script: no Chinese clean corpora under {shared}, nothing to measure")
        return 0
    if Levenshtein is None:
        print("bench_script: rapidfuzz missing; install the bench extra: pip install -e '.[bench]'")
        return 1
    problem = check_example()
    if problem:
        print(f"bench_script: the byte-level generator is wrong: {problem}")
        return 1
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    measured = digest(PACKAGE)
    guard = Guard()
    try:
        tools = make_tools(guard)
    except Exception as err:
        print(f"bench_script: textmend not importable ({type(err).__name__}: {err})")
        return 1
    import rapidfuzz

    print(
        f"textmend (package sha1 {measured}), OpenCC {opencc.__version__}, "
        f"rapidfuzz {rapidfuzz.__version__}, Python {sys.version.split()[0]}"
    )
    records = read_jsonl(root / "zh_hans_wiki.jsonl")
    gen = Generator.build([r["text"] for r in records])
    print(
        f"data: {shared}; {len(gen.convert_table)} characters in the conversion table, "
        f"{len(gen.annotated)} in the annotation table "
        f"({''.join(ch for ch, _ in gen.annotated[:20])}...)"
    )
    pages = make_pages(records, gen, settings.pages)
    synthetic = bench_synthetic(pages, tools)
    print_synthetic(pages, synthetic)
    harms = harm_inputs(shared, settings)
    bench_harm(harms, tools)
    print_harm(harms)
    detection = bench_detection(synthetic, harms)
    corpora = {
        "zh_hans_wiki": [r["text"] for r in records],
        "zh_hant_wiki": [r["text"] for r in read_jsonl(root / "zh_hant_wiki.jsonl")],
    }
    corpora = {name: docs[: settings.speed_docs] for name, docs in corpora.items()}
    overhead = bench_speed(synthetic, corpora, tools, settings.runs)
    print_summary(synthetic, harms, detection, overhead)
    guard.print_failures("output = input")
    return finish(PACKAGE, measured, started)


if __name__ == "__main__":
    sys.exit(main())
