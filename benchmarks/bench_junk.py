"""Junk removal and article extraction: textmend against readability-lxml and trafilatura.

Run: .venv/bin/python benchmarks/bench_junk.py [--quick] [--shared PATH]; --quick is a smoke run
(10 pages per language group and kind, 50 synthetic pages, 200 clean documents). Needs
readability-lxml and trafilatura. Inputs: ../shared/corpora/html/magic_html and
../shared/corpora/clean; without them the script says so in one line and exits 0.

Score (sections 1 and 2): character-bigram F1 against the hand-checked main text. Both texts keep
only the characters for which str.isalnum() is true, lowercased; F1 comes from the overlap of the
two multisets of adjacent pairs; two empty multisets score 1, one empty multiset 0. Mean per page.

1. HTML input, magic_html ground_truth_docs.jsonl: the Chinese pages (52 articles, 23 forums)
   and, as a secondary row, the other languages. Each file is read as bytes and decoded once: a
   BOM, else strict UTF-8 (the stored files are UTF-8 even where a meta tag still names gb2312 or
   euc-jp), else the meta charset with errors="replace", else UTF-8 with errors="replace"; the
   same string goes to every tool. Tools: textmend `clean(html, html=True)`; readability-lxml
   `Document(html).summary()` turned into text as below, with `Document.title()` on the first
   line (textmend puts the title first too); trafilatura `extract(html, ...)` with each of six
   settings (include_comments on/off x default, favor_recall, favor_precision), the best on all
   Chinese pages shown and used from then on (chosen on this data, so its figure is optimistic);
   "no extraction" = the visible page text. Visible page text (lxml): <head>, script, style,
   noscript, template, svg, comments and hidden elements (hidden attribute, display:none; not
   visibility:hidden, which WeChat pages use until a script runs) dropped; one line per
   block-level element and <br>; whitespace collapsed.
   Pages/s per tool, one core ("no extraction": the time to make the visible text).
2. Plain-text mode on the same pages: the visible page text through
   `textmend.clean(text, html=False)` against "no extraction" (bar: mean F1 >= 0.85, Chinese
   articles; the other languages' pages are the checking rows);
   and again with textmend's closing-line lexicon cut to the rows the issue and the notes name
   (NAMED_CLOSING_LINES): how much the figure owes to rows written while looking at these pages.
3. Synthetic injection: clean Chinese Wikipedia articles (zh_hant_wiki documents of 3+ lines; the
   one-paragraph zh_hans_wiki documents split into 3-6 paragraphs at sentence ends; documents
   holding markup such as <br> left out), title first, with junk lines from benchmarks/data/junk
   injected at the top, under the title, between paragraphs and at the bottom: SEO spam, markup
   residue and site boilerplate in the page's script or in English, with random fills; through
   `textmend.clean(page, html=False)`. Lines are compared by a key: entities decoded, tags
   removed, NFKC, whitespace and Unicode punctuation (categories P*) dropped. An article line
   counts as kept if an output line has its key, i.e. equals it up to whitespace, punctuation and
   width forms. Output lines are matched as a multiset, article lines first: a junk line that
   repeats an article line (share card) counts as removed when the output holds the text only as
   often as the article does. A junk line counts as removed if no output line left after that
   matching has its key; one whose key is empty (tags, bullets) if no output line equals it up to
   whitespace. Peers have no plain-text mode: each line becomes a <p> of a minimal HTML page
   (escaped, empty <title>), labelled as such. Bars: >= 98 % junk removed, <= 1 % article lines
   lost.
4. Clean documents: every document of zh_hans_wiki, zh_hant_wiki, ja_wiki and ko_law/**/*.txt
   through `textmend.clean(text, html=False)`: lines compared after stripping whitespace
   ("changed"), and lines removed: whose key (as in 3) is neither an output line's key nor part
   of the output's keys joined (so that a line split at a <br> still counts as kept). Bar: none
   removed. The junk stage's own record (`clean_document(...).changes`, stage "junk") is shown
   beside it.
5. Hand-checked texts as plain text: the `text` of every record of ground_truth_docs.jsonl (all
   109, already clean article and thread texts) through `textmend.clean_document(text,
   html=False, script=False, punctuation=False, budget=None)`; lines lost (the junk stage's
   `removed`) by label, counting lines that hold a letter or digit (a lone `•` or `×` is counted
   apart). Bar: no line lost but bylines, dates and credits (META), besides the reference lines
   listed in tests/cases/junk_reference_furniture.json, each with why: adverts, tag headings and
   a reprint notice that the hand-checked texts kept and the lexicons remove as they should.
6. Junk stage speed: `textmend.junk.remove_junk` alone on SPEED_SHAPES (the sample page repeated,
   short lines, one line many times, one long line of each kind that once made a pattern
   backtrack, cut copies, share cards, lists, closing lines) at 1, 2, 4 and 8 MB (--quick: 1/8
   to 1 MB): s/MB at the largest size and the largest growth per doubling (bars: <= 2 s/MB,
   <= 2.3x; a time under 0.02 s is not judged for growth).

Tuning and checking: the junk stage's rules were written while looking at the Chinese pages of
magic_html (sections 1, 2 and 5, Chinese rows); the other languages' pages and the synthetic set
(section 3) are held out, not tuned on, and printed as checking rows beside them.

Until textmend's clean() takes `html=`, textmend is called as `clean(text)` in every section and
a line says so. Everything is seeded: two runs on the same data and versions print the same
figures, speed aside.
"""

from __future__ import annotations

import argparse
import gc
import html as htmllib
import itertools
import json
import random
import re
import statistics
import sys
import time
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from reporting import Guard, digest, finish, parser, print_table

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "textmend"
JUNK_DATA = Path(__file__).resolve().parent / "data" / "junk"
SEED = 20240607
BAR_PLAIN_F1 = 0.85
BAR_REMOVED = 98.0
BAR_LOST = 1.0

Tool = Callable[[str], str]


# --- settings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """How much to measure: the full run or a --quick smoke run."""

    pages_per_group: int | None  # HTML pages per (language group, kind); None for all
    synthetic: int  # synthetic pages, half simplified and half traditional
    clean_docs: int | None  # clean documents in all, spread over the corpora; None for all


FULL = Settings(pages_per_group=None, synthetic=400, clean_docs=None)
QUICK = Settings(pages_per_group=10, synthetic=50, clean_docs=200)


def seeded(*parts: object) -> random.Random:
    """A generator seeded from the parts (str hashes are salted per process; CRC-32 is not)."""
    return random.Random(SEED ^ zlib.crc32("|".join(map(str, parts)).encode()))


def percent(part: float, total: float, digits: int = 1) -> str:
    return f"{100 * part / total:.{digits}f}" if total else "-"


