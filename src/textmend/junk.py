"""Remove junk lines: keyword-stuffed spam headers, generator residue, site boilerplate.

Every line gets a label from features of the line and of its place in the page:
ARTICLE and TITLE are kept, SEO_SPAM, MARKUP, BOILERPLATE, META and DUPLICATE
are removed. A line is only removed on positive evidence (lexicon, pattern,
repeat of an earlier line outside the article, a page's furniture); anything
unrecognised stays, and so does a document's only content.

A line is judged by its place only in a text long enough to be a page, and the
furniture around an article only where the text shows some (lines the lexicons
label, share cards): then what lies beyond such a line, or in a run of short lines
(a menu), goes; a list, a caption or a reply next to the article stays.

Every step is linear in the size of the text: lines are indexed by content
(dicts, one sorted index) instead of rescanned, and no pattern can backtrack
over a long line (separators are split, not matched with nested repeats).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from itertools import accumulate

from .lexicon import entries, filterable, fold, literal_filter, required_literals
from .options import Options
from .result import Change, Fixed

STAGE = "junk"

# --- thresholds -------------------------------------------------------------------------
# Lines
MIN_PROSE_LENGTH = 20  # characters of a line of prose (with sentence punctuation)
MAX_TITLE_LENGTH = 60  # characters of a title-like line
MIN_DUPLICATE_LENGTH = 6  # characters of the lead's start a share card repeats
MIN_CUT_COPY = 10  # characters of a paragraph's start that make a copy of it
MAX_NOTICE = 300  # characters of the longest line searched for notice phrases
# The lexicons' literal filters (`_Hits`) are built once this process has judged this
# many lines: building them took 51 ms, and they save about 11 us a line on English
# and Japanese text (none on Chinese), so a process cleaning one small file never
# pays for them, and one cleaning a corpus has them after a few hundred documents.
FILTER_AFTER_LINES = 5_000
NOTICE_HEAD = 40  # characters of a long line whose script matters to the lexicons
SPAM_SHORT_LINE = 100  # characters: a line half this short with a term and a URL is an advert
SPAM_DENSITY = 0.35  # share of a punctuated line that three or more spam terms must cover
# Pages. Lines are judged by their place (share cards, lists under a heading) only in a
# text of PAGE_MIN_LINES or more; the furniture around an article is looked for only in
# a Chinese text that also shows PAGE_MIN_FURNITURE lines of a page's furniture (see
# FURNITURE: bylines, dates and code stand in articles and threads too). Measured on
# ../shared/corpora/html/magic_html: the visible text of 72 of its 75 Chinese pages
# shows 2 or more; of its 75 Chinese hand-checked article and thread texts, 2 do (both
# hold advert cards the reference kept).
PAGE_MIN_LINES = 8  # non-empty lines
PAGE_SHORT_SHARE = 0.4  # of them short and not prose: menus, links, buttons
PAGE_MIN_FURNITURE = 2  # lines labelled BOILERPLATE, SEO_SPAM or DUPLICATE
HAN_SHARE = 0.3  # of a page's characters, for it to be a Chinese page
# The main prose block (maximum-sum runs of lines from prose to prose).
SHORT_LINE_COST = 5  # what a short line costs the main block beyond its length
MIN_BLOCK = 100  # characters of prose the main block of a page holds
FIRST_BLOCK_SHARE = 0.5  # of the best run's score, for an earlier run to be the article
BLOCK_SHARE = 0.1  # of all the text's prose
TITLE_REACH = 3  # unlabelled lines above the article where its title may stand
LEAD_CHARS = 200  # of the article's first line, compared with title candidates
# Furniture outside the article starts at a line labelled furniture, a closing line or
# a run of MENU_RUN short lines (a menu, a list of links). Plain-text F1 on the Chinese
# visible page texts of magic_html (articles / forums) for MENU_RUN 2, 3, 4, 5: 0.926 /
# 0.653, 0.926 / 0.655, 0.922 / 0.656, 0.921 / 0.658; 2 also costs a line of a
# hand-checked text (a short reply). 3: the shortest run that costs none.
MENU_RUN = 3
# Batches (--dedupe-lines)
MIN_REPEATS = 3  # documents a line must appear in to count as the batch's boilerplate
REPEAT_SHARE = 0.1  # ... and this share of the batch's documents


class Label(str, Enum):
    ARTICLE = "ARTICLE"
    TITLE = "TITLE"
    SEO_SPAM = "SEO_SPAM"
    MARKUP = "MARKUP"
    BOILERPLATE = "BOILERPLATE"
    META = "META"
    DUPLICATE = "DUPLICATE"


KEPT = frozenset({Label.ARTICLE, Label.TITLE})
# Labels that say a line is no one's text: a lone line so labelled may go even when
# it is all a document holds (a spam header, a bullet, a tag).
NOT_TEXT = frozenset({Label.SEO_SPAM, Label.MARKUP})
# Labels of a page's furniture: boilerplate, spam, share cards (bylines, dates and code
# stand in articles and threads too).
FURNITURE = frozenset({Label.BOILERPLATE, Label.SEO_SPAM, Label.DUPLICATE})

Own = list[tuple[Label, str] | None]  # each line's label so far (None: not judged junk)

_SENTENCE_PUNCTUATION = re.compile(r"[。！？；，,.!?;]")
_SENTENCE_END = re.compile(r"[。！？；，：,.!?;:]")
_SENTENCE_CLOSE = re.compile(r"[。！？!?…][”」』）)]?$")  # a short line that ends a sentence
_BULLETS_ONLY = re.compile(r"[\s•●○■□◆◇▪▫►▶»›·]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KANA = re.compile(r"[\u3040-\u30ff]")
_BRACKETED_HEAD = re.compile(r"^【[^】]{1,30}】")
# A line of an article's own list, table or dialogue: a numbered item (`1. 重(chóng)`,
# `（2）`, `三、`), a bullet item (`- 读音：chóng`; `-216.12` is a figure, not an item),
# a `label：value` line (`含义：重复`, `问：…`, `成人票原价：165元`). Neither prose nor a
# page's furniture: it neither adds to a prose run nor breaks it, and is never a menu's.
_LIST_LINE = re.compile(
    r"(?:(?:\d{1,3}[、.．)）]|[(（]\d{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|[•·▪►])\s*"
    r"|[-*]\s+)\S.*"
    r"|[^：:]{1,12}[：:]\s*\S.*"
)
_BULLET_ITEM = re.compile(r"[-•·▪*►]\s*\S")
_NUMBERED_ITEM = re.compile(r"\d{1,2}[.、)）]\s*\S")


@dataclass(frozen=True)
class LineLabel:
    number: int
    text: str
    label: Label
    reason: str


def remove_junk(
    text: str,
    changes: list[Change] | None = None,
    keep: frozenset[str] = frozenset(),
    repeated: frozenset[str] = frozenset(),
    extracted: bool = False,
) -> str:
    """Drop every line not labelled ARTICLE or TITLE (or named in `keep`), recording
    each with its label; lines in `repeated` (see `repeated_lines`) are DUPLICATE.
    `extracted`: the text is an extractor's article, not a whole page's text, so
    no main block is looked for in it."""
    raw = text.split("\n")
    own, _ = _judge(raw, repeated, extracted)
    kept: list[str] = []
    for number, (line, label) in enumerate(zip(raw, own, strict=True), 1):
        if label is None or label[0] in keep:  # (a Label is its name as a str)
            kept.append(line)
        elif changes is not None:
            changes.append(Change(STAGE, number, line, "", label[1], label[0].value))
    if len(kept) == len(raw):
        return text
    return "\n".join(kept)


def label_lines(
    text: str, repeated: frozenset[str] = frozenset(), extracted: bool = False
) -> list[LineLabel]:
    """Label every line of `text` (blank lines are ARTICLE: layout deals with them)."""
    raw = text.split("\n")
    own, last = _judge(raw, repeated, extracted)
    result: list[LineLabel] = []
    for index, (line, label) in enumerate(zip(raw, own, strict=True)):
        if label is None:
            kind = Label.TITLE if index <= last and _is_title(line.strip()) else Label.ARTICLE
            label = (kind, "")
        result.append(LineLabel(index + 1, line, label[0], label[1]))
    return result


def _judge(raw: list[str], repeated: frozenset[str], extracted: bool) -> tuple[Own, int]:
    """Each line's junk label (None: kept), and the index of the article's last prose
    line (titles stand above it)."""
    lines = [line.strip() for line in raw]
    hits = _Hits.of(lines)
    judged: dict[str, tuple[Label, str] | None] = {}  # a line repeated is judged once
    own: Own = [
        judged[line] if line in judged else judged.setdefault(line, _own_label(line, hits))
        for line in lines
    ]
    if repeated:
        for index, line in enumerate(lines):
            if own[index] is None and line in repeated:
                own[index] = (Label.DUPLICATE, "repeats across the documents of the batch")
    last = _mark_page(lines, own, extracted, hits)
    _keep_only_content(lines, own)
    return own, last


def _keep_only_content(lines: list[str], own: Own) -> None:
    """A document's only content is never removed: when no line would be kept, the
    lines judged by a pattern or by their place (a byline-like `記者:林太,你好`, a
    lone date) stay; spam headers and markup residue, no one's text, still go."""
    if any(line and label is None for line, label in zip(lines, own, strict=True)):
        return
    for index, label in enumerate(own):
        if label is not None and label[0] not in NOT_TEXT:
            own[index] = None


