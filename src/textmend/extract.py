"""Extract the article from an HTML page: its title on the first line, then its text.

Two readers. `fast` (the default) is textmend's own, `textmend.page_reader`: one
parse, one walk, its choice explained in the report. `careful` is what came
before it: no single extractor was best on Chinese pages (magic_html's 75, character-
bigram F1: readability-lxml ahead on articles, trafilatura on forums, each failing
badly on pages the other gets right), so up to four readings are made
(readability; trafilatura favouring precision; trafilatura favouring recall; the
page's densest block of paragraphs, which keeps forum posts) and the one that
agrees best with the others is taken (where trafilatura's precise reading tells the
same article, it stands in: less around it; on a forum thread, its recall-favouring
reading stands in where it holds the same text and more: the replies).

On 171 pages of sites neither was tuned on (html_dev's checking parts) the fast
reader scores 0.927 against careful's 0.909 and readability-lxml's 0.871, in about
a quarter to a seventh of careful's time; careful is ahead on the 26 pages of the first
source's checking part (0.847 against 0.797). docs/measurements.md has the tables. The
other stages (junk lines, script, punctuation) then run on the text as on any.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from functools import cache, cached_property
from itertools import accumulate
from operator import add
from typing import TYPE_CHECKING, Any

from .markup import strip_markup
from .options import HtmlReader, Options
from .page_reader import FORUM_MARK, FORUM_MARKS
from .result import Change, Fixed

if TYPE_CHECKING:
    from lxml.html import HtmlElement

STAGE = "extract"

# An HTML document, not text with a stray tag: a doctype or an <html>/<head>/<body>
# element near the start.
_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b",
    re.IGNORECASE | re.DOTALL,
)
_BODY = re.compile(r"<body\b", re.IGNORECASE)
TITLE_SEARCH = 5  # lines of the article text where its title may already stand


def looks_like_html(text: str) -> bool:
    """Whether `text` is an HTML page (to be extracted) rather than text with tags in it."""
    head = text[:4096]
    return bool(_HTML_START.match(head)) or (
        bool(_BODY.search(text)) and head.lstrip().startswith("<")
    )


def extract_article(
    html: str, changes: list[Change] | None = None, reader: HtmlReader = "fast"
) -> str:
    """The page's title and article text, one paragraph a line, read `fast`
    (textmend's own reader) or `careful`ly (the readings of three extractors, the
    one they agree on)."""
    if reader == "fast":
        return _read_fast(html, changes)
    require_careful()
    with _quieted:
        return _read_careful(html, changes)


def _read_careful(html: str, changes: list[Change] | None) -> str:
    """The article by the careful reader: the readings of readability, trafilatura
    and the densest block, the one they agree on."""
    parsed = _Page(html)
    title = _title(html, parsed)
    page = _without_recommendations(html, title)
    page_parsed = parsed if page is html else _Page(page)
    tags = _tags(page)
    if tags > LARGE_PAGE_TAGS:
        readings = {BASELINE: _baseline(page_parsed)}
        chosen, why = BASELINE, f"a page of {tags:,} tags (over {LARGE_PAGE_TAGS:,})"
    else:
        readings, chosen, why = _read(page_parsed, forum=_forum(html))
    text = _titled(readings[chosen], title)
    if changes is not None:
        changes.append(
            Change.of_text(
                STAGE,
                f"HTML page: article extracted by {chosen}, {why} "
                f"(readings: {', '.join(sorted(readings))})",
            )
        )
    return text


# The careful reader's extractors are the optional extra `careful` (the fast reader needs
# only lxml): what to say where they are missing.
CAREFUL_NEEDS = "needs readability-lxml and trafilatura: pip install 'textmend[careful]'"


class CarefulReaderMissing(ImportError):
    """`html_reader="careful"` asked for where readability-lxml or trafilatura (the extra
    `careful`) cannot be imported."""


@cache
def require_careful() -> None:
    """Import the careful reader's extractors, else raise `CarefulReaderMissing` saying
    what to install."""
    try:
        import readability  # noqa: F401
        import trafilatura  # noqa: F401
    except ImportError as err:
        raise CarefulReaderMissing(f"html_reader 'careful' {CAREFUL_NEEDS} ({err})") from err


def _titled(text: str, title: str) -> str:
    """The title first: moved up if the text has it among its first lines."""
    if not title:
        return text
    lines = text.split("\n")
    head = [i for i, line in enumerate(lines[:TITLE_SEARCH]) if line.strip() == title]
    if head:
        del lines[head[0]]
    return "\n".join([title, *lines])


def _read_fast(html: str, changes: list[Change] | None) -> str:
    """The article by textmend's own reader: one parse, one walk (`page_reader`)."""
    from . import page_reader

    root = page_reader.parse(html)
    if root is None:
        if changes is not None:
            changes.append(Change.of_text(STAGE, "HTML page: no document found in it"))
        return ""
    reading = page_reader.read(root)
    text = _titled(reading.text, page_reader.title_of(root))
    why = reading.explain()
    _log.debug("extract: %s", why)
    if changes is not None:
        changes.append(Change.of_text(STAGE, f"HTML page: {why}"))
    return text