def read_jsonl(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --- decoding and visible text ---------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""", re.IGNORECASE)
_CODEC_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "shift_jis": "cp932"}
_CODEC_ALIASES |= {"sjis": "cp932", "x-sjis": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949"}


def decode_html(data: bytes) -> tuple[str, str]:
    """The page as text and how it was decoded: BOM, strict UTF-8, meta charset, UTF-8 replaced."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codec
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    head = data[:8192]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if found:
        name = found.group(1).decode("ascii", errors="replace").lower()
        codec = _CODEC_ALIASES.get(name, name)
        try:
            return data.decode(codec, errors="replace"), codec
        except LookupError:
            pass
    return data.decode("utf-8", errors="replace"), "utf-8 (replaced)"


_SKIPPED_TAGS = frozenset({"head", "script", "style", "noscript", "template", "svg", "math"})
_BLOCK_TAGS = frozenset(
    re.split(
        r"\s+",
        """address article aside blockquote body caption center dd details dialog dir div dl dt
        fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr
        html iframe legend li main menu nav ol option p pre section select summary table tbody td
        textarea tfoot th thead title tr ul""",
    )
)
# display:none only, as innerText does: visibility:hidden is how WeChat hides an article until
# its script runs.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML string, one line per block-level element (see the docstring)."""
    from lxml import etree
    from lxml import html as lxml_html

    if not markup.strip():
        return ""
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml_html.document_fromstring(markup.encode("utf-8", errors="replace"), parser)
    except (etree.ParserError, ValueError):
        return ""
    parts: list[str] = []
    skipping: list[object] = []  # elements whose subtree is dropped (their tail is kept)
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if skipping:
                continue
            if not tag or tag.lower() in _SKIPPED_TAGS or _hidden(element):
                skipping.append(element)
                continue
            if tag.lower() in _BLOCK_TAGS or tag.lower() == "br":
                parts.append("\n")
            if element.text:
                parts.append(element.text)
            continue
        if skipping:
            if skipping[-1] is not element:
                continue
            skipping.pop()
        elif tag.lower() in _BLOCK_TAGS:
            parts.append("\n")
        if element.tail and element is not root:
            parts.append(element.tail)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _hidden(element: object) -> bool:
    get = getattr(element, "get", None)
    if get is None:
        return False
    return get("hidden") is not None or bool(_HIDDEN_STYLE.search(get("style") or ""))


# --- scoring ---------------------------------------------------------------------------------


def bigrams(text: str) -> Counter[str]:
    chars = "".join(char for char in text if char.isalnum()).lower()
    return Counter(chars[i : i + 2] for i in range(len(chars) - 1))


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    out_pairs: int


def score(output: str, reference: Counter[str]) -> Score:
    got = bigrams(output)
    total_out, total_ref = sum(got.values()), sum(reference.values())
    if not total_out and not total_ref:
        return Score(1.0, 1.0, 1.0, 0)
    if not total_out or not total_ref:
        return Score(0.0, 0.0, 0.0, total_out)
    overlap = sum((got & reference).values())
    p, r = overlap / total_out, overlap / total_ref
    return Score(p, r, 2 * p * r / (p + r) if overlap else 0.0, total_out)


_TAG = re.compile(r"<[^>]*>")


def line_key(line: str) -> str:
    """Entities decoded, then tags removed, NFKC; whitespace and Unicode punctuation dropped."""
    text = unicodedata.normalize("NFKC", _TAG.sub("", htmllib.unescape(line)))
    return "".join(
        c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P")
    )


def no_space(line: str) -> str:
    return "".join(line.split())


# --- tools -----------------------------------------------------------------------------------


def guarded(guard: Guard, name: str, tool: Callable[[str], str | None]) -> Tool:
    """The tool under the guard: a failed call (or None) is taken to return nothing."""
    return guard.wrap(name, lambda text: tool(text) or "", lambda _text: "")


@dataclass
class Timed:
    """A tool with the time spent in it and the number of calls."""

    tool: Tool
    seconds: float = 0.0
    calls: int = 0

    def __call__(self, text: str) -> str:
        start = time.perf_counter()
        out = self.tool(text)
        self.seconds += time.perf_counter() - start
        self.calls += 1
        return out

    def rate(self) -> str:
        return f"{self.calls / self.seconds:.1f}" if self.seconds else "-"


def textmend_tools() -> tuple[Tool, Tool, bool]:
    """textmend's HTML and plain-text calls, and whether clean() takes html=."""
    import textmend

    try:
        textmend.clean("<p>预热</p>", html=True)
    except TypeError as err:
        if "html" not in str(err):
            raise
        return textmend.clean, textmend.clean, False
    return (
        lambda text: textmend.clean(text, html=True),
        lambda text: textmend.clean(text, html=False),
        True,
    )


# textmend's data/article_end.txt cut to what the issue and shared/notes/boilerplate.md
# name (editor credits, 免责声明, 上一篇/下一篇): section 2 also runs with only these, to show
# how much the figure owes to rows written while looking at these pages.
NAMED_CLOSING_LINES = (
    r"(责任编辑|责编|编辑|审核|审读|审校|校对|监制|总监制|核稿|值班编辑)\s*[:：/丨|]\s*\S.{0,40}",
    r"[\[【（(]\s*(责任编辑|编辑|责编|审核|校对)\s*[:：|丨/]?.{0,40}",
    r"(责任编辑|责编)\s*[:：]?",
    r"(免责|特别|郑重)声明\s*[:：].*",
    r"(上一篇|下一篇)\s*[:：]?.{0,60}",
)


@contextmanager
def closing_lines(rows: tuple[str, ...]) -> Iterator[None]:
    """textmend's junk stage with `rows` as its closing-line lexicon, for the duration."""
    import textmend.junk as junk

    shipped = junk.entries

    def entries(name: str) -> tuple[str, ...]:
        return rows if name == "article_end.txt" else shipped(name)

    junk.entries = entries
    junk._patterns.cache_clear()
    junk._any_pattern.cache_clear()
    try:
        yield
    finally:
        junk.entries = shipped
        junk._patterns.cache_clear()
        junk._any_pattern.cache_clear()


def readability_tool(markup: str) -> str:
    from readability import Document

    document = Document(markup)
    body = html_to_text(document.summary())
    title = (document.title() or "").strip()
    if not title or title == "[no-title]":
        return body
    return f"{title}\n{body}"


@dataclass(frozen=True)
class TrafilaturaSetting:
    include_comments: bool
    favor: str  # "default", "favor_recall" or "favor_precision"

    @property
    def label(self) -> str:
        comments = "comments on" if self.include_comments else "comments off"
        return f"include_comments={self.include_comments}, {self.favor} ({comments})"

    @property
    def short(self) -> str:
        return f"include_comments={self.include_comments}" + (
            f", {self.favor}=True" if self.favor != "default" else ""
        )

    def tool(self) -> Callable[[str], str | None]:
        import trafilatura

        flags = {
            "favor_recall": self.favor == "favor_recall",
            "favor_precision": self.favor == "favor_precision",
        }
        return lambda markup: trafilatura.extract(
            markup, include_comments=self.include_comments, **flags
        )


TRAFILATURA_SETTINGS = tuple(
    TrafilaturaSetting(comments, favor)
    for comments in (False, True)
    for favor in ("default", "favor_recall", "favor_precision")
)


# --- 1. HTML pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    kind: str  # article | forum
    group: str  # zh | other
    markup: str
    visible: str
    reference: Counter[str]
    codec: str


def load_pages(base: Path, settings: Settings) -> tuple[list[Page], float]:
    """The pages, and the seconds spent making their visible text."""
    pages: list[Page] = []
    seconds = 0.0
    taken: Counter[tuple[str, str]] = Counter()
    for row in read_jsonl(base / "ground_truth_docs.jsonl"):
        group = "zh" if row["lang"] == "zh" else "other"
        limit = settings.pages_per_group
        if limit is not None and taken[group, row["kind"]] >= limit:
            continue
        taken[group, row["kind"]] += 1
        markup, codec = decode_html((base / row["html"]).read_bytes())
        start = time.perf_counter()
        visible = html_to_text(markup)
        seconds += time.perf_counter() - start
        pages.append(
            Page(
                row["id"],
                row["url"],
                row["kind"],
                group,
                markup,
                visible,
                bigrams(row["text"]),
                codec,
            )
        )
    return pages, seconds


GROUPS = (("zh", "article"), ("zh", "forum"), ("other", "article"), ("other", "forum"))


def group_label(group: str, kind: str) -> str:
    return f"{'Chinese' if group == 'zh' else 'other languages'} {kind}s"


@dataclass
class Run:
    """One tool over a set of pages: its scores and outputs by page id."""

    name: str
    timed: Timed
    scores: dict[str, Score] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)

    def mean(self, pages: Iterable[Page]) -> float | None:
        values = [self.scores[p.id].f1 for p in pages if p.id in self.scores]
        return statistics.fmean(values) if values else None