# --- the page: its article and the furniture around it ----------------------------------


def _mark_page(lines: list[str], own: Own, extracted: bool, hits: _Hits) -> int:
    """Label the lines a page's structure shows to be junk (share cards, lists under a
    boilerplate heading, furniture outside the article); return the index of the
    article's last prose line (-1 if none): titles stand above it."""
    filled = [i for i, line in enumerate(lines) if line]
    if len(filled) < PAGE_MIN_LINES:
        return _last_prose(lines, own)  # too short to have a page's structure
    chinese = _chinese(lines)
    if chinese:
        _mark_cut_copies(lines, own)
    _mark_share_cards(lines, own)
    _mark_lists_under(lines, own)
    if not chinese or _furniture_count(own) < PAGE_MIN_FURNITURE:
        # Not a Chinese page's text (measured on those only: Korean law has short
        # headings too), or an article or a thread: no furniture to remove around it.
        return _last_prose(lines, own)
    _mark_separators(lines, own)
    prose = [i for i in filled if own[i] is None and _is_prose(lines[i])]
    if not prose:
        return -1
    block = None if extracted else _main_block(lines, own, filled, hits)
    start, end = block if block is not None else (prose[0], prose[-1])
    title = _title_above(lines, own, start)
    if block is None and not extracted:
        _mark_menus(lines, own, filled, title)  # no article found: only menus go
        return prose[-1]
    while end + 1 < len(lines) and lines[end + 1].endswith(("：", ":")):
        end += 1  # `详见下表：` announces what follows; it is the article's
    _mark_furniture(lines, own, filled, (start, end), title, block is not None, hits)
    inside = [i for i in prose if start <= i <= end and own[i] is None]
    return inside[-1] if inside else -1


