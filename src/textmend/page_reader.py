"""textmend's own article reader (`--html-reader fast`): one parse, one walk.

The page's text is cut into lines at block elements and `<br>`, as a browser shows
it. Each line gets a weight from what it holds: its text less its link text, its
sentence marks (Chinese prose is dense in `，。`; menus, dates and bylines have
none), less a fixed cost for being a line at all; scaled by what its blocks are
named (`comment`, `sidebar`, `footer` turn it against the article, `content`,
`article` count for it), and counted for less inside a feed of other stories
(sibling items of one shape, each with a headline link and a summary). The
article is the run of consecutive lines of the greatest total weight (Finn's
body-text extraction, on DOM lines: the family of CETD/GNE text and punctuation
density methods); lines of it outside the block that holds most of its weight
must weigh more to stay (a footer notice, a byline bar), and link lines are left
out. A thread (forum furniture words, blocks named as replies, or repeated posts
with short links) counts its replies as text, however short. Every figure behind
the choice is kept in the `Reading`, so the report can say which block and why.

Linear in the page: each element is entered and left once, block sums are added
bottom-up, the run is Kadane's, and each derived table is one pass.

The weights below were chosen on html_dev's tuning part and magic_html's pages
(benchmarks/bench_html.py, bench_junk.py section 1), not on html_dev's checking
part; docs/measurements.md gives both parts' figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.etree import _Element as HtmlElement

# Elements that start a new line, as a browser lays them out.
BLOCK_TAGS = frozenset(
    re.split(
        r"\s+",
        """address article aside blockquote body caption center dd details dialog dir div dl
        dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header
        hgroup hr html legend li main menu nav ol p pre section summary table tbody td tfoot
        th thead tr ul""",
    )
)
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements whose content is never article text (the page's title is read apart).
SKIPPED_TAGS = frozenset(
    re.split(
        r"\s+",
        """head script style noscript template svg math select option button textarea iframe
        object embed input map canvas audio video""",
    )
)
# Hidden as a browser hides it. Not visibility:hidden: WeChat hides its article so until a
# script runs.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
# Words of a forum thread's furniture: replies, floors, quotes.
# A floor is one digit before 楼 or # (`\d+\s*楼` tried every start of a digit run and
# every length of it: 20,000 digits took 4 s, quadratic; the count is the same).
FORUM_MARK = re.compile(
    r"楼主|回复|回覆|沙发|板凳|发表于|發表於|只看该作者|引用|\d\s{0,3}楼|\d#"
    r"|\b(?:Reply|Quote|Permalink|Posted by)\b"
)
FORUM_MARKS = 10  # of them on a page that is a thread

# Sentence marks: Chinese ones anywhere, Latin ones before a space (not in 10:34 or 5.26).
_PUNCTUATION = re.compile(r"[。！？；，、：]|[,.!?;:](?=\s|$)")

# Class and id words of blocks that are not the article, and of blocks that are.
# After readability's (which has them from arc90's), with Chinese sites' own names.
_NOT_ARTICLE = re.compile(
    r"comment|combx|disqus|foot|masthead|sidebar|side[-_]?bar|sponsor|ad[-_]?box|banner"
    r"|related|relate|recomm|hot[-_]?news|more[-_]?stories|share|social|breadcrumb|crumb"
    r"|copyright|nav|menu|widget|popup|login|toolbar|pager|pagination|tags?[-_]?list"
    r"|calendar|archive|friend[-_]?link|links?[-_]?list|rank|guess|modal|dialog|infobox|navbox",
    re.IGNORECASE,
)
_ARTICLE = re.compile(
    r"article|content|entry|post|text|body|main|story|detail|zhengwen|artibody|news[-_]?con",
    re.IGNORECASE,
)
# Blocks of other stories: not the article even where also named "content".
_OTHER_STORIES = re.compile(
    r"recomm|relate|more[-_]?stories|hot[-_]?news|guess|rank", re.IGNORECASE
)
# Replies: not the article, except on a thread, where they are the page's own text.
_REPLIES = re.compile(r"comment|repl|floor", re.IGNORECASE)

# Weights, in characters of plain text (chosen on html_dev's tuning part and magic_html).
LINE_COST = 12  # what a line must hold to count for its block
PUNCTUATION_WEIGHT = 4  # a sentence mark is worth this many characters
UNMARKED_SHARE = 0.5  # of its text a line without sentence marks counts
LINK_WEIGHT = 1.0  # a character of link text counts against its block this much
NOT_ARTICLE_FACTOR = -0.5  # a line in a block named like a comment or sidebar
ARTICLE_FACTOR = 1.2  # a positive line in a block named like an article
THREAD_SHARE = 0.4  # of the page's text in blocks named as replies, for a thread
WRAPPER_SHARE = 0.5  # of a block's text in an article-named block, for it to be a wrapper
TEASER_FACTOR = 0.3  # a positive line in an item of a feed of stories
POSTS_SHARE = 0.4  # of the page's text in repeated items, for them to be a thread's posts
POST_REPEATS = 4  # items at least
POSTS_LINK_SHARE = 0.3  # of link text in those items at most
POST_LARGEST_SHARE = 0.8  # of their text in the largest item, below which they are posts
POST_LINK_CHARS = 15  # the longest link of a post (median over posts) at most
FEED_LARGEST_SHARE = 0.5  # of a feed's text in its largest item, at most
ITEM_REPEATS = 3  # siblings of the same tag and class, for items of a feed
WEAK_RUN = 100  # a run's weight below which the page is read again without a line's cost
CORE_SHARE = 0.6  # of the run's positive weight in the article's own block
OUTSIDE_CORE_WEIGHT = 50  # weight a line of the run outside that block needs to stay
LINKY = 0.5  # share of link text above which a line is navigation, not text


@dataclass
class Line:
    """A line of the page as shown: its text and what the weight was made of."""

    text: str
    owner: int  # index of the innermost block element it is in
    chars: int
    links: int
    marks: int
    weight: float = 0.0


@dataclass(frozen=True)
class Reading:
    """The article a page's walk found, and what it was found by (for the report)."""

    text: str
    block: str = ""  # the block holding the run, tag#id.class as in a stylesheet
    core: str = ""  # the block inside it holding most of the run's weight
    first: int = 0  # the run: lines first..last (1-based) of the page's `lines`
    last: int = 0
    lines: int = 0
    weight: float = 0.0
    chars: int = 0
    link_share: float = 0.0
    marks: int = 0
    kept: int = 0
    thread: bool = False
    weak: bool = False  # read again without a line's cost
    feeds: int = 0  # groups of repeated items taken as feeds of other stories

    def explain(self) -> str:
        """Which block and why, in a sentence."""
        if not self.text:
            return "textmend's reader found no article text"
        parts = [
            f"article read by textmend's reader: lines {self.first}-{self.last} of "
            f"{self.lines} (weight {self.weight:,.0f}), in {self.block}",
        ]
        if self.core != self.block:
            parts.append(f"most of it in {self.core}")
        parts.append(
            f"{self.chars:,} characters, {self.marks:,} sentence marks, "
            f"{self.link_share:.0%} link text; {self.kept} of {self.last - self.first + 1} "
            "lines kept"
        )
        if self.thread:
            parts.append("a thread: its replies count as text")
        if self.feeds:
            parts.append(f"{self.feeds} list(s) of other stories counted against")
        if self.weak:
            parts.append("little prose on the page: lines weighed again without a line's cost")
        return "; ".join(parts)