def run_tool(name: str, tool: Tool, pages: Sequence[Page], source: str) -> Run:
    """`source` is "markup" or "visible": which text of each page the tool gets."""
    run = Run(name, Timed(tool))
    for page in pages:
        out = run.timed(getattr(page, source))
        run.outputs[page.id] = out
        run.scores[page.id] = score(out, page.reference)
    return run


def best_reading_run(pages: Sequence[Page], guard: Guard) -> Run:
    """Per page, the best of the readings the careful reader chooses among, as
    they stand (of the page less its blocks of other stories, as the stage reads it;
    no title, no later stages): how far a better chooser could go."""
    from textmend.extract import _READERS, _Page, _title, _without_recommendations

    readers = [guarded(guard, f"reading {name}", read) for name, read in _READERS.items()]
    run = Run("best textmend reading", Timed(lambda markup: ""))
    for page in pages:
        markup = _without_recommendations(page.markup, _title(page.markup, _Page(page.markup)))
        parsed = _Page(markup)  # each reader reads the page as the stage hands it
        outputs = [read(parsed) for read in readers]
        best, out = max(((score(o, page.reference), o) for o in outputs), key=lambda s: s[0].f1)
        run.scores[page.id], run.outputs[page.id] = best, out
    return run


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def in_group(pages: Sequence[Page], group: str, kind: str) -> list[Page]:
    return [p for p in pages if p.group == group and p.kind == kind]


def print_f1_table(title: str, pages: Sequence[Page], runs: Sequence[Run]) -> None:
    rows = []
    for group, kind in GROUPS:
        chosen = in_group(pages, group, kind)
        if chosen:
            rows.append(
                [group_label(group, kind), str(len(chosen)), *(fmt(r.mean(chosen)) for r in runs)]
            )
    zh = [p for p in pages if p.group == "zh"]
    rows.append(["Chinese, all pages", str(len(zh)), *(fmt(r.mean(zh)) for r in runs)])
    rows.append(["pages/s (all pages, one core)", "", *(r.timed.rate() for r in runs)])
    print_table(title, ["pages", "n", *(r.name for r in runs)], rows)


def bench_trafilatura(pages: Sequence[Page], guard: Guard) -> tuple[TrafilaturaSetting, Run]:
    runs = {
        setting: run_tool(
            "trafilatura",
            guarded(guard, f"trafilatura {setting.short}", setting.tool()),
            pages,
            "markup",
        )
        for setting in TRAFILATURA_SETTINGS
    }
    zh = [p for p in pages if p.group == "zh"]
    rows = [
        [
            setting.short,
            *(fmt(run.mean(in_group(pages, g, k))) for g, k in GROUPS),
            fmt(run.mean(zh)),
            run.timed.rate(),
        ]
        for setting, run in runs.items()
    ]
    best = max(runs, key=lambda s: (runs[s].mean(zh) or 0.0, -TRAFILATURA_SETTINGS.index(s)))
    print_table(
        "1a. trafilatura.extract settings, mean bigram F1 (the best on all Chinese pages is "
        "used below)",
        ["setting", *(group_label(g, k) for g, k in GROUPS), "Chinese, all", "pages/s"],
        rows,
    )
    print(f"\ntrafilatura setting used from here on: {best.short}")
    return best, runs[best]


def print_worst(title: str, pages: Sequence[Page], run: Run, count: int = 5) -> None:
    rows = []
    for kind in ("article", "forum"):
        chosen = sorted(in_group(pages, "zh", kind), key=lambda p: run.scores[p.id].f1)[:count]
        for page in chosen:
            found = run.scores[page.id]
            first = run.outputs[page.id].strip().split("\n", 1)[0][:28]
            rows.append(
                [
                    kind,
                    page.id.rsplit("-", 1)[-1],
                    urlsplit(page.url).netloc,
                    f"{found.f1:.3f}",
                    f"{found.precision:.2f}",
                    f"{found.recall:.2f}",
                    str(sum(page.reference.values())),
                    str(found.out_pairs),
                    first,
                ]
            )
    print_table(
        title,
        ["kind", "id", "site", "F1", "P", "R", "ref pairs", "out pairs", "first output line"],
        rows,
    )


# --- 3. synthetic injection ------------------------------------------------------------------

_SLOT = re.compile(r"\{([a-z_0-9]+|[^{}]*\|[^{}]*)\}")
_SENTENCE = re.compile(r"(?<=[。！？])(?![”」』）)])")
_MARKUP_IN_TEXT = re.compile(r"<[A-Za-z/!]|&[#A-Za-z0-9]+;")
THEMES = ("adult", "gambling", "lottery", "pharma")
SEPARATORS = ("|", "_", "-", " ", "｜", " | ", " - ", ",", "、", "  ", "_", "|")
LIST_STYLES = ("", "· ", "• ", "{i}. ", "▪ ", "- ", "{i}、", "[{section}] ")
ZONES = ("top", "head", "middle", "bottom")
KINDS = ("SEO spam", "markup", "boilerplate")
KIND_FILES = {"SEO spam": "spam.txt", "markup": "markup.txt", "boilerplate": "boilerplate.txt"}
ZONE_WEIGHTS = {
    "top": {"SEO spam": 0.35, "markup": 0.25, "boilerplate": 0.4},
    "head": {"markup": 0.25, "boilerplate": 0.75},
    "middle": {"SEO spam": 0.1, "markup": 0.55, "boilerplate": 0.35},
    "bottom": {"SEO spam": 0.12, "markup": 0.13, "boilerplate": 0.75},
}
# Order of the subkinds inside a zone, as sites print them; markup anywhere.
ORDER = {
    "header": 0,
    "nav": 1,
    "crumbs": 2,
    "sharecard": 3,
    "meta": 1,
    "source": 2,
    "editor": 4,
    "disclaimer": 5,
    "scan": 6,
    "prevnext": 7,
    "related": 8,
    "footer": 9,
    "copyright": 10,
}


def read_sections(path: Path) -> dict[str, list[str]]:
    """A data file of [section] headers and one value a line; # lines are comments."""
    sections: dict[str, list[str]] = defaultdict(list)
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        sections[current].append(line)
    return dict(sections)


@dataclass(frozen=True)
class Template:
    kind: str
    subkind: str
    lang: str  # hans | hant | en | any
    zones: frozenset[str]
    text: str