def _last_prose(lines: list[str], own: Own) -> int:
    return max(
        (i for i, line in enumerate(lines) if own[i] is None and _is_prose(line)), default=-1
    )


def _furniture_count(own: Own) -> int:
    return sum(label is not None and label[0] in FURNITURE for label in own)


def _chinese(lines: list[str]) -> bool:
    """Chinese text: no kana, and Han characters a fair share of it."""
    text = "".join(lines)
    if _KANA.search(text):
        return False
    han = sum(map(len, _HAN_RUN.findall(text)))
    return han >= HAN_SHARE * len(text)


def _is_barrier(line: str, label: tuple[Label, str] | None, hits: _Hits) -> bool:
    """A line that shows the page's furniture (a menu row, a copyright line, `猜你喜欢`)
    or closes the article (an editor's credit, a disclaimer)."""
    return (label is not None and label[0] in FURNITURE) or _ends_article(line, hits)


def _mark_furniture(
    lines: list[str],
    own: Own,
    filled: list[int],
    article: tuple[int, int],
    title: int | None,
    block: bool,
    hits: _Hits,
) -> None:
    """Outside the `article` (first and last line), a page's furniture: the nearest
    line above it and the nearest below it that show furniture (a line labelled so, a
    closing line, a run of MENU_RUN short lines: a menu, a list of links), all beyond
    them, and all above the `title`. What stands between such a line and the article is
    kept: a caption, a byline, a fragment of a paragraph, a reply."""
    start, end = article
    menus = _menu_lines(lines, own, filled)
    barriers = [i for i in filled if i in menus or _is_barrier(lines[i], own[i], hits)]
    head = max((i for i in barriers if i < start), default=-1)
    if title is not None:
        head = max(head, title - 1)  # the article starts at its title
    tail = min((i for i in barriers if i > end), default=len(lines))
    where = "outside the main prose block of a page" if block else "outside the article on a page"
    for index in filled:
        beyond = index <= head or index >= tail
        if own[index] is None and beyond and index != title:
            own[index] = (Label.BOILERPLATE, f"{where}, past its furniture")


_SEPARATORS_ONLY = re.compile(r"[\s\-=_*~|#+.·•—>“”\"'<]+")


def _mark_separators(lines: list[str], own: Own) -> None:
    """On a page, a line of separators only (`-----`, `* * *`, `| | |`): no text."""
    for index, line in enumerate(lines):
        if line and own[index] is None and _SEPARATORS_ONLY.fullmatch(line):
            own[index] = (Label.MARKUP, "only separators, on a page that shows its furniture")


def _mark_menus(lines: list[str], own: Own, filled: list[int], title: int | None) -> None:
    """Runs of MENU_RUN short lines: a page's menus and lists of links (not the title
    of the article, which may stand next to them)."""
    for index in _menu_lines(lines, own, filled):
        if own[index] is None and index != title:
            own[index] = (Label.BOILERPLATE, "a run of short lines on a page (menu, links)")


def _title_above(lines: list[str], own: Own, start: int) -> int | None:
    """The title: a title-like line among the few just above the article, the one that
    shares most characters with its first paragraph (a byline or a caption shares few);
    or the article's first line, if that reads as a title."""
    if _is_title(lines[start]):
        return start
    lead = set(_HAN.findall(lines[start][:LEAD_CHARS]))
    near: list[int] = []
    for index in range(start - 1, -1, -1):
        if len(near) == TITLE_REACH:
            break
        if lines[index] and own[index] is None:
            near.append(index)
    titles = [i for i in near if _is_title(lines[i])]
    return max(titles, key=lambda i: (_shared(lines[i], lead), i), default=None)


def _shared(line: str, lead: set[str]) -> float:
    """Share of the line's Han characters found in the lead: a title shares its words
    with the lead, a byline or a caption does not."""
    han = set(_HAN.findall(line))
    return len(han & lead) / len(han) if han else 0.0


def _menu_lines(lines: list[str], own: Own, filled: list[int]) -> set[int]:
    """Lines in runs of MENU_RUN or more consecutive short lines."""
    menus: set[int] = set()
    run: list[int] = []
    for index in [*filled, len(lines)]:
        if index < len(lines) and _short(lines[index], own[index]):
            run.append(index)
            continue
        if len(run) >= MENU_RUN:
            menus.update(run)
        run = []
    return menus


def _short(line: str, label: tuple[Label, str] | None) -> bool:
    """A line a menu is made of: a link's text or a button, not a sentence, a clause
    (a verse ending in a comma) or a list item, and not labelled yet (a labelled line
    shows furniture by itself)."""
    if label is not None:
        return False
    return not (_prose_like(line) or line.endswith(_CLAUSE_ENDS) or _LIST_LINE.fullmatch(line))


_CLAUSE_ENDS = ("，", "、", "；", ",", ";")


def _prose_like(line: str) -> bool:
    """Prose, or a short line that ends a sentence (`小很多。`)."""
    return _is_prose(line) or _SENTENCE_CLOSE.search(line) is not None