def parse(html: str) -> HtmlElement | None:
    """The page's tree (lxml's HTML parser, comments and processing instructions
    left out), or None where lxml finds no document in it."""
    from lxml import etree

    # huge_tree: libxml2 otherwise drops what lies deeper than 256 elements, text and all
    parser = etree.HTMLParser(
        remove_comments=True, remove_pis=True, encoding="utf-8", huge_tree=True
    )
    try:
        root = etree.fromstring(html.encode("utf-8", "surrogatepass"), parser)
    except (ValueError, etree.ParserError, UnicodeEncodeError):
        return None
    return root


def title_of(root: HtmlElement) -> str:
    """The article's title: the longest heading (`<h1>`, `<h2>`) that the metadata's
    title or `<title>` holds (they add the site's name around it), else the longest
    part of that title (`座谈会-中国科普网`: the part before the site's name)."""
    meta = _first(root, _META_TITLE)
    page_title = _first(root, "//title//text()")
    headings = {_clean("".join(h.itertext())) for h in root.iter("h1", "h2")}
    named = [
        h for h in headings if 1 < len(h) <= MAX_TITLE_CHARS and (h in meta or h in page_title)
    ]
    if named:
        return max(named, key=len)
    parts = [part for part in _TITLE_SEPARATOR.split(meta or page_title) if part.strip()]
    return max(parts, key=len) if parts else ""