def read_templates() -> list[Template]:
    templates = []
    for kind, name in KIND_FILES.items():
        for line in (JUNK_DATA / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            subkind, lang, zones, text = line.split("\t")
            wanted = frozenset(zones.split(","))
            if not wanted <= set(ZONES) or lang not in ("hans", "hant", "en", "any"):
                raise ValueError(f"{name}: bad template line {line!r}")
            templates.append(Template(kind, subkind, lang, wanted, text.replace("\\n", "\n")))
    return templates


@dataclass(frozen=True)
class Article:
    script: str  # hans | hant
    title: str
    paragraphs: tuple[str, ...]


@dataclass
class Context:
    """What the fills of one page depend on."""

    article: Article
    rid: str
    titles: Sequence[str]  # other articles' titles, for related lists and prev/next


class Filler:
    """Expands template slots with seeded random fills."""

    def __init__(self, fills: dict[str, list[str]], terms: dict[str, list[str]]) -> None:
        self.fills = fills
        self.terms = terms

    def expand(self, text: str, ctx: Context, rng: random.Random, lang: str) -> str:
        sep = rng.choice(SEPARATORS)
        return self._expand(text, ctx, rng, lang, sep, 0)

    def _expand(
        self, text: str, ctx: Context, rng: random.Random, lang: str, sep: str, depth: int
    ) -> str:
        if depth > 6:
            raise ValueError(f"template nesting too deep: {text!r}")

        def replace(match: re.Match[str]) -> str:
            body = match.group(1)
            if "|" in body:
                return self._expand(rng.choice(body.split("|")), ctx, rng, lang, sep, depth + 1)
            return self.value(body, ctx, rng, lang, sep, depth)

        return _SLOT.sub(replace, text)

    def pick(self, name: str, lang: str, rng: random.Random) -> str | None:
        values = self.fills.get(f"{name}.{lang}") or self.fills.get(name)
        if values is None and lang == "hant":
            values = self.fills.get(f"{name}.hans")
        return rng.choice(values) if values else None

    def term(self, theme: str, lang: str, rng: random.Random) -> str:
        own = self.terms.get(f"{theme}.hant") if lang == "hant" and rng.random() < 0.5 else None
        return rng.choice(own or self.terms[theme])

    def value(
        self, name: str, ctx: Context, rng: random.Random, lang: str, sep: str, depth: int
    ) -> str:
        article = ctx.article
        if name == "title":
            return article.title
        if name == "lead":
            return article.paragraphs[0]
        if name == "lead_cut":
            lead = article.paragraphs[0]
            cut = lead[: rng.randint(30, 80)]
            return cut + rng.choice(("...", "……", "…", "…[详细]" if lang == "hans" else "…"))
        if name == "headline":
            if lang != "en" and ctx.titles and rng.random() < 0.4:
                return rng.choice(ctx.titles)
            return self._expand(self.pick("headline", lang, rng) or "", ctx, rng, lang, sep, depth)
        if name == "headlines":
            style = rng.choice(LIST_STYLES)
            lines = []
            for i in range(1, rng.randint(3, 6) + 1):
                prefix = self._expand(style.replace("{i}", str(i)), ctx, rng, lang, sep, depth + 1)
                line = prefix + self.value("headline", ctx, rng, lang, sep, depth)
                if rng.random() < 0.2:
                    line += " " + self.value("date", ctx, rng, lang, sep, depth)
                lines.append(line)
            return "\n".join(lines)
        if name == "name":
            if lang == "en":
                return self.pick("name_en", lang, rng) or ""
            return (self.pick("surname", lang, rng) or "") + (self.pick("given", lang, rng) or "")
        if name in ("date", "time", "datetime"):
            return self.date(name, lang, rng)
        if name == "year":
            return str(rng.randint(2012, 2024))
        if name == "day":
            return str(rng.randint(1, 28))
        if name == "digit":
            return str(rng.randint(0, 9))
        if name.startswith("num") and name[3:].isdigit():
            size = int(name[3:])
            return str(rng.randint(1, 9)) + "".join(
                rng.choice("0123456789") for _ in range(size - 1)
            )
        if name == "icp":
            province = self.pick("province", lang, rng)
            number = self.value("num8", ctx, rng, lang, sep, depth)
            return rng.choice(
                (
                    f"{province}ICP备{number}号",
                    f"{province}ICP备{number}号-{rng.randint(1, 9)}",
                    f"{province}ICP证{number[:6]}号",
                    f"ICP备案号：{province}ICP备{number}号",
                )
            )
        if name == "psb":
            province = self.pick("province", lang, rng)
            return f"{province}公网安备 {rng.randint(11000000000000, 65999999999999)}号"
        if name == "phone":
            return rng.choice(
                (
                    f"010-{rng.randint(10000000, 89999999)}",
                    f"400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                    f"(02){rng.randint(2000, 2999)}-{rng.randint(1000, 9999)}",
                    f"021-{rng.randint(50000000, 69999999)}",
                )
            )
        if name == "email":
            user = rng.choice(("jubao", "news", "service", "tougao", "webmaster", "editor"))
            return f"{user}@{self.pick('pinyin', lang, rng)}.{rng.choice(('com', 'cn', 'com.tw'))}"
        if name == "rid":
            return ctx.rid
        if name == "rid2":
            return random_id(rng)
        if name == "spam":
            return self.term(rng.choice(THEMES), lang, rng)
        if name in THEMES:
            return self.term(name, lang, rng)
        if name == "spamlist":
            themes = rng.sample(THEMES, rng.choice((1, 1, 2)))
            count = rng.randint(4, 12)
            return sep.join(self.term(rng.choice(themes), lang, rng) for _ in range(count))
        if name == "sep":
            return sep
        value = self.pick(name, lang, rng)
        if value is None:
            raise ValueError(f"unknown slot {{{name}}}")
        return self._expand(value, ctx, rng, lang, sep, depth + 1)

    @staticmethod
    def date(name: str, lang: str, rng: random.Random) -> str:
        year, month, day = rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28)
        hour, minute, second = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
        if lang == "en":
            months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
            months += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
            dates = (f"{months[month - 1]} {day}, {year}", f"{day} {months[month - 1]} {year}")
            times = (f"{hour:02d}:{minute:02d} GMT+8", f"{hour % 12 or 12}:{minute:02d} pm")
        elif lang == "hant":
            dates = (
                f"{year}/{month:02d}/{day:02d}",
                f"{year}年{month}月{day}日",
                f"{year}-{month:02d}-{day:02d}",
                f"民國{year - 1911}年{month}月{day}日",
            )
            noon = "上午" if hour < 12 else "下午"
            times = (f"{hour:02d}:{minute:02d}", f"{noon}{hour % 12 or 12}:{minute:02d}")
        else:
            dates = (
                f"{year}-{month:02d}-{day:02d}",
                f"{year}年{month:02d}月{day:02d}日",
                f"{year}年{month}月{day}日",
                f"{year}/{month:02d}/{day:02d}",
                f"{year}.{month:02d}.{day:02d}",
            )
            times = (f"{hour:02d}:{minute:02d}", f"{hour:02d}:{minute:02d}:{second:02d}")
        if name == "date":
            return rng.choice(dates)
        if name == "time":
            return rng.choice(times)
        return f"{rng.choice(dates)} {rng.choice(times)}"


def random_id(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 6)))


@dataclass(frozen=True)
class Line:
    text: str
    kind: str  # "article", "title" or a junk kind
    subkind: str = ""


@dataclass(frozen=True)
class Synthetic:
    text: str
    lines: tuple[Line, ...]  # every non-blank input line, in order
    script: str


def load_articles(root: Path, count: int) -> tuple[list[Article], dict[str, list[str]], int]:
    """Half simplified, half traditional articles of 3+ paragraphs; titles per script; skipped."""
    chosen: list[Article] = []
    titles: dict[str, list[str]] = {}
    skipped = 0
    for script, name in (("hans", "zh_hans_wiki"), ("hant", "zh_hant_wiki")):
        records = read_jsonl(root / f"{name}.jsonl")
        titles[script] = sorted({r["title"].strip() for r in records if r["title"].strip()})
        rng = seeded("articles", script)
        eligible: list[Article] = []
        for record in records:
            text, title = record["text"], record["title"].strip()
            if _MARKUP_IN_TEXT.search(text) or not title:
                skipped += 1
                continue
            paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
            if len(paragraphs) == 1:
                paragraphs = split_paragraphs(paragraphs[0], rng)
            if len(paragraphs) >= 3 and len(set(paragraphs)) == len(paragraphs):
                eligible.append(Article(script, title, tuple(paragraphs)))
        wanted = count // 2 if script == "hans" else count - count // 2
        picked = rng.sample(eligible, min(wanted, len(eligible)))
        while len(picked) < wanted:  # reuse documents (fresh junk) when too few are eligible
            picked.append(rng.choice(eligible))
        chosen.extend(picked)
    return chosen, titles, skipped