def _main_block(
    lines: list[str], own: Own, filled: list[int], hits: _Hits
) -> tuple[int, int] | None:
    """The span of lines, from prose line to prose line, that holds the most prose
    for the short lines it takes in (the best-scoring run, Kadane's algorithm), if
    the text reads as a whole page's text (many short lines that are not prose).
    An article (all paragraphs) is not a page: nothing in it is outside."""
    short = [i for i in filled if not _is_prose(lines[i])]
    if len(short) < PAGE_SHORT_SHARE * len(filled):
        return None
    runs, ends = _prose_runs(lines, own, filled, hits)
    best = max((score for score, _, _ in runs), default=0.0)
    # The article comes first; a page's feed of other stories may hold more prose.
    # Its first run the page closes (an editor's credit, a disclaimer, `猜你喜欢`) is
    # the article however short; else the first run with half the best one's score.
    starts = [a for _, a, _ in runs] + [len(lines)]
    closed = (
        (a, b)
        for (score, a, b), following in zip(runs, starts[1:], strict=True)
        if score >= MIN_BLOCK and _closed(ends, b, following)
    )
    first = ((a, b) for score, a, b in runs if score >= FIRST_BLOCK_SHARE * best and score > 0)
    ended, leading = next(closed, None), next(first, None)
    if ended is not None and (leading is None or ended <= leading):
        return ended  # a run the page closes is an article, however short
    if leading is None:
        return None
    start, end = leading
    inside = sum(len(lines[i]) for i in filled if start <= i <= end and _is_prose(lines[i]))
    everywhere = sum(len(lines[i]) for i in filled if _is_prose(lines[i]))
    if inside < MIN_BLOCK or inside < BLOCK_SHARE * everywhere:
        return None  # no article in it: a list, a log, a table of contents
    return leading


def _closed(ends: list[int], after: int, before: int) -> bool:
    """Whether a closing line stands between lines `after` and `before` (`ends` sorted)."""
    at = bisect_right(ends, after)
    return at < len(ends) and ends[at] < before


def _prose_runs(
    lines: list[str], own: Own, filled: list[int], hits: _Hits
) -> tuple[list[tuple[float, int, int]], list[int]]:
    """Each maximum-sum run's best (score, start, end), and the lines that close an
    article (a run stops there). Prose scores its length, a short line costs its length
    and SHORT_LINE_COST, a list item (the article's own list or table) nothing."""
    runs: list[tuple[float, int, int]] = []
    ends: list[int] = []
    total, start = 0.0, None
    for index in filled:
        line = lines[index]
        if _ends_article(line, hits):
            ends.append(index)
            start, total = None, 0.0
            continue
        prose = own[index] is None and _prose_like(line)
        if prose:
            score = len(line)
        elif own[index] is None and _LIST_LINE.fullmatch(line):
            score = 0
        else:
            score = -(len(line) + SHORT_LINE_COST)
        if start is None:
            if not prose:
                continue
            start, total = index, 0.0
            runs.append((0.0, start, start))
        total += score
        if total <= 0:
            start, total = None, 0.0
        elif prose and total > runs[-1][0]:
            runs[-1] = (total, start, index)
    return runs, ends


# --- share cards and lists under boilerplate headings ------------------------------------


def _next_filled(lines: list[str]) -> list[int | None]:
    """For each line, the index of the next non-empty line after it (None if none)."""
    following: list[int | None] = [None] * len(lines)
    upcoming: int | None = None
    for index in range(len(lines) - 1, -1, -1):
        following[index] = upcoming
        if lines[index]:
            upcoming = index
    return following


def _mark_share_cards(lines: list[str], own: Own) -> None:
    """After the lead (the first paragraph), the title followed by the start of the lead
    (perhaps cut off with an ellipsis, perhaps whole) is a share card."""
    first = next((i for i, line in enumerate(lines) if own[i] is None and _is_prose(line)), None)
    if first is None:
        return
    title = next(
        (lines[i] for i in range(first - 1, -1, -1) if own[i] is None and _is_title(lines[i])),
        "",
    )
    lead = lines[first]
    if not _has_text(title) or _without_ellipsis(lead) != lead:
        return  # no title; or the first paragraph is itself cut off: a copy
    following = _next_filled(lines)
    for index in range(first + 1, len(lines)):
        if own[index] is not None or lines[index] != title:
            continue
        after = following[index]
        if after is None or own[after] is not None:
            continue
        cut = _without_ellipsis(lines[after])
        if len(cut) >= MIN_DUPLICATE_LENGTH and lead.startswith(cut):
            own[index] = (Label.DUPLICATE, "repeats the title after the article (share card)")
            own[after] = (Label.DUPLICATE, "repeats the lead after the article (share card)")


def _has_text(line: str) -> bool:
    """Whether the line holds a letter or a digit (`-` or `•` alone is no title)."""
    return _LETTER_OR_DIGIT.search(line) is not None


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def _without_ellipsis(line: str) -> str:
    """The line without a closing ellipsis (`…`, `...`) and the spaces around it."""
    body = line.rstrip()
    if body.endswith("…"):
        return body.rstrip("…").rstrip()
    if body.endswith("..."):
        return body.rstrip(".").rstrip()
    return line


def _mark_lists_under(lines: list[str], own: Own) -> None:
    """The items of a list under a boilerplate heading (`相关阅读`, `Related articles`)."""
    for index, label in enumerate(own):
        if label is None or label[0] is not Label.BOILERPLATE:
            continue
        for item in range(index + 1, len(lines)):
            line = lines[item]
            if not line:
                continue
            listed = _BULLET_ITEM.match(line) or _NUMBERED_ITEM.match(line)
            if own[item] is not None or not listed or _SENTENCE_CLOSE.search(line):
                break
            own[item] = (Label.BOILERPLATE, "an item of a list under a boilerplate heading")


_LAST_CHAR = "\U0010ffff"  # sorts after any character a text holds (a noncharacter)