_META_TITLE = (
    '//meta[@property="og:title"]/@content|//meta[@name="twitter:title"]/@content'
    '|//meta[@name="title"]/@content'
)
_TITLE_SEPARATOR = re.compile(r"\s*(?:--|——|[-_|｜]|\s·\s)\s*")
MAX_TITLE_CHARS = 200


def _clean(text: str) -> str:
    return " ".join(text.split())


def _first(root: HtmlElement, xpath: str) -> str:
    found = root.xpath(xpath)
    if not found:
        return ""
    return _clean(found[0] if isinstance(found[0], str) else "".join(found[0].itertext()))


NOT_ARTICLE, REPLIES, ARTICLE = -1, -2, 1  # REPLIES: not the article, unless on a thread


def _name_kind(element: HtmlElement) -> int:
    name = f"{element.get('class') or ''} {element.get('id') or ''}"
    if not name.strip():
        return 0
    # cached (a page repeats its class names; the regexes were a quarter of a read),
    # but not names of any length
    return _kind_of_name(name) if len(name) <= CACHED_NAME_CHARS else _kind(name)


CACHED_NAME_CHARS = 256


@lru_cache(maxsize=4096)
def _kind_of_name(name: str) -> int:
    return _kind(name)


def _kind(name: str) -> int:
    found = _NOT_ARTICLE.search(name)
    if found and _REPLIES.search(name):
        return REPLIES
    if found and _OTHER_STORIES.search(name):  # whatever else it says: "recommend-content"
        return NOT_ARTICLE
    if _ARTICLE.search(name):  # and a word against it: "CopyrightRichText", "post-nav"
        return 0 if found else ARTICLE
    return NOT_ARTICLE if found else 0


def _hidden(element: HtmlElement) -> bool:
    return element.get("hidden") is not None or bool(
        _HIDDEN_STYLE.search(element.get("style") or "")
    )


def _label(element: HtmlElement) -> str:
    """The element as a stylesheet names it (`div#content.main`), for the report."""
    label = element.tag if isinstance(element.tag, str) else "?"
    if element.get("id"):
        label += "#" + element.get("id").strip()
    if element.get("class"):
        label += "." + ".".join(element.get("class").split())
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


MAX_LABEL_CHARS = 80