def split_paragraphs(text: str, rng: random.Random) -> list[str]:
    """A one-paragraph document cut into 3-6 paragraphs at sentence ends (fewer if it is short)."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    if len(sentences) < 3:
        return [text]
    count = min(len(sentences), rng.randint(3, 6))
    cuts = sorted(rng.sample(range(1, len(sentences)), count - 1))
    bounds = [0, *cuts, len(sentences)]
    return ["".join(sentences[a:b]) for a, b in itertools.pairwise(bounds)]


class Injector:
    """Builds synthetic pages: an article with junk lines at realistic places."""

    def __init__(self, templates: list[Template], filler: Filler) -> None:
        self.filler = filler
        self.pools: dict[tuple[str, str, str], dict[str, list[Template]]] = {}
        for kind in KINDS:
            for zone in ZONES:
                for lang in ("hans", "hant", "en"):
                    pool: dict[str, list[Template]] = defaultdict(list)
                    for t in templates:
                        if t.kind == kind and zone in t.zones and t.lang in (lang, "any"):
                            pool[t.subkind].append(t)
                    self.pools[kind, zone, lang] = dict(pool)

    def item(self, zone: str, ctx: Context, rng: random.Random) -> tuple[int, list[Line]] | None:
        weights = ZONE_WEIGHTS[zone]
        kind = rng.choices(list(weights), list(weights.values()))[0]
        lang = "en" if rng.random() < 0.15 else ctx.article.script
        pool = self.pools[kind, zone, lang] or self.pools[kind, zone, ctx.article.script]
        if not pool:
            return None
        subkind = rng.choice(sorted(pool))
        template = rng.choice(pool[subkind])
        text = self.filler.expand(template.text, ctx, rng, lang)
        lines = [Line(t.strip(), kind, subkind) for t in text.split("\n") if t.strip()]
        order = rng.randint(0, 10) if kind == "markup" else ORDER.get(subkind, 5)
        return order, lines

    def zone(self, zone: str, count: int, ctx: Context, rng: random.Random) -> list[Line]:
        items = [found for _ in range(count) if (found := self.item(zone, ctx, rng))]
        items.sort(key=lambda pair: pair[0])  # stable: equal orders keep their random order
        return [line for _, lines in items for line in lines]

    def page(self, article: Article, titles: Sequence[str], index: int) -> Synthetic:
        rng = seeded("page", index, article.title)
        others = [t for t in titles if t != article.title]
        ctx = Context(article, random_id(rng), others)
        while True:
            top = self.zone("top", rng.randint(0, 3), ctx, rng)
            head = self.zone("head", rng.randint(0, 2), ctx, rng)
            bottom = self.zone("bottom", rng.randint(1, 5), ctx, rng)
            middle = [
                self.zone("middle", 1, ctx, rng) if rng.random() < 0.2 else []
                for _ in article.paragraphs[1:]
            ]
            if top or head or bottom or any(middle):
                break
        indent = rng.choice(("", "", "　　", "    "))
        body: list[Line] = []
        for number, paragraph in enumerate(article.paragraphs):
            if number:
                body.extend(middle[number - 1])
            body.append(Line(paragraph, "article"))
        lines = (*top, Line(article.title, "title"), *head, *body, *bottom)
        blank = rng.random() < 0.5
        rendered = [(indent + line.text if line.kind == "article" else line.text) for line in lines]
        return Synthetic(("\n\n" if blank else "\n").join(rendered), lines, article.script)


def peer_page(page: Synthetic) -> str:
    body = "\n".join(f"<p>{htmllib.escape(line.text, quote=False)}</p>" for line in page.lines)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title></title></head>\n'
        f"<body>\n{body}\n</body></html>"
    )


@dataclass
class JunkTally:
    """Per tool: injected and removed junk lines by (kind, subkind), article lines kept."""

    injected: Counter[tuple[str, str]] = field(default_factory=Counter)
    removed: Counter[tuple[str, str]] = field(default_factory=Counter)
    articles: int = 0
    kept: int = 0
    titles: int = 0
    titles_kept: int = 0
    altered: int = 0  # lost article lines with a near copy (bigram F1 >= 0.8) in the output
    kept_junk: list[tuple[str, str, str]] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def measure_page(page: Synthetic, output: str, tally: JunkTally) -> None:
    out_lines = [line for line in output.split("\n") if line.strip()]
    keys = Counter(k for k in map(line_key, out_lines) if k)
    raw = Counter(no_space(line) for line in out_lines)
    article_lines = [line for line in page.lines if line.kind in ("article", "title")]
    for line in article_lines:
        key = line_key(line.text)
        kept = keys[key] > 0
        if kept:
            keys[key] -= 1
        tally.articles += 1
        tally.kept += kept
        if line.kind == "title":
            tally.titles += 1
            tally.titles_kept += kept
        if not kept:
            tally.lost.append(line.text)
            reference = bigrams(line.text)
            if any(score(out, reference).f1 >= 0.8 for out in out_lines):
                tally.altered += 1
    for line in page.lines:
        if line.kind in ("article", "title"):
            continue
        key = line_key(line.text)
        pool, probe = (keys, key) if key else (raw, no_space(line.text))
        present = pool[probe] > 0
        if present:
            pool[probe] -= 1
            tally.kept_junk.append((line.kind, line.subkind, line.text))
        tally.injected[line.kind, line.subkind] += 1
        tally.removed[line.kind, line.subkind] += not present


@dataclass(frozen=True)
class SyntheticResult:
    tallies: dict[str, JunkTally]
    rates: dict[str, str]
    pages: int


def bench_synthetic(pages: list[Synthetic], tools: dict[str, Tool]) -> SyntheticResult:
    tallies, rates = {}, {}
    for name, tool in tools.items():
        timed, tally = Timed(tool), JunkTally()
        for page in pages:
            text = page.text if name == "textmend" else peer_page(page)
            measure_page(page, timed(text), tally)
        tallies[name], rates[name] = tally, timed.rate()
    return SyntheticResult(tallies, rates, len(pages))


def removed_share(tally: JunkTally, kind: str | None = None, subkind: str | None = None) -> str:
    keys = [
        k
        for k in tally.injected
        if (kind is None or k[0] == kind) and (subkind is None or k[1] == subkind)
    ]
    return percent(sum(tally.removed[k] for k in keys), sum(tally.injected[k] for k in keys))


def print_synthetic(result: SyntheticResult) -> None:
    names = list(result.tallies)
    labels = [n if n == "textmend" else f"{n} (<p> page)" for n in names]
    first = result.tallies[names[0]]
    rows = [
        [
            kind,
            str(sum(v for k, v in first.injected.items() if k[0] == kind)),
            *(removed_share(result.tallies[n], kind) for n in names),
        ]
        for kind in KINDS
    ]
    rows.append(
        [
            "all junk",
            str(sum(first.injected.values())),
            *(removed_share(result.tallies[n]) for n in names),
        ]
    )
    rows.append(
        [
            "article lines kept",
            str(first.articles),
            *(percent(result.tallies[n].kept, result.tallies[n].articles) for n in names),
        ]
    )
    rows.append(
        [
            "  of which titles kept",
            str(first.titles),
            *(percent(result.tallies[n].titles_kept, result.tallies[n].titles) for n in names),
        ]
    )
    rows.append(
        [
            "article lines lost (altered, not dropped)",
            "",
            *(
                f"{result.tallies[n].articles - result.tallies[n].kept} "
                f"({result.tallies[n].altered})"
                for n in names
            ),
        ]
    )
    rows.append(["pages/s", "", *(result.rates[n] for n in names)])
    print_table(
        f"3. Synthetic injection, {result.pages} pages: % of injected junk lines removed, "
        "% of article lines kept",
        ["junk kind", "lines", *labels],
        rows,
    )
    subs = sorted(first.injected, key=lambda k: (KINDS.index(k[0]), k[1]))
    print_table(
        "3a. Junk lines removed per subkind, %",
        ["kind", "subkind", "lines", *labels],
        [
            [
                kind,
                sub,
                str(first.injected[kind, sub]),
                *(removed_share(result.tallies[n], kind, sub) for n in names),
            ]
            for kind, sub in subs
        ],
    )
    tally = result.tallies["textmend"]
    if tally.kept_junk:
        print(f"\ntextmend kept {len(tally.kept_junk)} junk lines; first of each subkind:")
        seen: set[tuple[str, str]] = set()
        for kind, sub, text in tally.kept_junk:
            if (kind, sub) not in seen:
                seen.add((kind, sub))
                print(f"  [{kind} / {sub}] {text[:90]}")
    if tally.lost:
        print(f"\ntextmend lost {len(tally.lost)} article lines; first ones:")
        for text in tally.lost[:8]:
            print(f"  {text[:90]}")


# --- 4. clean documents ----------------------------------------------------------------------


def load_clean(root: Path, limit: int | None) -> dict[str, list[tuple[str, str]]]:
    """(id, text) per corpus; with a limit, the first documents of each corpus, spread evenly."""
    corpora: dict[str, list[tuple[str, str]]] = {}
    for name in ("zh_hans_wiki", "zh_hant_wiki", "ja_wiki"):
        corpora[name] = [(r["id"], r["text"]) for r in read_jsonl(root / f"{name}.jsonl")]
    corpora["ko_law"] = [
        (str(p.relative_to(root / "ko_law")), p.read_text(encoding="utf-8"))
        for p in sorted((root / "ko_law").rglob("*.txt"))
    ]
    if limit is not None:
        share = max(1, limit // len(corpora))
        corpora = {name: docs[:share] for name, docs in corpora.items()}
    return {
        name: [(i, t.replace("\r\n", "\n").replace("\r", "\n")) for i, t in docs]
        for name, docs in corpora.items()
    }


def removed_lines(text: str, output: str) -> tuple[int, int, list[str]]:
    """Lines (non-blank) changed after stripping whitespace, and the lines removed (see 3/4)."""
    out_lines = [line.strip() for line in output.split("\n")]
    exact = Counter(out_lines)
    keys = Counter(line_key(line) for line in out_lines)
    joined = "".join(line_key(line) for line in out_lines)
    changed, removed = 0, []
    for line in (ln.strip() for ln in text.split("\n")):
        if not line:
            continue
        if exact[line] > 0:
            exact[line] -= 1
            continue
        changed += 1
        key = line_key(line)
        if key and keys[key] <= 0 and key not in joined:
            removed.append(line)
    return len([ln for ln in text.split("\n") if ln.strip()]), changed, removed


def junk_record(text: str, html_flag: bool) -> list[tuple[str, str]]:
    """(label, line) of the lines the junk stage says it removed."""
    import textmend

    result = (
        textmend.clean_document(text, html=False) if html_flag else textmend.clean_document(text)
    )
    return [(c.label or "", c.before) for c in result.changes if c.stage == "junk"]


@dataclass
class CleanResult:
    docs: int = 0
    docs_removed: int = 0
    lines_removed: int = 0
    examples: list[str] = field(default_factory=list)


def bench_clean(
    corpora: dict[str, list[tuple[str, str]]], tool: Tool, html_flag: bool, guard: Guard
) -> CleanResult:
    rows = []
    total = CleanResult()
    record = guarded(
        guard, "textmend clean_document", lambda t: json.dumps(junk_record(t, html_flag))
    )
    timed = Timed(tool)
    for name, docs in corpora.items():
        lines = changed_docs = removed_docs = removed = junk_docs = junk_lines = 0
        for doc_id, text in docs:
            count, changed, gone = removed_lines(text, timed(text))
            junk = json.loads(record(text) or "[]")
            lines += count
            changed_docs += changed > 0
            removed_docs += bool(gone)
            removed += len(gone)
            junk_docs += bool(junk)
            junk_lines += len(junk)
            for line in gone[:1]:
                if len(total.examples) < 6:
                    labels = {text: label for label, text in junk}
                    label = labels.get(line, "")
                    total.examples.append(f"  [{name} {doc_id}] {label or '?'}: {line[:90]}")
        total.docs += len(docs)
        total.docs_removed += removed_docs
        total.lines_removed += removed
        rows.append(
            [
                name,
                str(len(docs)),
                str(lines),
                str(changed_docs),
                str(removed_docs),
                str(removed),
                f"{junk_docs} / {junk_lines}",
            ]
        )
    print_table(
        "4. Clean documents through textmend.clean: documents with a line changed (whitespace "
        "stripped) and with a line removed (bar: none)",
        [
            "corpus",
            "docs",
            "lines",
            "docs changed",
            "docs with removal",
            "lines removed",
            "junk stage record: docs / lines",
        ],
        rows,
    )
    print(f"\ntextmend: {timed.rate()} documents/s")
    if total.examples:
        print("\nremoved lines (label from the junk stage's record, ? if none):")
        print("\n".join(total.examples))
    return total


# --- 5. hand-checked texts as plain text ----------------------------------------------------

REFERENCE_FURNITURE = (
    Path(__file__).resolve().parents[1] / "tests" / "cases" / "junk_reference_furniture.json"
)
LABELS = ("META", "BOILERPLATE", "SEO_SPAM", "MARKUP", "DUPLICATE")


@dataclass(frozen=True)
class Loss:
    """A line of a hand-checked text that the junk stage removed."""

    id: str
    group: str  # zh | other
    label: str
    line: str
    furniture: bool  # listed in REFERENCE_FURNITURE: the reference holds a page's furniture


@dataclass
class ReferenceLosses:
    lines: Counter[str] = field(default_factory=Counter)  # lines with text, per group
    without_text: Counter[str] = field(default_factory=Counter)  # removed lines without text
    losses: list[Loss] = field(default_factory=list)

    def unexpected(self) -> list[Loss]:
        """Lost lines that are neither credits (META) nor listed reference furniture."""
        return [loss for loss in self.losses if loss.label != "META" and not loss.furniture]


def reference_furniture() -> dict[tuple[str, str], str]:
    """(record id, line) -> why: the hand-checked lines that are a page's furniture."""
    rows = json.loads(REFERENCE_FURNITURE.read_text(encoding="utf-8"))
    return {(row["id"], row["line"]): row["why"] for row in rows}