class _Unlabelled:
    """The lines not yet labelled, sorted by text, for asking in O(log n) whether
    another unlabelled line starts with a given text; labelling a line takes it out."""

    def __init__(self, lines: list[str], own: Own) -> None:
        order = sorted(
            (i for i, line in enumerate(lines) if line and own[i] is None), key=lines.__getitem__
        )
        self.texts = [lines[i] for i in order]
        self.position = {index: at for at, index in enumerate(order)}
        self.alive = list(range(len(order) + 1))  # next position not taken out
        self.copies = Counter(self.texts)

    def remove(self, index: int, line: str) -> None:
        at = self.position.get(index)
        if at is not None and self.alive[at] == at:
            self.alive[at] = at + 1
            self.copies[line] -= 1

    def _next(self, at: int) -> int:
        root = at
        while self.alive[root] != root:
            root = self.alive[root]
        while self.alive[at] != root:  # path compression
            self.alive[at], at = root, self.alive[at]
        return root

    def continues(self, prefix: str, line: str, index: int) -> bool:
        """Whether an unlabelled line other than `index` starts with `prefix`: any such
        line if `prefix` is the line itself (a paragraph repeated whole), else one that
        is not the same line again (`X…` twice is one text, not a cut copy)."""
        low = bisect_left(self.texts, prefix)
        high = bisect_left(self.texts, prefix + _LAST_CHAR, low)  # past all that start so
        if prefix == line:
            return self._any(low, high, skip=self.position.get(index))
        same_low, same_high = bisect_left(self.texts, line), bisect_right(self.texts, line)
        return self._any(low, min(same_low, high)) or self._any(max(same_high, low), high)

    def _any(self, low: int, high: int, skip: int | None = None) -> bool:
        """Whether a position in low..high-1 (other than `skip`) is not taken out."""
        found = self._next(low)
        if found == skip:
            found = self._next(found + 1)
        return found < high


def _mark_cut_copies(lines: list[str], own: Own) -> None:
    """A share card anywhere: the start of a paragraph cut off with an ellipsis (or a
    paragraph repeated whole under a copy of the title), and the title line just above
    it when that title also stands elsewhere."""
    first = next((i for i, line in enumerate(lines) if _is_prose(line)), len(lines))
    titles = {line for line in lines[:first] if _is_title(line) and _has_text(line)}
    unlabelled = _Unlabelled(lines, own)
    following = _next_filled([line if own[i] is None else "" for i, line in enumerate(lines)])
    above: int | None = None  # the last non-empty line so far
    for index, line in enumerate(lines):
        if not line:
            continue
        previous, above = above, index
        if own[index] is not None:
            continue
        title = previous if previous is not None and own[previous] is None else None
        if title is not None and lines[title] not in titles:
            title = None
        if not _is_cut_copy(lines, index, title, unlabelled, following):
            continue
        own[index] = (Label.DUPLICATE, "repeats the start of a paragraph (share card)")
        unlabelled.remove(index, line)
        if title is not None and unlabelled.copies[lines[title]] > 1:
            own[title] = (Label.DUPLICATE, "repeats the title (share card)")
            unlabelled.remove(title, lines[title])


def _is_cut_copy(
    lines: list[str],
    index: int,
    title: int | None,
    unlabelled: _Unlabelled,
    following: list[int | None],
) -> bool:
    """Whether line `index` (under the title-like line `title`, if any) copies the start
    of another line: cut off with an ellipsis; or whole, made of sentences (not a
    heading), under a copy of the title and followed by no paragraph (the original
    goes on with the article's next one)."""
    line = lines[index]
    if len(line) < MIN_CUT_COPY:
        return False  # (cheap: a cut is no longer than its line)
    cut = _without_ellipsis(_BRACKETED_HEAD.sub("", line))
    if len(cut) < MIN_CUT_COPY:
        return False
    if cut == line:
        if title is None or unlabelled.copies[lines[title]] < 2:
            return False  # (cheap: most lines are neither cut nor under a title)
        after = following[index]
        if not _SENTENCE_PUNCTUATION.search(cut[:-1]) or (
            after is not None and _is_prose(lines[after])
        ):
            return False
    return unlabelled.continues(cut, line, index)


# --- a line on its own -------------------------------------------------------------------


def _ends_article(line: str, hits: _Hits) -> bool:
    """An editor's credit, a disclaimer or a heading of other stories: the lines that
    close an article on a page."""
    return (
        bool(line)
        and len(line) <= MAX_NOTICE
        and _matches(_ARTICLE_END, _simplified(line), hits.may(_ARTICLE_END, line))
    )


def _own_label(line: str, hits: _Hits) -> tuple[Label, str] | None:
    """A label the line earns on its own, whatever its neighbours; None if none."""
    if not line:
        return None
    if _BULLETS_ONLY.fullmatch(line):
        return Label.MARKUP, "generator residue: only bullets or separators"
    if _is_code(line):
        return Label.MARKUP, "markup residue: tags, BBCode or script left as text"
    simplified = _simplified(line)
    spam = _spam_terms(line, simplified)
    if spam:
        return Label.SEO_SPAM, f"keyword-stuffed spam: {', '.join(spam[:5])}"
    if _spam_template(line, simplified):
        return Label.SEO_SPAM, "SEO spam template: 欢迎访问 X，A、B、C尽在 Y"
    if _matches(_META, simplified, hits.may(_META, line)):
        return Label.META, "date, author or source line"
    if _matches(_BOILERPLATE, simplified, hits.may(_BOILERPLATE, line)):
        which = next(p for p in _patterns("boilerplate.txt") if _one_matches(p, simplified))
        return Label.BOILERPLATE, f"site boilerplate: matches {which.pattern[:40]!r}"
    if _is_navigation(line):
        return Label.BOILERPLATE, "navigation: a row of short links"
    return None