# Above this many tags (`<` and a letter, as written: start tags, counted on the page
# less its blocks of other stories) a page is read by trafilatura's baseline alone, not
# by the four readings. Measured (CPU, this machine): the four readings cost up to
# about 200 µs a tag on flat adversarial pages (a forum of 16,000 one-line floors: 3.4 s
# for 512 KB), 70-140 µs on real pages; so a page read in full costs at most about 2 s,
# the bar's price of a megabyte, whatever its bytes. The largest of the 109 pages of
# magic_html has 6,012 tags (bench_junk section 1 is unchanged). The baseline costs
# 5-14 µs a tag (1 MB of `<p>中文</p><br>`, 123,000 tags: 1.1 s).
LARGE_PAGE_TAGS = 10_000
_TAG_START = re.compile(r"<[A-Za-z]")


def _tags(html: str) -> int:
    return len(_TAG_START.findall(html))


class _Page:
    """A page to read, with trafilatura's parse of it made once for the title and
    both of trafilatura's readings (trafilatura copies a tree it is given before
    changing it, and the title is only read): each parse is a tenth of a reading."""

    def __init__(self, html: str) -> None:
        self.html = html

    @cached_property
    def tree(self) -> HtmlElement | None:
        """trafilatura's parse (`load_html`); None where it finds no HTML document."""
        from trafilatura.utils import load_html

        try:
            return load_html(self.html)
        except (TypeError, ValueError):  # as trafilatura.extract takes them: no page
            return None


_log = logging.getLogger(__name__)


class _Quiet:
    """The extractors log tracebacks and warnings for pages they cannot read (an empty
    reading here, not a message on stderr): while textmend calls them their loggers
    are raised to CRITICAL, and put back as they were after, so that a host's logging
    of those libraries is untouched outside the calls. Levels are the process's: with
    calls in several threads they are raised on the first entry and put back on the
    last exit (the host's records from those libraries in between are dropped too)."""

    NOISY = ("readability", "trafilatura", "htmldate", "courlan", "justext")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._levels: dict[str, int] = {}

    def __enter__(self) -> None:
        with self._lock:
            if not self._depth:
                for name in self.NOISY:
                    noisy = logging.getLogger(name)
                    self._levels[name] = noisy.level
                    noisy.setLevel(logging.CRITICAL)
            self._depth += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._depth -= 1
            if not self._depth:
                for name, level in self._levels.items():
                    logging.getLogger(name).setLevel(level)
                self._levels.clear()


_quieted = _Quiet()


HOLDS = 0.7  # bigram F1 of a longer reading with the chosen one, for it to hold the same text


def _forum(html: str) -> bool:
    return len(FORUM_MARK.findall(_without_tags(html))) >= FORUM_MARKS


# A script or style element's opening, and its closing (`0 #fff` in a stylesheet is no floor).
_RAW_OPENING = re.compile(r"<(script|style)\b", re.IGNORECASE)
_RAW_CLOSING = {
    "script": re.compile(r"</script\s*>", re.IGNORECASE),
    "style": re.compile(r"</style\s*>", re.IGNORECASE),
}