def has_text(line: str) -> bool:
    return any(char.isalnum() for char in line)


def reference_losses(base: Path) -> ReferenceLosses:
    """Every hand-checked text of magic_html as plain text through the pipeline (see 5)."""
    import textmend

    furniture = reference_furniture()
    found = ReferenceLosses()
    for row in read_jsonl(base / "ground_truth_docs.jsonl"):
        group = "zh" if row["lang"] == "zh" else "other"
        found.lines[group] += sum(has_text(line) for line in row["text"].split("\n"))
        result = textmend.clean_document(
            row["text"], html=False, script=False, punctuation=False, budget=None
        )
        for change in result.removed:
            line = change.before.strip()
            if not has_text(line):
                found.without_text[group] += 1
                continue
            listed = (row["id"], line) in furniture
            found.losses.append(Loss(row["id"], group, change.label or "", line, listed))
    return found


def print_reference_losses(found: ReferenceLosses) -> None:
    rows = []
    for group, name in (("zh", "Chinese (tuning)"), ("other", "other languages (checking)")):
        lost = Counter(loss.label for loss in found.losses if loss.group == group)
        listed = sum(loss.furniture for loss in found.losses if loss.group == group)
        rows.append(
            [
                name,
                str(found.lines[group]),
                *(str(lost[label]) for label in LABELS),
                str(listed),
                str(found.without_text[group]),
            ]
        )
    print_table(
        "5. Hand-checked texts as plain text (script and punctuation off): lines with text lost "
        "by label (bar: none but META, besides listed reference furniture)",
        ["texts", "lines", *LABELS, "of which listed furniture", "lines without text removed"],
        rows,
    )
    unexpected = found.unexpected()
    print(f"\nlines lost that are neither META nor listed furniture: {len(unexpected)}")
    for loss in unexpected[:10]:
        print(f"  [{loss.id} {loss.label}] {loss.line[:90]}")