class _Walk:
    """The lines of a page and its blocks, in document order."""

    def __init__(self, root: HtmlElement, *, thread: bool) -> None:
        self.elements: list[HtmlElement] = []
        self.parents: list[int] = []
        self.ends: list[int] = []  # last descendant's index, for each element
        self.anchors: list[bool] = []
        self.blocks: list[bool] = []
        self.names: list[int] = []  # what each element's name says: NOT_ARTICLE, ... or 0
        self.lines: list[Line] = []
        self._walk(root)
        self.chars = self._chars()
        self.items = self._item_groups()
        self.thread = (
            thread
            or self._forum_marks() >= FORUM_MARKS
            or self._replies_share() >= THREAD_SHARE
            or self._posts(self.items)
        )
        self.factors = self._factors()
        self.in_post = [False] * len(self.elements)
        if self.thread:
            for index in (item for group in self.items for item in group):
                self.in_post[index] = True
            for index, name in enumerate(self.names):
                parent = self.parents[index]
                self.in_post[index] |= name == REPLIES or (parent >= 0 and self.in_post[parent])

    def children(self, index: int) -> list[int]:
        """The element's children, in order."""
        found, child = [], index + 1
        while child <= self.ends[index]:
            found.append(child)
            child = self.ends[child] + 1
        return found

    def _chars(self) -> list[int]:
        """Characters of text in each element (and of link text, kept apart)."""
        n = len(self.elements)
        chars = [0] * n
        links = self.link_chars = [0] * n
        # the element's lines are self.lines[first:end] (its subtree's lines are contiguous)
        first, end = [len(self.lines)] * n, [0] * n
        for number, line in enumerate(self.lines):
            chars[line.owner] += line.chars
            links[line.owner] += line.links
            first[line.owner] = min(first[line.owner], number)
            end[line.owner] = number + 1
        for index in range(n - 1, 0, -1):
            parent = self.parents[index]
            if parent >= 0:
                chars[parent] += chars[index]
                links[parent] += links[index]
                first[parent] = min(first[parent], first[index])
                end[parent] = max(end[parent], end[index])
        self.line_span = list(zip(first, end, strict=True))
        return chars

    def _forum_marks(self) -> int:
        return len(FORUM_MARK.findall("\n".join(line.text for line in self.lines)))

    def _replies_share(self) -> float:
        """The share of the page's text (less its links: menus are no text) in
        outermost blocks named as replies."""
        page = self.chars[0] - self.link_chars[0] if self.chars else 0
        if page <= 0:
            return 0.0
        total, index = 0, 0
        while index < len(self.elements):
            if self.names[index] == REPLIES:
                total += self.chars[index] - self.link_chars[index]
                index = self.ends[index] + 1
            else:
                index += 1
        return total / page

    def _factors(self) -> list[float]:
        """The name factor in force inside each element: its own name's, else its
        parent's. A block most of whose text is in a block named as the article is a
        wrapper whatever its own name (an unclosed breadcrumb `<div>` holds the page)."""
        named_article = [0] * len(self.elements)  # text in its largest article-named block
        for index in range(len(self.elements) - 1, -1, -1):
            if self.names[index] == ARTICLE:
                named_article[index] = self.chars[index]
            parent = self.parents[index]
            if parent >= 0 and named_article[index] > named_article[parent]:
                named_article[parent] = named_article[index]
        factors = [1.0] * len(self.elements)
        for index, name in enumerate(self.names):
            parent = self.parents[index]
            factor = factors[parent] if parent >= 0 else 1.0
            against = name == NOT_ARTICLE or (name == REPLIES and not self.thread)
            if against and named_article[index] <= WRAPPER_SHARE * self.chars[index]:
                factor = NOT_ARTICLE_FACTOR
            elif name == ARTICLE and factor > 0:
                factor = ARTICLE_FACTOR
            factors[index] = factor
        self.feeds = [] if self.thread else self._feeds()
        for group in self.feeds:
            for index in group:
                for inside in range(index, self.ends[index] + 1):
                    if factors[inside] > TEASER_FACTOR:
                        factors[inside] = TEASER_FACTOR
        return factors

    def _item_groups(self) -> list[list[int]]:
        """Groups of repeated items: elements holding a link and a block that repeat
        with the same tag and class among their siblings (stories of a feed: headline,
        summary, date; or posts of a thread: author, time, text). An article's
        paragraphs hold no block. Outermost items only."""
        n = len(self.elements)
        links = [int(anchor) for anchor in self.anchors]
        has_block = [False] * n
        for index in range(n - 1, 0, -1):
            parent = self.parents[index]
            if parent >= 0:
                links[parent] += links[index]
                if self.blocks[index]:
                    has_block[parent] = True
        groups: dict[tuple[int, str], list[int]] = {}
        signature = [""] * n
        for index in range(1, n):
            element = self.elements[index]
            if links[index] and has_block[index] and self.chars[index]:
                signature[index] = f"{element.tag}.{element.get('class') or ''}"
                groups.setdefault((self.parents[index], signature[index]), []).append(index)
        found, index = [], 0
        while index < n:
            group = (
                groups.get((self.parents[index], signature[index])) if signature[index] else None
            )
            if group is not None and len(group) >= ITEM_REPEATS:
                found.append(group)
                index = self.ends[group[-1]] + 1
            else:
                index += 1
        return found

    def _feeds(self) -> list[list[int]]:
        """The groups of items that are feeds of stories: items of similar size (a
        page laid out in repeated tables holds its article in one of them)."""
        return [
            group
            for group in self.items
            if max(self.chars[index] for index in group)
            < FEED_LARGEST_SHARE * sum(self.chars[index] for index in group)
        ]

    def _posts(self, groups: list[list[int]]) -> bool:
        """Whether a group of items is a thread's posts: much of the page's text, in
        items with little link text whose links are short (an author's name, "reply";
        a feed's are headlines), none of them holding most of it (a page laid out in
        repeated tables holds its article in one)."""
        total = self.chars[0] if self.chars else 0
        for group in groups:
            chars = sum(self.chars[index] for index in group)
            if not total or len(group) < POST_REPEATS or chars < POSTS_SHARE * total:
                continue
            links = sum(self.link_chars[index] for index in group)
            largest = max(self.chars[index] for index in group)
            if (
                links <= POSTS_LINK_SHARE * chars
                and largest < POST_LARGEST_SHARE * chars
                and _median([self._longest_link(index) for index in group]) <= POST_LINK_CHARS
            ):
                return True
        return False

    def _longest_link(self, index: int) -> int:
        """The most link text on one line of the element."""
        lines = self.lines[self.line_span[index][0] : self.line_span[index][1]]
        return max((line.links for line in lines), default=0)

    def _walk(self, root: HtmlElement) -> None:
        from lxml import etree

        pieces: list[str] = []
        link_chars = marks = 0
        blocks: list[int] = []  # open block elements
        opened: list[int] = []  # open elements
        in_link = 0
        skipping: HtmlElement | None = None

        def add(text: str | None) -> None:
            nonlocal link_chars, marks
            if not text:
                return
            pieces.append(text)
            if in_link:
                link_chars += len(text) - text.count(" ") - text.count("\n")
            else:
                marks += len(_PUNCTUATION.findall(text))

        def flush() -> None:
            nonlocal link_chars, marks
            if pieces:
                text = " ".join("".join(pieces).split())
                if text and blocks:
                    chars = len(text) - text.count(" ")
                    self.lines.append(Line(text, blocks[-1], chars, min(link_chars, chars), marks))
                pieces.clear()
            link_chars = marks = 0

        for event, element in etree.iterwalk(root, events=("start", "end")):
            if skipping is not None:
                if event == "end" and element is skipping:
                    skipping = None
                    add(element.tail)
                continue
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                if not tag or tag in SKIPPED_TAGS or _hidden(element):
                    skipping = element
                    continue
                block = tag in BLOCK_TAGS
                if block or tag == "br":
                    flush()
                index = len(self.elements)
                self.elements.append(element)
                self.anchors.append(tag == "a")
                self.blocks.append(tag in BLOCK_TAGS)
                self.parents.append(opened[-1] if opened else -1)
                self.ends.append(index)
                self.names.append(_name_kind(element))
                opened.append(index)
                if block:
                    blocks.append(index)
                if tag == "a":
                    in_link += 1
                add(element.text)
            else:
                index = opened.pop()
                self.ends[index] = len(self.elements) - 1
                if tag in BLOCK_TAGS:
                    flush()
                    blocks.pop()
                if tag == "a":
                    in_link -= 1
                if element is not root:
                    add(element.tail)
        flush()