# Lines of code or markup left as text: tags (the last one perhaps cut off), BBCode,
# entities, script statements. A tag ends at its first `>` and a cut-off tag runs to
# the end of the line, so a line is read one way only (no backtracking over a long
# line of `<`, `[` and spaces).
_TOKEN = r"(?:</?[A-Za-z][^<>]*>|\[/?[a-z]+(?:=[^\]]*)?\]|&[a-z]+;|&#\d+;)"
_CODE = re.compile(
    rf"(?:\s*{_TOKEN})+\s*|(?:\s*{_TOKEN})*\s*</?[A-Za-z][^<>]*"
    r"|\s*\[(img|attach|url|video|flash|audio|media)(?:=[^\]]*)?\][^\[\]]*\[/\1\]\s*"
    r"|\s*(?:<!--|<!\[).*|.*-->\s*|\s*\{\{.*\}\}\s*"
    r"|\s*\(adsbygoogle\b.*"
    r"|\s*(?:var|let|const|function|window\.|document\.|\$\(|try\s*\{|_hmt|\}|\[\[)"
    r"[^。，！？]*[;{}()\]]\s*",
    re.IGNORECASE,
)


def _is_code(line: str) -> bool:
    return _CODE.fullmatch(line) is not None


# A row of four or more short links: `首页 | 本地新闻 | 时政`, `理财  法治  国际  要闻`.
# A middle dot is a separator only beside a space: `約翰·威廉·赫歇爾` is one name.
_NAVIGATION_SEPARATOR = re.compile(r"\s*[|｜/>»›]\s*|\s+[·•]\s*|[·•]\s+|\s{2,}|\s*\u3000\s*")
_NAVIGATION_ITEM = re.compile(r"\w{1,6}")
_NAVIGATION_HINT = re.compile(r"[|｜/>»›·•\u3000]|\s\s")
# What no row of links holds: kana or Hangul (Japanese and Korean lines are not judged so),
# a character that is neither a letter, a space nor a separator (it would stand in an
# item), or seven letters in a row (an item is six at most; no separator is a letter).
_NOT_NAVIGATION = re.compile(
    r"[\u3040-\u30ff\u1100-\u11ff\uac00-\ud7af]|[^\w\s|｜/>»›·•\u3000]|\w{7}"
)
NAVIGATION_ITEMS = 4  # links in a row


def _is_navigation(line: str) -> bool:
    """A row of NAVIGATION_ITEMS or more links of up to 6 letters, between separators
    (split, not matched: a nested pattern would backtrack over a long line)."""
    if not _NAVIGATION_HINT.search(line) or _NOT_NAVIGATION.search(line):
        return False  # (cheap: most lines have no separator, or hold a sentence)
    items = _NAVIGATION_SEPARATOR.split(line)
    return len(items) >= NAVIGATION_ITEMS and all(_NAVIGATION_ITEM.fullmatch(i) for i in items)


# A web address, or a domain: a run of [a-z0-9-] (only from its start, so that a long
# run is read once) before one of the common top-level domains.
_URL_OR_DOMAIN = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w-])[a-z0-9-]+\.(?:com|cn|net|org|hk|cc|top|xyz|vip)\b"
)
_BLANKS = re.compile(r"[|｜_¦,]|(?<=\S)-(?=\S)|\s+")  # a line without sentence punctuation
_KEYWORD_SEPARATORS = re.compile(r"[|｜_¦,]|(?<=\S)-(?=\S)|(?<!\s)\s+-\s+")
_LIST_SEPARATORS = re.compile(r"[|｜_¦,，、]|(?<=\S)-(?=\S)|(?<!\s)\s+-\s+")
_SENTENCE_FINAL = re.compile(r"[。！？!?]")
_SPAM_TEMPLATE = re.compile(r"欢迎(访问|来到|光临).{1,30}[，,].{1,60}尽在.{1,30}")
_SPAM_SERVICE = re.compile(r".{1,30}是一(个|家)专业的.{1,30}[，,]提供.{1,80}等服务.?")


def _spam_terms(line: str, simplified: str) -> list[str]:
    """Spam terms of a line that reads as a keyword list or an advert rather than prose."""
    if len(line) > MAX_NOTICE and _SENTENCE_PUNCTUATION.search(line):
        return []  # a paragraph of prose
    hits = list(dict.fromkeys(_spam_pattern().findall(simplified.casefold())))
    if not hits:
        return []
    address = _URL_OR_DOMAIN.search(line.casefold()) is not None
    if len(hits) == 1:
        # One term and a web address in a short line: an advert (`香港马会：www.x.cn`).
        return hits if len(line) <= SPAM_SHORT_LINE / 2 and address else []
    if address and len(line) <= SPAM_SHORT_LINE:
        return hits  # terms and where to buy them
    if not _SENTENCE_PUNCTUATION.search(line):
        separators = _BLANKS
    elif _SENTENCE_FINAL.search(line):
        separators = _KEYWORD_SEPARATORS
    else:
        # No sentence ends: its commas part keywords, full-width or not (the punctuation
        # stage widens the ASCII commas of a header on a folded page).
        separators = _LIST_SEPARATORS
    segments = [s for s in separators.split(line) if s.strip()]
    keyword_list = len(segments) >= 3 and max(len(s) for s in segments) <= 30
    covered = sum(len(hit) for hit in hits)
    stuffed = len(hits) >= 3 and (
        not _SENTENCE_PUNCTUATION.search(line) or covered >= SPAM_DENSITY * len(line)
    )
    return hits if keyword_list or stuffed else []