# --- 6. speed of the junk stage -------------------------------------------------------------

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "spam_page_zh.txt"
KB = 1024
MB = 1024 * KB
SPEED_SIZES = (MB, 2 * MB, 4 * MB, 8 * MB)
QUICK_SPEED_SIZES = (MB // 8, MB // 4, MB // 2, MB)
BAR_SECONDS_PER_MB = 2.0
BAR_GROWTH = 2.3  # per doubling of the size
MIN_JUDGED_SECONDS = 0.02  # below this, timer noise and fixed costs decide the growth


def repeated(unit: str, size: int, separator: str = "") -> str:
    """`unit` repeated, joined by `separator`, to about `size` bytes of UTF-8."""
    count = max(1, size // len((unit + separator).encode("utf-8")))
    return separator.join([unit] * count)


def lines_of(make: Callable[[int], str], size: int, unit_bytes: int) -> str:
    """`make(i)` for i = 0, 1, ..., one per line, to about `size` bytes."""
    return "\n".join(make(i) for i in range(max(1, size // unit_bytes)))


# Shapes of input that made the junk stage quadratic or could (rescans per line, nested
# patterns on one long line): each a function of the size in bytes.
SPEED_SHAPES: dict[str, Callable[[int], str]] = {
    "the sample page repeated": lambda size: repeated(
        SAMPLE.read_text(encoding="utf-8"), size, "\n"
    ),
    "short lines (第n行)": lambda size: lines_of(lambda i: f"第{i}行", size, 12),
    "one line many times": lambda size: repeated("同一行文字重复出现，很多次。", size, "\n"),
    "blank lines": lambda size: "\n" * size,
    "one line of prose": lambda size: repeated("这是一个很长的句子，", size),
    "one line: short words, spaces": lambda size: repeated("ab   ", size) + "!",
    "one line: a cut-off tag, spaces": lambda size: "<a" + " " * size + "<1",
    "one line: a tag, then BBCode": lambda size: "<a" + repeated("[b]", size) + "<1",
    "one line: hyphenated letters": lambda size: repeated("a-", size) + "!",
    "one line: ellipses": lambda size: repeated("…", size) + "x",
    "one line: spam terms, spaces": lambda size: "六合彩" + " " * size + "- x 时时彩",
    "cut copies and paragraphs": lambda size: lines_of(
        lambda i: f"某某市召开会议部署工作第{i // 2}项" + ("……" if i % 2 else "，内容如下。"),
        size,
        55,
    ),
    "titles and leads": lambda size: repeated(
        "标题标题\n导语导语导语导语导语导语，导语。\n栏目", size, "\n"
    ),
    "headings with lists": lambda size: repeated("相关阅读\n- 条目一\n- 条目二", size, "\n"),
    "a page with closing lines": lambda size: repeated(
        "首页 | 新闻 | 体育 | 娱乐\n这是一段很长的正文，讲述了一件事情的来龙去脉，内容比较长。\n"
        "责任编辑：张三\n短行",
        size,
        "\n",
    ),
}


SPEED_REPEATS = 3  # the best of up to this many runs ...
SPEED_REPEAT_SECONDS = 1.0  # ... stopping once the runs so far took this long


def time_junk(text: str) -> float:
    """CPU seconds `remove_junk` takes on `text` (changes collected as the pipeline does):
    the best of a few runs, each after a garbage collection, so that other work on the
    machine and the last run's garbage are not counted as growth."""
    from textmend.junk import remove_junk

    best, spent = float("inf"), 0.0
    for _ in range(SPEED_REPEATS):
        gc.collect()
        start = time.process_time()
        remove_junk(text, [])
        elapsed = time.process_time() - start
        best, spent = min(best, elapsed), spent + elapsed
        if spent >= SPEED_REPEAT_SECONDS:
            break
    return best


def bench_speed(sizes: Sequence[int]) -> bool:
    """s/MB at the largest size and the largest growth per doubling, per shape."""
    from textmend.junk import remove_junk

    remove_junk(SAMPLE.read_text(encoding="utf-8"))  # lexicons compiled, tables built
    rows, within = [], True
    for name, make in SPEED_SHAPES.items():
        seconds = []
        for size in sizes:
            text = make(size)
            seconds.append((len(text.encode("utf-8")) / MB, time_junk(text)))
        growth = max(
            (b / a for (_, a), (_, b) in itertools.pairwise(seconds) if a >= MIN_JUDGED_SECONDS),
            default=None,
        )
        megabytes, largest = seconds[-1]
        per_mb = largest / megabytes
        within &= per_mb <= BAR_SECONDS_PER_MB and (growth is None or growth <= BAR_GROWTH)
        rows.append(
            [
                name,
                f"{per_mb:.2f}",
                "~" if growth is None else f"{growth:.2f}",
                *(f"{t:.3f}" for _, t in seconds),
            ]
        )
    print_table(
        "6. Junk stage speed (remove_junk alone, CPU seconds, one core): s/MB at the largest "
        f"size (bar <= {BAR_SECONDS_PER_MB}) and the largest growth per doubling (bar <= "
        f"{BAR_GROWTH}; ~: under {MIN_JUDGED_SECONDS} s, not judged); seconds at each size",
        ["shape", "s/MB", "growth", *(f"{size / MB:g} MB" for size in sizes)],
        rows,
    )
    return within


# --- main ------------------------------------------------------------------------------------


def check_templates(
    injector: Injector, articles: list[Article], titles: dict[str, list[str]]
) -> None:
    """Expand every template once in each language, so that a typo fails before measuring."""
    rng = seeded("check")
    for article in articles[:1]:
        ctx = Context(article, "abcde", titles[article.script])
        for pools in injector.pools.values():
            for pool in pools.values():
                for template in pool:
                    for lang in ("hans", "hant", "en"):
                        injector.filler.expand(template.text, ctx, rng, lang)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    return parser(__doc__, "fewer pages and documents").parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    shared: Path = args.shared
    base = shared / "corpora" / "html" / "magic_html"
    root = shared / "corpora" / "clean"
    needed = (
        base / "ground_truth_docs.jsonl",
        root / "zh_hans_wiki.jsonl",
        root / "zh_hant_wiki.jsonl",
    )
    if not all(path.exists() for path in needed):
        print(
            f"bench_junk: no magic_html pages or clean corpora under {shared}, nothing to measure"
        )
        return 0
    try:
        import lxml
        import readability
        import trafilatura
    except ImportError as err:
        print(f"bench_junk: {err.name} missing; install the bench extra: pip install -e '.[bench]'")
        return 1
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    measured = digest(PACKAGE)
    guard = Guard()
    try:
        html_tool, plain_tool, html_flag = textmend_tools()
    except Exception as err:
        print(f"bench_junk: textmend not importable ({type(err).__name__}: {err})")
        return 1
    from importlib.metadata import version

    print(
        f"textmend (package sha1 {measured}), readability-lxml {version('readability-lxml')}, "
        f"trafilatura {trafilatura.__version__}, lxml {lxml.__version__}, "
        f"Python {sys.version.split()[0]}"
    )
    del readability
    if not html_flag:
        print(
            "note: textmend.clean() takes no html= yet: textmend was measured as clean(text), "
            "without html=True (section 1) or html=False (sections 2-4)"
        )
    pages, visible_seconds = load_pages(base, settings)
    codecs = Counter(p.codec for p in pages)
    print(f"data: {shared}; {len(pages)} HTML pages, decoded as {dict(codecs)}")

    # 1. HTML input
    textmend_html = run_tool(
        "textmend", guarded(guard, "textmend html", html_tool), pages, "markup"
    )
    careful_runs = []
    if html_flag:
        import textmend

        careful_tool = partial(textmend.clean, html=True, html_reader="careful")
        careful_runs.append(
            run_tool(
                "textmend careful",
                guarded(guard, "textmend careful", careful_tool),
                pages,
                "markup",
            )
        )
    readability_run = run_tool(
        "readability-lxml", guarded(guard, "readability-lxml", readability_tool), pages, "markup"
    )
    setting, trafilatura_run = bench_trafilatura(pages, guard)
    visible = run_tool("no extraction", lambda text: text, pages, "visible")
    visible.timed.seconds = visible_seconds
    print_f1_table(
        "1. HTML input: mean bigram F1 per page (textmend "
        + ("clean(html, html=True)" if html_flag else "clean(html), no html= yet")
        + ("; textmend careful: html_reader='careful'" if careful_runs else "")
        + f"; readability with its title first; trafilatura {setting.short}; the best of the "
        "careful reader's four readings on each page, chosen by its score: a ceiling, not a tool)",
        pages,
        [
            textmend_html,
            *careful_runs,
            readability_run,
            trafilatura_run,
            visible,
            best_reading_run(pages, guard),
        ],
    )
    print_worst(
        "1b. The 5 worst textmend pages per kind, HTML input (Chinese)", pages, textmend_html
    )

    # 2. Plain-text mode
    zh_pages = [p for p in pages if p.group == "zh"]
    plain = run_tool(
        "textmend plain", guarded(guard, "textmend plain", plain_tool), zh_pages, "visible"
    )
    with closing_lines(NAMED_CLOSING_LINES):
        named = run_tool(
            "textmend plain, named closing lines only",
            guarded(guard, "textmend plain", plain_tool),
            zh_pages,
            "visible",
        )
    other_pages = [p for p in pages if p.group == "other"]
    plain_other = run_tool(
        "textmend plain", guarded(guard, "textmend plain", plain_tool), other_pages, "visible"
    )
    rows = [
        [
            group_label(group, kind) + (" (tuning)" if group == "zh" else " (checking)"),
            str(len(in_group(pages, group, kind))),
            *(fmt(run.mean(in_group(pages, group, kind))) for run in (visible, plain_run)),
            fmt(named.mean(in_group(pages, group, kind))) if group == "zh" else "",
            fmt(textmend_html.mean(in_group(pages, group, kind))),
        ]
        for group, plain_run in (("zh", plain), ("other", plain_other))
        for kind in ("article", "forum")
    ]
    rows.append(["pages/s (Chinese pages)", "", "", plain.timed.rate(), "", ""])
    print_table(
        "2. Plain-text mode: visible page text through textmend.clean"
        + ("(text, html=False)" if html_flag else "(text)")
        + f", mean bigram F1 (bar: Chinese articles >= {BAR_PLAIN_F1}); also with only the "
        "closing lines the issue and notes name (NAMED_CLOSING_LINES)",
        [
            "pages",
            "n",
            "no extraction",
            "textmend plain text",
            "named closing lines only",
            "textmend HTML (1)",
        ],
        rows,
    )
    print_worst("2a. The 5 worst textmend pages per kind, plain-text mode", zh_pages, plain)

    # 3. Synthetic injection
    articles, titles, skipped = load_articles(root, settings.synthetic)
    filler = Filler(
        read_sections(JUNK_DATA / "fills.txt"), read_sections(JUNK_DATA / "spam_terms.txt")
    )
    injector = Injector(read_templates(), filler)
    check_templates(injector, articles, titles)
    synthetic = [injector.page(a, titles[a.script], i) for i, a in enumerate(articles)]
    scripts = Counter(p.script for p in synthetic)
    print(
        f"\nsynthetic pages: {scripts['hans']} simplified, {scripts['hant']} traditional "
        f"({skipped} source documents with markup or no title left out); "
        f"{len(read_templates())} templates"
    )
    peers = {
        "textmend": guarded(guard, "textmend plain", plain_tool),
        "readability-lxml": guarded(guard, "readability-lxml", readability_tool),
        "trafilatura": guarded(guard, f"trafilatura {setting.short}", setting.tool()),
    }
    synth = bench_synthetic(synthetic, peers)
    print_synthetic(synth)

    # 4. Clean documents
    corpora = load_clean(root, settings.clean_docs)
    clean = bench_clean(corpora, guarded(guard, "textmend plain", plain_tool), html_flag, guard)

    # 5. Hand-checked texts as plain text
    references = reference_losses(base)
    print_reference_losses(references)

    # 6. Speed of the junk stage
    fast = bench_speed(QUICK_SPEED_SIZES if args.quick else SPEED_SIZES)

    # Summary
    tally = synth.tallies["textmend"]
    removed = sum(tally.removed.values())
    injected = sum(tally.injected.values())
    lost = tally.articles - tally.kept
    plain_articles = plain.mean(in_group(zh_pages, "zh", "article"))
    zh_articles, zh_forums = in_group(pages, "zh", "article"), in_group(pages, "zh", "forum")
    mode = "" if html_flag else " (measured without html=; clean(text))"
    print("\nSummary:")
    print(
        f"  HTML, Chinese articles / forums, mean F1{mode}: textmend "
        f"{fmt(textmend_html.mean(zh_articles))} / {fmt(textmend_html.mean(zh_forums))}, "
        f"readability-lxml {fmt(readability_run.mean(zh_articles))} / "
        f"{fmt(readability_run.mean(zh_forums))}, trafilatura ({setting.short}) "
        f"{fmt(trafilatura_run.mean(zh_articles))} / {fmt(trafilatura_run.mean(zh_forums))}, "
        f"no extraction {fmt(visible.mean(zh_articles))} / {fmt(visible.mean(zh_forums))}"
    )
    verdict = "pass" if plain_articles is not None and plain_articles >= BAR_PLAIN_F1 else "FAIL"
    print(
        f"  plain text, Chinese articles, mean F1{mode}: {fmt(plain_articles)} "
        f"(bar >= {BAR_PLAIN_F1}: {verdict}); "
        f"forums {fmt(plain.mean(in_group(zh_pages, 'zh', 'forum')))}; "
        f"no extraction {fmt(visible.mean(zh_articles))}"
    )
    share = 100 * removed / injected if injected else 0.0
    print(
        f"  synthetic junk lines removed: {percent(removed, injected, 2)} % ({removed}/{injected}) "
        f"(bar >= {BAR_REMOVED:.0f} %: {'pass' if share >= BAR_REMOVED else 'FAIL'})"
    )
    lost_share = 100 * lost / tally.articles if tally.articles else 0.0
    print(
        f"  synthetic article lines lost: {percent(lost, tally.articles, 2)} % "
        f"({lost}/{tally.articles}) (bar <= {BAR_LOST:.0f} %: "
        f"{'pass' if lost_share <= BAR_LOST else 'FAIL'})"
    )
    print(
        f"  clean documents with a line removed: {clean.docs_removed} of {clean.docs}, "
        f"{clean.lines_removed} lines (bar 0: {'pass' if clean.docs_removed == 0 else 'FAIL'})"
    )
    unexpected = len(references.unexpected())
    print(
        f"  hand-checked texts as plain text, lines lost but META and listed furniture: "
        f"{unexpected} of {sum(references.lines.values())} (bar 0: "
        f"{'pass' if unexpected == 0 else 'FAIL'})"
    )
    print(
        f"  junk stage speed: every shape within {BAR_SECONDS_PER_MB} s/MB and "
        f"{BAR_GROWTH}x per doubling: {'pass' if fast else 'FAIL'}"
    )
    guard.print_failures("output taken as empty")
    return finish(PACKAGE, measured, started)


if __name__ == "__main__":
    sys.exit(main())