def _without_tags(html: str) -> str:
    r"""`html` with each tag, and each script or style element, as a space: what
    `re.sub(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", " ", html, flags=re.I | re.S)`
    gives, in one scan. That regex searches to the end of the page from every `<` that
    has no `>` (or no closing) after it: 1 MB of `<` took minutes. Here a search that
    found nothing is not made again from a later `<`."""
    pieces: list[str] = []
    copied = 0
    unclosed: set[str] = set()  # raw-text kinds with no closing after some opening
    last_gt = html.rfind(">")
    position = html.find("<")
    while position >= 0:
        if position > last_gt:  # only a script or style element can match from here on
            later = _RAW_OPENING.search(html, position) if len(unclosed) < 2 else None
            if later is None:
                break
            position = later.start()
        end = -1
        opening = _RAW_OPENING.match(html, position)
        if opening is not None and (kind := opening.group(1).lower()) not in unclosed:
            closing = _RAW_CLOSING[kind].search(html, opening.end())
            if closing is None:
                unclosed.add(kind)  # none after a later opening either
            else:
                end = closing.end()
        if end < 0 and position < last_gt:
            end = html.index(">", position) + 1
        if end < 0:
            position = html.find("<", position + 1)
            continue
        pieces += [html[copied:position], " "]
        copied = end
        position = html.find("<", end)
    pieces.append(html[copied:])
    return "".join(pieces)


def _readability(html: str) -> str:
    from readability import Document

    try:
        summary = Document(html).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions on pages it cannot read
        return ""
    return _text_of(summary)


def _trafilatura(page: _Page, *, favor_precision: bool = False, favor_recall: bool = False) -> str:
    _linear_justext()
    import trafilatura

    if page.tree is None:  # what trafilatura.extract gives for a page it cannot parse
        return ""
    text = trafilatura.extract(
        page.tree,
        include_comments=True,
        favor_precision=favor_precision,
        favor_recall=favor_recall,
    )
    return text or ""


def _baseline(page: _Page) -> str:
    """trafilatura's baseline: the text of the page's JSON-LD article, its <article>
    elements or its paragraphs, else of its whole body; trafilatura's own rescue,
    linear and about a tenth of a full reading. Read alone (magic_html, bigram F1,
    extract stage only): Chinese articles 0.81, forums 0.58, against 0.96 / 0.75 for
    the chosen one of the four readings."""
    from trafilatura import baseline

    if page.tree is None:
        return ""
    return baseline(page.tree)[1]