def _median(values: list[int]) -> float:
    """(statistics.median, whose import costs start-up more than this.)"""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _weigh(line: Line, factor: float, post: bool) -> float:
    """A line's weight: its text and sentence marks, less its links and a line's cost
    (not charged in a thread's post: a reply may be two words); text without a
    sentence mark (a headline, a menu, a byline) counts for less. A positive weight
    is scaled by its block's name factor (turned against it in a block named as not
    the article)."""
    if line.links > LINKY * line.chars:
        return -LINK_WEIGHT * line.links - LINE_COST
    text: float = line.chars - line.links
    if not line.marks:
        text *= UNMARKED_SHARE
    weight = text + PUNCTUATION_WEIGHT * line.marks - LINK_WEIGHT * line.links
    if not post:
        weight -= LINE_COST
    return weight * factor if weight > 0 else weight


def _best_run(weights: list[float]) -> tuple[int, int, float]:
    """The contiguous run of lines with the largest total weight (Kadane): start, end
    (exclusive) and total."""
    best = (0, 0, 0.0)
    start, total = 0, 0.0
    for index, weight in enumerate(weights):
        if total <= 0:
            start, total = index, 0.0
        total += weight
        if total > best[2]:
            best = (start, index + 1, total)
    return best


def _widened(lines: list[Line], start: int, end: int) -> tuple[int, int, float]:
    """The run from `start` to `end` widened by the heaviest stretch that ends just
    before it and the heaviest that starts just after it, where they weigh more
    than nothing."""
    score = sum(line.weight for line in lines[start:end])
    best, total, first = 0.0, 0.0, start
    for index in range(start - 1, -1, -1):
        total += lines[index].weight
        if total > best:
            best, first = total, index
    score += best
    best, total, last = 0.0, 0.0, end
    for index in range(end, len(lines)):
        total += lines[index].weight
        if total > best:
            best, last = total, index + 1
    return first, last, score + best