def _spam_template(line: str, simplified: str) -> bool:
    """`欢迎访问X，A、B、C尽在Y`; `X是一个专业的…网站，提供A、B等服务` with a spam term."""
    if len(line) > SPAM_SHORT_LINE * 2 or ("尽在" not in line and "专业的" not in line):
        return False  # (cheap: the templates' own words first)
    if _SPAM_TEMPLATE.fullmatch(simplified):
        return True
    return bool(
        _SPAM_SERVICE.fullmatch(simplified) and _spam_pattern().search(simplified.casefold())
    )


def _simplified(line: str) -> str:
    """The line with traditional characters written simplified, for the lexicons
    (one character for one: OpenCC's table, built once)."""
    if len(line) > MAX_NOTICE:
        # A paragraph: only a notice's opening words (`免責聲明：`) matter.
        return _simplified(line[:NOTICE_HEAD]) + line[NOTICE_HEAD:]
    if _KANA.search(line) or not _has_traditional()(line):
        return line  # (Japanese kanji are no traditional Chinese)
    return line.translate(_t2s_table())


@cache
def _has_traditional() -> Callable[[str], bool]:
    """script's test for traditional characters (imported once: script is heavy)."""
    from .script import _has_traditional as has_traditional

    return has_traditional


@cache
def _t2s_table() -> dict[int, str]:
    from .script import _converter, _traditional_chars

    chars = sorted(_traditional_chars())
    converted = _converter("t2s").convert("\n".join(chars)).split("\n")
    return {
        ord(char): simple for char, simple in zip(chars, converted, strict=True) if len(simple) == 1
    }


def _is_prose(line: str) -> bool:
    return len(line) >= MIN_PROSE_LENGTH and bool(_SENTENCE_PUNCTUATION.search(line))


def _is_title(line: str) -> bool:
    """A short line that does not end like a sentence."""
    return bool(line) and len(line) <= MAX_TITLE_LENGTH and not _SENTENCE_END.search(line[-1])


@lru_cache(maxsize=1)
def _spam_pattern() -> re.Pattern[str]:
    terms = sorted((t.casefold() for t in entries("spam_terms.txt")), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, terms)))


@cache
def _any_pattern(
    name: str, anywhere: bool = False, long: bool = False, unfiltered: bool = False
) -> re.Pattern[str]:
    """One regex for the rows of a lexicon that match a whole line, or (anywhere)
    for those written `.*X.*`, which are searched for X: a leading `.*` under
    fullmatch costs a scan of the line per position. `long`: only the whole-line
    rows that can match a line longer than a notice (those with a `.*`).
    `unfiltered`: only the rows the lexicon's literal filter does not speak for."""
    filtered = _filtered_rows(name) if unfiltered else frozenset()
    rows = [row for row in entries(name) if _anywhere(row) == anywhere and row not in filtered]
    if anywhere:
        rows = [row[2:-2] for row in rows]
    elif long:
        rows = [row for row in rows if ".*" in row]
    return re.compile("|".join(f"(?:{row})" for row in rows) or "(?!)", re.IGNORECASE)


def _anywhere(row: str) -> bool:
    return row.startswith(".*") and row.endswith(".*")


def _matches(name: str, line: str, filtered: bool = True) -> bool:
    """Whether a row of lexicon `name` matches the line; `filtered` False: the lexicon's
    literal filter found none of its strings in the line (`_Hits`), so only the rows it
    does not speak for are tried."""
    # A notice is a line of its own, not a paragraph of an article: a long line
    # is tried only against the rows that can match it.
    unfiltered = not filtered
    if len(line) > MAX_NOTICE:
        return bool(_any_pattern(name, long=True, unfiltered=unfiltered).fullmatch(line))
    if _any_pattern(name, unfiltered=unfiltered).fullmatch(line):
        return True
    return bool(_any_pattern(name, anywhere=True, unfiltered=unfiltered).search(line))


def _one_matches(pattern: re.Pattern[str], line: str) -> bool:
    if _anywhere(pattern.pattern):
        return re.search(pattern.pattern[2:-2], line, re.IGNORECASE) is not None
    return pattern.fullmatch(line) is not None


@cache
def _patterns(name: str) -> tuple[re.Pattern[str], ...]:
    """Each row compiled on its own (only to name the row that matched: `_any_pattern`
    tries them all at once)."""
    return tuple(re.compile(row, re.IGNORECASE) for row in entries(name))


# --- literal filters: the lines a lexicon cannot match, found in one scan ----------------

_META, _BOILERPLATE, _ARTICLE_END = "meta.txt", "boilerplate.txt", "article_end.txt"
_LEXICONS = (_META, _BOILERPLATE, _ARTICLE_END)


def _row_text(row: str) -> str:
    """What of a row a line must match: X of an anywhere row `.*X.*`, else the row."""
    return row[2:-2] if _anywhere(row) else row


@cache
def _row_literals(name: str) -> dict[str, frozenset[str]]:
    """The rows of a lexicon a literal filter speaks for, each with the strings one of
    which a line it matches holds (`textmend.lexicon.required_literals`)."""
    found = {row: required_literals(_row_text(row), re.IGNORECASE) for row in entries(name)}
    return {row: strings for row, strings in found.items() if strings and filterable(strings)}


def _filtered_rows(name: str) -> frozenset[str]:
    return frozenset(_row_literals(name))


@cache
def _literal_filter(name: str, traditional: bool) -> re.Pattern[str] | None:
    """The lexicon's filter (None: it speaks for no row), which finds its strings in the
    folded text; `traditional`: in their traditional writings too, as `_simplified`
    reads a line (None then if the t2s table cannot be read one character for one)."""
    rows = _row_literals(name)
    if not rows:
        return None
    strings = frozenset().union(*rows.values())
    if not traditional:
        return literal_filter(strings)
    variants = _t2s_closure()
    return None if variants is None else literal_filter(strings, variants)