def _densest_block(html: str) -> str:
    """The element whose own paragraphs hold the most text, less its links, plus
    Chinese sentence punctuation: a reading that keeps a forum's posts, which the
    two extractors often drop."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html))
    except (ValueError, lxml.etree.ParserError):
        return ""
    for element in root.xpath("//script|//style|//noscript|//template"):
        element.drop_tree()
    best, chosen = 0.0, None
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in _NOT_CONTENT:
            continue
        paragraphs = sum(len(child.text_content()) for child in element if child.tag == "p")
        if not paragraphs:
            continue
        text = element.text_content()
        links = sum(len(link.text_content()) for link in element.iter("a"))
        score = (
            paragraphs - LINK_WEIGHT * links + PUNCTUATION_WEIGHT * len(_PUNCTUATION.findall(text))
        )
        if score > best:
            best, chosen = score, element
    if chosen is None:
        return ""
    lines = []
    for block in chosen.iter("p", "h1", "h2", "h3", "li", "div"):
        leaf = block.tag == "p" or not any(isinstance(child.tag, str) for child in block)
        line = " ".join(block.text_content().split())
        if line and leaf:
            lines.append(line)
    return "\n".join(dict.fromkeys(lines))


_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_NOT_CONTENT = frozenset({"nav", "footer", "header", "aside", "form", "head"})
_PUNCTUATION = re.compile(r"[。！？；，]")
LINK_WEIGHT = 0.5  # a character of link text counts against its block this much
PUNCTUATION_WEIGHT = 5  # characters a Chinese sentence mark is worth


def _without_recommendations(html: str, title: str = "") -> str:
    """The page less its blocks of other stories ("related", "recommended", "more
    stories", "hot news"), named so by their class or id: the extractors take a
    feed of summaries, or a whole recommended article, below a short article for
    part of it. A block that holds the page's title is kept, whatever its name: it
    is the article; so is one holding half the page's text, on a page whose title
    is not in its text."""
    if not _OTHER_STORIES.search(html):
        return html  # (cheap: most pages name no such block, and need no parse)
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html))
    except (ValueError, lxml.etree.ParserError):
        return html
    found = [
        element
        for element in root.iter(*_STORY_BLOCKS)
        if _OTHER_STORIES.search(names := f"{element.get('class', '')} {element.get('id', '')}")
        and not _OWN_CONTENT.search(names)
    ]
    if not found:
        return html
    key = "".join(title.split())
    body = "".join(root.text_content().split())
    titled = bool(key) and key in body
    for element in found:
        text = "".join(element.text_content().split())
        holds_page = key in text if titled else len(text) >= len(body) / 2
        if not holds_page:
            element.drop_tree()
    return str(lxml.html.tostring(root, encoding="unicode"))


_OTHER_STORIES = re.compile(r"recomm|relate|more[-_]?stories|hot[-_]?news", re.IGNORECASE)
# Blocks that may hold a feed; an inline element (a recommended product in a post) is not one.
_STORY_BLOCKS = ("div", "section", "aside", "ul", "ol", "table")
# The page's own content, however it is sorted: "recommended comments", "related author".
_OWN_CONTENT = re.compile(r"comment|repl|answer|author|user", re.IGNORECASE)


READABILITY = "readability-lxml"
DENSEST = "densest block"
PRECISE = "trafilatura (precision)"
FULLER = "trafilatura (recall)"
BASELINE = "trafilatura (baseline)"
_READERS: dict[str, Callable[[_Page], str]] = {
    READABILITY: lambda page: _readability(page.html),
    PRECISE: lambda page: _trafilatura(page, favor_precision=True),
    FULLER: lambda page: _trafilatura(page, favor_recall=True),
    DENSEST: lambda page: _densest_block(page.html),
}


def _text_of(fragment: str) -> str:
    """HTML as text, one block a line."""
    text = strip_markup(fragment)
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _read(page: _Page, *, forum: bool) -> tuple[dict[str, str], str, str]:
    """The readings made, the one to take and why. The two independent ones first: on
    an article page where they tell the same text (`_choose`'s first rule), that is the
    choice whatever trafilatura's two readings say, so they are not made. On the 178
    pages of html_dev and magic_html: 94 read twice, not four times; the same text and
    choice on every page as making all four; the extract stage in 74 % of the time."""
    readings = {name: _READERS[name](page) for name in (READABILITY, DENSEST)}
    if not forum and _agree(readings[READABILITY], readings[DENSEST]):
        return readings, READABILITY, f"{DENSEST} tells the same article"
    made = readings  # (in _READERS' order: `_choose` breaks ties by it)
    readings = {name: made[name] if name in made else read(page) for name, read in _READERS.items()}
    chosen, why = _choose(readings, forum=forum)
    return readings, chosen, why


def _agree(readability: str, densest: str) -> bool:
    return _f1(_Bigrams(readability), _Bigrams(densest)) >= INDEPENDENT_AGREE


def _choose(readings: dict[str, str], *, forum: bool) -> tuple[str, str]:
    """The reading to take, and why: the one whose bigrams agree best with the
    others' (ties: the longer), unless a reading telling the same text stands in."""
    grams = {name: _Bigrams(text) for name, text in readings.items()}
    scores: dict[frozenset[str], float] = {}

    def f1(one: str, other: str) -> float:
        """Bigram F1 of two readings, each pair computed once (F1 is symmetric)."""
        pair = frozenset((one, other))
        if pair not in scores:
            scores[pair] = _f1(grams[one], grams[other])
        return scores[pair]

    def agreement(name: str) -> tuple[float, int]:
        others = sum(f1(name, other) for other in grams if other != name)
        return others, len(readings[name])

    agreed = max(readings, key=agreement)
    chosen, why = agreed, "the reading that agrees best with the others"
    if not forum and f1(READABILITY, DENSEST) >= INDEPENDENT_AGREE:
        chosen, why = READABILITY, f"{DENSEST} tells the same article"
    elif chosen != PRECISE and f1(PRECISE, agreed) >= PRECISE_ENOUGH:
        chosen, why = PRECISE, f"telling the same article as {agreed} with less around it"
    fuller = readings[FULLER]
    if forum and len(fuller) > len(readings[chosen]) and f1(FULLER, chosen) >= HOLDS:
        chosen, why = FULLER, f"a forum thread: it holds the text of {chosen} and more replies"
    return chosen, why


# Bigram F1 of readability's reading with the densest block's for it to be taken: two
# methods that share nothing agree on it, where trafilatura's two readings, one
# method, agree with each other on a feed as readily as on an article.
INDEPENDENT_AGREE = 0.95
PRECISE_ENOUGH = 0.85  # bigram F1 with the chosen reading for trafilatura's precise one to stand in


class _Bigrams(Counter[str]):
    """The pairs of adjacent letters and digits of a text (casefolded), counted; and
    their number. Built and compared at C speed where it can be: on 1 MB of paragraphs
    the four readings' pairs took 1.1 s built one pair at a time in Python."""

    def __init__(self, text: str) -> None:
        kept = "".join(filter(str.isalnum, text.casefold()))
        super().__init__(map(add, kept, kept[1:]))
        self.pairs = max(len(kept) - 1, 0)


def _f1(a: _Bigrams, b: _Bigrams) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    get = large.get
    overlap = sum(min(count, get(pair, 0)) for pair, count in small.items())
    if not overlap:
        return 0.0
    precision, recall = overlap / a.pairs, overlap / b.pairs
    return 2 * precision * recall / (precision + recall)


def _title(html: str, page: _Page) -> str:
    """The article's title: trafilatura's reading of the page's metadata, else <title>."""
    title = _metadata_title(page)
    if not title:
        element = _title_element(html)
        title = _text_of(element) if element is not None else ""
    # `座谈会-中国科普网`, `项目启动--健康·生活--人民网`: the longest part is the title.
    parts = [part for part in _TITLE_SEPARATOR.split(" ".join(title.split())) if part.strip()]
    return max(parts, key=len) if parts else ""


def _metadata_title(page: _Page) -> str:
    """The title `trafilatura.extract_metadata(html).title` gives, by its own steps for
    the title alone (meta tags, JSON-LD, then the page's headings and <title>), without
    the author, date, site name, categories and licence it also reads: those took 4.0 of
    the 4.4 s its title cost on the 109 pages of magic_html, and 1.9 s on 1 MB of
    `<p>` tags (tests/test_extract.py checks that both give the same title)."""
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

    try:
        tree = page.tree
        if tree is None:
            return ""
        metadata = examine_meta(tree)
        if metadata.author and " " not in metadata.author:  # as extract_metadata does
            metadata.author = None
        with suppress(Exception):  # extract_metadata's own guard: bugs in its JSON-LD reading
            metadata = extract_meta_json(tree, metadata)
        if not metadata.title:
            metadata.title = extract_title(tree)
        metadata.clean_and_trim()
    except Exception:  # a page without usable metadata is no error
        return ""
    return metadata.title or ""


_TITLE_SEPARATOR = re.compile(r"\s*(?:--|——|[-_|｜])\s*")


_TITLE_OPENING = re.compile("<title", re.IGNORECASE)
_TITLE_CLOSING = re.compile("</title>", re.IGNORECASE)


def _title_element(html: str) -> str | None:
    """What `re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)` finds, in
    one scan: that regex searches to the end from every `<title` that is not closed.
    The first `<title` decides: a later one ends its tag at the same `>` or a later
    one, so it has no closing after it if the first has none."""
    opening = _TITLE_OPENING.search(html)
    if opening is None:
        return None
    end = html.find(">", opening.end())
    if end < 0:
        return None
    closing = _TITLE_CLOSING.search(html, end + 1)
    return None if closing is None else html[end + 1 : closing.start()]


# --- justext's paragraph revision, in linear time -------------------------------------


@cache
def _linear_justext() -> None:
    """Have trafilatura's justext fallback revise its paragraphs with
    `_revise_paragraphs`, which gives the same classes in linear time.

    justext 3.0's `revise_paragraph_classification` walks from every short or
    near-good paragraph to the nearest good or bad one on each side: a page of
    thousands of short paragraphs (a forum's one-line replies, a table) costs a
    walk over all of them per paragraph (a 512 KB page of replies took 13 s).
    Installed only where trafilatura still calls justext's own function, so a
    trafilatura that changes its fallback is left alone; tests/test_extract.py
    checks that both give the same classes.
    """
    import justext.core
    import trafilatura.external

    # (trafilatura.external imports the name from justext without re-exporting it)
    if getattr(trafilatura.external, "revise_paragraph_classification", None) is (
        justext.core.revise_paragraph_classification
    ):
        setattr(trafilatura.external, "revise_paragraph_classification", _revise_paragraphs)  # noqa: B010


_GOOD_OR_BAD = frozenset({"good", "bad"})
_GOOD_BAD_OR_NEAR = frozenset({"good", "bad", "neargood"})
MAX_HEADING_DISTANCE = 200  # justext's default


def _revise_paragraphs(
    paragraphs: list[Any], max_heading_distance: int = MAX_HEADING_DISTANCE
) -> None:
    """justext's `revise_paragraph_classification`, class for class, in linear time:
    each walk to a neighbour is a lookup in a table made by one pass each way."""
    if not paragraphs:
        return
    lengths: list[int] = []  # of each paragraph's text, computed on first need

    def within(start: int, found: list[int | None]) -> bool:
        """Whether justext's heading walk from `start` reaches `found[start]` before
        the text it passes exceeds the heading distance."""
        target = found[start]
        if target is None:
            return False
        if not lengths:
            lengths.extend(accumulate((len(p.text) for p in paragraphs), initial=0))
        # the paragraphs strictly between start and target
        return lengths[target] - lengths[start + 1] <= max_heading_distance

    # Good headings: justext compares with the classes the later paragraphs had before.
    before = [p.class_type for p in paragraphs]
    good_after = _nearest(before, frozenset({"good"}), forward=True)
    for i, paragraph in enumerate(paragraphs):
        paragraph.class_type = paragraph.cf_class
        if paragraph.heading and paragraph.class_type == "short" and within(i, good_after):
            paragraph.class_type = "neargood"
    # Short paragraphs: all judged on the classes as they stand now.
    classes = [p.class_type for p in paragraphs]
    previous = _neighbour_classes(classes, _GOOD_OR_BAD, forward=False)
    following = _neighbour_classes(classes, _GOOD_OR_BAD, forward=True)
    previous_near = _neighbour_classes(classes, _GOOD_BAD_OR_NEAR, forward=False)
    following_near = _neighbour_classes(classes, _GOOD_BAD_OR_NEAR, forward=True)
    for i, paragraph in enumerate(paragraphs):
        if classes[i] != "short":
            continue
        before_i, after_i = previous[i], following[i]
        if before_i == after_i:
            paragraph.class_type = before_i
        elif (before_i == "bad" and previous_near[i] == "neargood") or (
            after_i == "bad" and following_near[i] == "neargood"
        ):
            paragraph.class_type = "good"
        else:
            paragraph.class_type = "bad"
    # Near-good paragraphs, in order: those before are final, those after not yet.
    classes = [p.class_type for p in paragraphs]
    following = _neighbour_classes(classes, _GOOD_OR_BAD, forward=True)
    last = "bad"
    for i, paragraph in enumerate(paragraphs):
        if classes[i] == "neargood":
            paragraph.class_type = "bad" if (last, following[i]) == ("bad", "bad") else "good"
        if paragraph.class_type in _GOOD_OR_BAD:
            last = paragraph.class_type
    # More good headings.
    classes = [p.class_type for p in paragraphs]
    good_after = _nearest(classes, frozenset({"good"}), forward=True)
    for i, paragraph in enumerate(paragraphs):
        if (
            paragraph.heading
            and classes[i] == "bad"
            and paragraph.cf_class != "bad"
            and within(i, good_after)
        ):
            paragraph.class_type = "good"


def _nearest(classes: list[str], wanted: frozenset[str], *, forward: bool) -> list[int | None]:
    """For each index, the nearest other index on one side whose class is in `wanted`."""
    found: list[int | None] = [None] * len(classes)
    order = range(len(classes) - 1, -1, -1) if forward else range(len(classes))
    nearest: int | None = None
    for i in order:
        found[i] = nearest
        if classes[i] in wanted:
            nearest = i
    return found


def _neighbour_classes(classes: list[str], wanted: frozenset[str], *, forward: bool) -> list[str]:
    """justext's `get_next_neighbour` / `get_prev_neighbour` for every index: the class
    of the nearest paragraph on that side whose class is in `wanted`, else "bad"."""
    return [
        "bad" if index is None else classes[index]
        for index in _nearest(classes, wanted, forward=forward)
    ]


def fix(text: str, options: Options) -> Fixed:
    """The pipeline's step (`textmend.pipeline.Stage`): the article of an HTML page
    (`options.html` True, or None and the text looks like a page). It settles
    `options.html` for the later stages: True once an article was extracted."""
    if options.html is None and not looks_like_html(text):
        return Fixed(text, [], replace(options, html=False))
    changes: list[Change] = []
    article = extract_article(text, changes, options.html_reader)
    return Fixed(article, changes, replace(options, html=True))