def _core(walk: _Walk, inside: list[Line], top: int) -> int:
    """The innermost element under `top` holding most of the run's positive weight:
    the article's own block. Lines of the run outside it (a byline bar, the footer
    below, a disclaimer) must weigh more to stay."""
    held = [0.0] * (walk.ends[top] + 1 - top)  # by element index less top
    for line in inside:
        if line.weight > 0:
            held[line.owner - top] += line.weight
    for index in range(walk.ends[top], top, -1):
        held[walk.parents[index] - top] += held[index - top]
    core = top
    while True:
        heavy = [
            child for child in walk.children(core) if held[child - top] >= CORE_SHARE * held[0]
        ]
        if not heavy:
            return core
        core = heavy[0]


def _common_ancestor(walk: _Walk, first: int, last: int) -> int:
    """The innermost element holding both elements."""
    index = first
    while index >= 0 and not (index <= last <= walk.ends[index]):
        index = walk.parents[index]
    return max(index, 0)


def read(root: HtmlElement, *, thread: bool = False) -> Reading:
    """The page's article: its run of lines with the most weight. Where that run is
    weak (no prose on the page: a table of contents, a short post of short lines),
    lines are weighed again without a line's cost, and the run widened where that
    adds weight on either side."""
    walk = _Walk(root, thread=thread)
    if not walk.lines:
        return Reading("")
    for line in walk.lines:
        line.weight = _weigh(line, walk.factors[line.owner], walk.in_post[line.owner])
    start, end, score = _best_run([line.weight for line in walk.lines])
    weak = score < WEAK_RUN
    if weak:
        for line in walk.lines:
            line.weight = _weigh(line, walk.factors[line.owner], True)
        if end > start:
            start, end, score = _widened(walk.lines, start, end)
        else:  # no line paid its cost: the heaviest run of all
            start, end, score = _best_run([line.weight for line in walk.lines])
    if end <= start:
        return Reading("", lines=len(walk.lines), thread=walk.thread)
    inside = walk.lines[start:end]
    best = _common_ancestor(walk, inside[0].owner, inside[-1].owner)
    core = _core(walk, inside, best)
    first, last = walk.line_span[core]
    base = walk.factors[best]
    kept = [
        line
        for number, line in enumerate(inside, start)
        if line.links <= LINKY * line.chars
        and not (line.links and line.weight < 0 and walk.elements[line.owner].tag not in HEADINGS)
        and (walk.factors[line.owner] > 0 or base < 0)
        and (first <= number < last or line.weight >= OUTSIDE_CORE_WEIGHT)
    ]
    chars = sum(line.chars for line in inside)
    return Reading(
        "\n".join(line.text for line in kept),
        block=_label(walk.elements[best]),
        core=_label(walk.elements[core]),
        first=start + 1,
        last=end,
        lines=len(walk.lines),
        weight=score,
        chars=chars,
        link_share=sum(line.links for line in inside) / chars if chars else 0.0,
        marks=sum(line.marks for line in inside),
        kept=len(kept),
        thread=walk.thread,
        weak=weak,
        feeds=len(walk.feeds),
    )