@cache
def _t2s_closure() -> dict[str, str] | None:
    """`_t2s_table` followed to its end (`A -> B -> C` as `A -> C`), so that a character
    and its simplified form stand for the same one; None if it loops or touches a letter
    with case (the filter reads the text folded)."""
    table = {chr(key): value for key, value in _t2s_table().items()}
    closure: dict[str, str] = {}
    for char in table:
        seen, target = {char}, table[char]
        while target in table:
            if target in seen:
                return None
            seen.add(target)
            target = table[target]
        closure[char] = target
    if any(c.lower() != c or c.upper() != c for pair in closure.items() for c in pair):
        return None
    return closure


class _Hits:
    """Per lexicon, the lines of a document in which its literal filter found one of its
    strings (the others can match only the rows it does not speak for): one scan of the
    folded text per lexicon instead of every row tried on every line."""

    def __init__(self, found: dict[str, frozenset[str] | None]) -> None:
        self.found = found  # lexicon name -> lines with a string (None: every line)

    judged = 0  # lines of this process's documents (FILTER_AFTER_LINES)

    @classmethod
    def of(cls, lines: list[str]) -> _Hits:
        """The hits of a document's lines; none looked for (every line may match) until
        the process has judged FILTER_AFTER_LINES lines: the same labels either way."""
        if cls.judged < FILTER_AFTER_LINES:
            cls.judged += len(lines)
            return cls({})
        # A line longer than a notice is tried on a few anchored rows only: cheap as it is.
        lines = [line if len(line) <= MAX_NOTICE else "" for line in lines]
        text = "\n".join(lines)
        folded = fold(text)
        traditional = not text.isascii() and _has_traditional()(text)
        starts: list[int] = []  # of each line in `text`, once a filter finds something
        found: dict[str, frozenset[str] | None] = {}
        for name in _LEXICONS:
            pattern = _literal_filter(name, traditional)
            if pattern is None:
                found[name] = None
                continue
            hit: set[str] = set()
            match = pattern.search(folded)
            while match is not None:  # once per line that holds a string
                if not starts:
                    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
                index = bisect_right(starts, match.start()) - 1
                hit.add(lines[index])
                match = pattern.search(folded, starts[index + 1])
            found[name] = frozenset(hit)
        return cls(found)

    def may(self, name: str, line: str) -> bool:
        """Whether a row the filter of lexicon `name` speaks for may match `line`."""
        found = self.found.get(name)
        return found is None or len(line) > MAX_NOTICE or line in found


# --- batches -----------------------------------------------------------------------------


def repeated_lines(documents: Iterable[str]) -> frozenset[str]:
    """Lines that repeat across many documents of one batch (a site's footer, menu,
    disclaimer), as CCNet deduplicates paragraphs: in at least MIN_REPEATS documents
    and REPEAT_SHARE of them. Each document counts a line once."""
    return repeated_in(*line_counts(documents))


def line_counts(
    documents: Iterable[str], only: frozenset[str] | None = None
) -> tuple[Counter[str], int]:
    """In how many of `documents` each line is (each of `only`, if given), and how many
    documents there are: what shards of a corpus count apart and add up (`repeated_in`
    the sum)."""
    counts: Counter[str] = Counter()
    total = 0
    for document in documents:
        total += 1
        lines = {line.strip() for line in document.split("\n")} - {""}
        counts.update(lines if only is None else lines & only)
    return counts, total


# --dedupe-lines on a corpus counts its lines exactly in blocks of this many documents
# (`frequent_candidates`): the memory of one block's counts, whatever the corpus.
DEDUPE_BLOCK = 10_000


def frequent_candidates(documents: Iterable[str]) -> tuple[frozenset[str], int]:
    """The lines that may be repeated (`repeated_lines`) in `documents`, and how many
    documents there are, in bounded memory: the documents are counted DEDUPE_BLOCK at a
    time and each block keeps the lines in REPEAT_SHARE of its own documents. A line in
    that share of all the documents is in it in some block (were it under the share in
    every block, it would be under in their sum), and MIN_REPEATS only raises the bar:
    so every repeated line is a candidate. Counting the candidates again
    (`line_counts(documents, only=...)`) and `repeated_in` give exactly
    `repeated_lines`; shards of a corpus may each give their candidates, and the union
    is the corpus's (the same argument, shard by shard)."""
    candidates: set[str] = set()
    total = 0
    block: list[str] = []
    for document in documents:
        block.append(document)
        if len(block) == DEDUPE_BLOCK:
            total += _block_candidates(block, candidates)
            block = []
    if block:
        total += _block_candidates(block, candidates)
    return frozenset(candidates), total


def _block_candidates(block: list[str], candidates: set[str]) -> int:
    counts, total = line_counts(block)
    needed = REPEAT_SHARE * total
    candidates.update(line for line, count in counts.items() if count >= needed)
    return total


def repeated_in(counts: Counter[str], total: int) -> frozenset[str]:
    """The repeated lines (`repeated_lines`) of counts over `total` documents."""
    needed = max(MIN_REPEATS, REPEAT_SHARE * total)
    return frozenset(line for line, count in counts.items() if count >= needed)


def fix(text: str, options: Options) -> Fixed:
    """The pipeline's step (`textmend.pipeline.Stage`). `options.html` is True when
    the extract stage took the text out of a page: no main block is looked for."""
    changes: list[Change] = []
    kept = remove_junk(text, changes, options.keep, options.boilerplate_lines, options.html is True)
    return Fixed(kept, changes)
