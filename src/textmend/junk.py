"""Remove junk lines: keyword-stuffed spam headers, generator residue, site boilerplate.

Every line gets a label from features of the line and of its place in the page:
ARTICLE and TITLE are kept, SEO_SPAM, MARKUP, BOILERPLATE, META and DUPLICATE
are removed. A line is only removed on positive evidence (lexicon, pattern,
repeat of an earlier line outside the article); anything unrecognised stays.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache

from .lexicon import entries
from .result import Change

STAGE = "junk"


class Label(str, Enum):
    ARTICLE = "ARTICLE"
    TITLE = "TITLE"
    SEO_SPAM = "SEO_SPAM"
    MARKUP = "MARKUP"
    BOILERPLATE = "BOILERPLATE"
    META = "META"
    DUPLICATE = "DUPLICATE"


KEPT = frozenset({Label.ARTICLE, Label.TITLE})

_SENTENCE_PUNCTUATION = re.compile(r"[。！？；，,.!?;]")
_SENTENCE_END = re.compile(r"[。！？；，：,.!?;:]")
_SENTENCE_CLOSE = re.compile(r"[。！？!?…][”」』）)]?$")  # a short line that ends a sentence
_BULLETS_ONLY = re.compile(r"[\s•●○■□◆◇▪▫►▶»›·]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL_OR_KANA = re.compile(r"[\u3040-\u30ff\u1100-\u11ff\uac00-\ud7af]")

MIN_PROSE_LENGTH = 20
MIN_DUPLICATE_LENGTH = 6
MAX_TITLE_LENGTH = 60


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
    labelled = label_lines(text, repeated, extracted)
    kept: list[str] = []
    for item in labelled:
        if item.label in KEPT or item.label.value in keep:
            kept.append(item.text)
        elif changes is not None:
            changes.append(Change(STAGE, item.number, item.text, "", item.reason, item.label.value))
    if len(kept) == len(labelled):
        return text
    return "\n".join(kept)


def label_lines(
    text: str, repeated: frozenset[str] = frozenset(), extracted: bool = False
) -> list[LineLabel]:
    """Label every line of `text` (blank lines are ARTICLE: layout deals with them)."""
    lines = [line.strip() for line in text.split("\n")]
    own = [_own_label(line) for line in lines]
    if repeated:
        for index, line in enumerate(lines):
            if own[index] is None and line in repeated:
                own[index] = (Label.DUPLICATE, "repeats across the documents of the batch")
    prose = [i for i, line in enumerate(lines) if own[i] is None and _is_prose(line)]
    first, last = (prose[0], prose[-1]) if prose else (len(lines), -1)
    titles = [i for i in range(first) if own[i] is None and _is_title(lines[i])]
    if titles and prose:
        _mark_share_cards(lines, own, lines[titles[-1]], lines[first], last)
    _mark_lists_under(lines, own)
    shown = sum(label is not None for label in own)  # junk the lexicons know
    chinese = _chinese(lines)
    if chinese:
        _mark_cut_copies(lines, own)
    block = _main_block(lines, own) if chinese and not extracted else None
    if block is not None:
        # A page's text: menus, lists of links and footers around the article.
        start, end = block
        # The title: a title-like line among the few just above the block.
        above = [i for i in range(start - 1, -1, -1) if lines[i] and own[i] is None]
        titles_near = {i for i in above[:TITLE_REACH] if _is_title(lines[i])}
        lead = set(_HAN.findall(lines[start][:LEAD_CHARS]))
        title = max(titles_near, key=lambda i: (_shared(lines[i], lead), i), default=None)
        while end + 1 < len(lines) and lines[end + 1].endswith(("：", ":")):
            end += 1  # `详见下表：` announces what follows; it is the article's
        for index in range(len(lines)):
            outside = not start <= index <= end and index != title
            if lines[index] and own[index] is None and outside:
                own[index] = (Label.BOILERPLATE, "outside the main prose block of a page")
        prose = [i for i in prose if start <= i <= end]
        first, last = (prose[0], prose[-1]) if prose else (len(lines), -1)
    elif prose and shown >= AROUND_MIN_JUNK and chinese:
        _mark_around(lines, own, first, last)
    result: list[LineLabel] = []
    for index, line in enumerate(text.split("\n")):
        label = own[index]
        if label is None:
            in_title_zone = index <= last
            kind = Label.TITLE if in_title_zone and _is_title(lines[index]) else Label.ARTICLE
            label = (kind, "")
        result.append(LineLabel(index + 1, line, label[0], label[1]))
    return result


# A short line of an article's list or table (`1、上海野生动物园`, `成人票原价：165元`):
# neither prose nor the page's furniture, so it neither adds to a run nor breaks it.
_DATA_LINE = re.compile(r"(?:\d{1,2}[、.．)）]\s*\S.*|[^：:]{1,12}[：:]\s*\S*\d.*)")
PAGE_MIN_LINES = 8  # non-empty lines of a page's text
TITLE_REACH = 3  # unlabelled lines above the main block where its title may stand
LEAD_CHARS = 200  # of the main block's first line, compared with title candidates
PAGE_MIN_JUNK = 2  # lines the lexicons already call junk
PAGE_MANY_LINES = 30  # ... or this many lines,
PAGE_MENU_SHARE = 0.7  # ... this share of them short: menus and lists of links
PAGE_SHORT_SHARE = 0.4  # of them short and not prose: menus, links, buttons
SHORT_LINE_COST = 5  # what a short line costs the main block beyond its length
MIN_BLOCK = 100  # characters of prose the main block of a page holds
FIRST_BLOCK_SHARE = 0.5  # of the best run's score, for an earlier run to be the article
BLOCK_SHARE = 0.1  # of all the text's prose
HAN_SHARE = 0.3  # of a page's characters, for it to be a Chinese page


def _chinese(lines: list[str]) -> bool:
    """Chinese text: no kana, and Han characters a fair share of it."""
    text = "".join(lines)
    if _KANA.search(text):
        return False
    han = sum(map(len, _HAN_RUN.findall(text)))
    return han >= HAN_SHARE * len(text)


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _main_block(lines: list[str], own: list[tuple[Label, str] | None]) -> tuple[int, int] | None:
    """The span of lines, from prose line to prose line, that holds the most prose
    for the short lines it takes in (the best-scoring run, Kadane's algorithm), if
    the text reads as a whole page's text (many short lines that are not prose).
    An article (all paragraphs) is not a page: nothing in it is outside. Measured on
    Chinese pages only (the caller asks): Korean law has short headings too."""
    filled = [i for i, line in enumerate(lines) if line]
    short = [i for i in filled if not _is_prose(lines[i])]
    if len(filled) < PAGE_MIN_LINES or len(short) < PAGE_SHORT_SHARE * len(filled):
        return None
    junk = sum(own[i] is not None for i in filled)
    menus = len(filled) >= PAGE_MANY_LINES and len(short) >= PAGE_MENU_SHARE * len(filled)
    if junk < PAGE_MIN_JUNK and not menus:
        return None  # a page shows its boilerplate (lexicon lines) or menus; a list does not
    runs: list[tuple[float, int, int]] = []  # each run's best (score, start, end)
    ends: list[int] = []  # lines that close an article: a run stops there
    total, start = 0.0, None
    for index in filled:
        line = lines[index]
        if _ends_article(line):
            ends.append(index)
            start, total = None, 0.0
            continue
        prose = own[index] is None and (_is_prose(line) or _SENTENCE_CLOSE.search(line) is not None)
        if prose:
            score = len(line)
        elif own[index] is None and _DATA_LINE.fullmatch(line):
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
    best = max((score for score, _, _ in runs), default=0.0)
    # The article comes first; a page's feed of other stories may hold more prose.
    # Its first run the page closes (an editor's credit, a disclaimer, `猜你喜欢`) is
    # the article however short; else the first run with half the best one's score.
    starts = [a for _, a, _ in runs] + [len(lines)]
    closed = (
        (a, b)
        for (score, a, b), following in zip(runs, starts[1:], strict=True)
        if score >= MIN_BLOCK and any(b < i < following for i in ends)
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


def _mark_share_cards(
    lines: list[str], own: list[tuple[Label, str] | None], title: str, lead: str, last: int
) -> None:
    """After the article, the title followed by the start of the lead (perhaps cut off
    with an ellipsis) is a share card."""
    if len(title) < MIN_DUPLICATE_LENGTH:
        return
    for index in range(last + 1, len(lines)):
        if own[index] is not None or lines[index] != title:
            continue
        following = next((j for j in range(index + 1, len(lines)) if lines[j]), None)
        if following is None or own[following] is not None:
            continue
        cut = _ELLIPSIS.sub("", lines[following])
        if len(cut) >= MIN_DUPLICATE_LENGTH and lead.startswith(cut):
            own[index] = (Label.DUPLICATE, "repeats the title after the article (share card)")
            own[following] = (Label.DUPLICATE, "repeats the lead after the article (share card)")


_ELLIPSIS = re.compile(r"\s*(?:…+|\.{3,})\s*$")
_BRACKETED_HEAD = re.compile(r"^【[^】]{1,30}】")


def _shared(line: str, lead: set[str]) -> float:
    """Share of the line's Han characters found in the lead: a title shares its words
    with the lead, a byline or a caption does not."""
    han = set(_HAN.findall(line))
    return len(han & lead) / len(han) if han else 0.0


_SEPARATORS_ONLY = re.compile(r"[\s\-=_*~|#+.·•—>“”\"'<]{1,}")
_SHORT_LINK = re.compile(
    r".{1,12}\s*(?:[:：]\s*|[(（])(?:https?://)?[\w.-]+\.[a-z]{2,6}(?:/\S*)?[)）]?"
)
_BULLET_ITEM = re.compile(r"[-•·▪*►]\s*\S")
_NUMBERED_ITEM = re.compile(r"\d{1,2}[.、)）]\s*\S")
AROUND_MIN_JUNK = 2  # lines the lexicons call junk, for the furniture around an article


def _mark_around(
    lines: list[str], own: list[tuple[Label, str] | None], first: int, last: int
) -> None:
    """On a page that shows its junk: above the title, and after the last paragraph,
    what is not prose is the page's furniture (menus, link lists, captions)."""
    lead = set(_HAN.findall(lines[first][:LEAD_CHARS]))
    candidates = [i for i in range(first) if own[i] is None and _is_title(lines[i])]
    title = max(candidates, key=lambda i: (_shared(lines[i], lead), i), default=None)
    for index, line in enumerate(lines):
        if not line or own[index] is not None:
            continue
        if _SHORT_LINK.fullmatch(line):
            own[index] = (
                Label.BOILERPLATE,
                "a label and a web address, on a page that shows its junk",
            )
            continue
        if _SEPARATORS_ONLY.fullmatch(line):
            own[index] = (Label.MARKUP, "only separators, on a page that shows its junk")
            continue
        bullet = _BULLET_ITEM.match(line) or (index > last and _NUMBERED_ITEM.match(line))
        if bullet and not _SENTENCE_CLOSE.search(line):
            own[index] = (Label.BOILERPLATE, "a list of links (related articles)")
            continue
        if _is_prose(line):
            continue
        if (title is not None and index < title) or index > last:
            where = "above the title" if index < first else "after the article"
            own[index] = (Label.BOILERPLATE, f"not prose, {where} on a page that shows its junk")


def _mark_lists_under(lines: list[str], own: list[tuple[Label, str] | None]) -> None:
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


def _mark_cut_copies(lines: list[str], own: list[tuple[Label, str] | None]) -> None:
    """A share card anywhere: the start of a paragraph cut off with an ellipsis, and
    the title line just above it when that title also stands elsewhere."""
    first = next((i for i, line in enumerate(lines) if _is_prose(line)), len(lines))
    titles = {line for line in lines[:first] if _is_title(line)}
    for index, line in enumerate(lines):
        if own[index] is not None:
            continue
        cut = _ELLIPSIS.sub("", _BRACKETED_HEAD.sub("", line))
        if len(cut) < MIN_CUT_COPY:
            continue
        # The start of a paragraph: cut off with an ellipsis, or whole sentences of it
        # (a clause, with its punctuation, not a heading that begins the paragraph).
        above = next((j for j in range(index - 1, -1, -1) if lines[j]), None)
        under_title = above is not None and own[above] is None and lines[above] in titles
        if cut == line and not under_title:
            continue  # (cheap: most lines are neither)
        titled = under_title and _unlabelled_copies(lines, own, lines[above]) > 1  # type: ignore[index]
        sentence = cut != line or (titled and bool(_SENTENCE_PUNCTUATION.search(cut[:-1])))
        if (
            len(cut) < MIN_CUT_COPY
            or not sentence
            or not any(
                j != index
                and own[j] is None  # a copy already found is not the original
                and (len(other) > len(cut) or titled)
                and other.startswith(cut)
                for j, other in enumerate(lines)
            )
        ):
            continue
        own[index] = (Label.DUPLICATE, "repeats the start of a paragraph (share card)")
        repeated = above is not None and _unlabelled_copies(lines, own, lines[above]) > 1
        if above is not None and own[above] is None and repeated:
            own[above] = (Label.DUPLICATE, "repeats the title (share card)")


def _unlabelled_copies(lines: list[str], own: list[tuple[Label, str] | None], text: str) -> int:
    return sum(own[j] is None for j, line in enumerate(lines) if line == text)


MIN_CUT_COPY = 10  # characters of a paragraph's start that make a copy


def _ends_article(line: str) -> bool:
    """An editor's credit, a disclaimer or a heading of other stories: the lines that
    close an article on a page."""
    return len(line) <= MAX_NOTICE and _matches("article_end.txt", _simplified(line))


def _own_label(line: str) -> tuple[Label, str] | None:
    """A label the line earns on its own, whatever its neighbours; None if none."""
    if not line:
        return None
    if _BULLETS_ONLY.fullmatch(line):
        return Label.MARKUP, "generator residue: only bullets or separators"
    if _CODE.fullmatch(line):
        return Label.MARKUP, "markup residue: tags, BBCode or script left as text"
    simplified = _simplified(line)
    spam = _spam_terms(line, simplified)
    if spam:
        return Label.SEO_SPAM, f"keyword-stuffed spam: {', '.join(spam[:5])}"
    if _spam_template(line, simplified):
        return Label.SEO_SPAM, "SEO spam template: 欢迎访问 X，A、B、C尽在 Y"
    if _matches("meta.txt", simplified):
        return Label.META, "date, author or source line"
    if _matches("boilerplate.txt", simplified):
        which = next(p for p in _patterns("boilerplate.txt") if _one_matches(p, simplified))
        return Label.BOILERPLATE, f"site boilerplate: matches {which.pattern[:40]!r}"
    if _NAVIGATION.fullmatch(line) and not _HANGUL_OR_KANA.search(line):
        return Label.BOILERPLATE, "navigation: a row of short links"
    return None


# Lines of code or markup left as text: tags (also cut off), BBCode, script statements.
_CODE = re.compile(
    r"(?:\s*(?:</?[A-Za-z][^<>]*>?|\[/?[a-z]+(?:=[^\]]*)?\]|&[a-z]+;|&#\d+;))+\s*"
    r"|\s*\[(img|attach|url|video|flash|audio|media)(?:=[^\]]*)?\][^\[\]]*\[/\1\]\s*"
    r"|\s*(?:<!--|<!\[).*|.*-->\s*|\s*<[A-Za-z]+\s[^<>]*|\s*\{\{.*\}\}\s*"
    r"|\s*\(adsbygoogle\b.*"
    r"|\s*(?:var|let|const|function|window\.|document\.|\$\(|try\s*\{|_hmt|\}|\[\[)"
    r"[^。，！？]*[;{}()\]]\s*",
    re.IGNORECASE,
)
# A row of four or more short links: `首页 | 本地新闻 | 时政`, `理财  法治  国际  要闻`.
_NAVIGATION = re.compile(
    r"(?:[\w\u3400-\u9fff]{1,6}\s*(?:[|｜/>»›·•]|\s{2,}|\u3000)\s*){3,}[\w\u3400-\u9fff]{1,6}\s*"
)
_URL_OR_DOMAIN = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|cn|net|org|hk|cc|top|xyz|vip)\b"
)
_BLANKS = re.compile(r"[|｜_¦,]|(?<=\S)-(?=\S)|\s+")  # a line without sentence punctuation
_KEYWORD_SEPARATORS = re.compile(r"[|｜_¦,]|(?<=\S)-(?=\S)|\s+-\s+")
_SPAM_TEMPLATE = re.compile(r"欢迎(访问|来到|光临).{1,30}[，,].{1,60}尽在.{1,30}")
_SPAM_SERVICE = re.compile(r".{1,30}是一(个|家)专业的.{1,30}[，,]提供.{1,80}等服务.?")
SPAM_SHORT_LINE = 100  # characters: a line half this short with a term and a URL is an advert
SPAM_DENSITY = 0.35  # share of a punctuated line that three or more spam terms must cover


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
    separators = _KEYWORD_SEPARATORS if _SENTENCE_PUNCTUATION.search(line) else _BLANKS
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
    from .script import _has_traditional

    if len(line) > MAX_NOTICE:
        # A paragraph: only a notice's opening words (`免責聲明：`) matter.
        return _simplified(line[:NOTICE_HEAD]) + line[NOTICE_HEAD:]
    if _KANA.search(line) or not _has_traditional(line):
        return line  # (Japanese kanji are no traditional Chinese)
    return line.translate(_t2s_table())


NOTICE_HEAD = 40  # characters of a long line whose script matters to the lexicons


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
def _any_pattern(name: str, anywhere: bool = False, long: bool = False) -> re.Pattern[str]:
    """One regex for the rows of a lexicon that match a whole line, or (anywhere)
    for those written `.*X.*`, which are searched for X: a leading `.*` under
    fullmatch costs a scan of the line per position. `long`: only the whole-line
    rows that can match a line longer than a notice (those with a `.*`)."""
    rows = [p.pattern for p in _patterns(name) if _anywhere(p) == anywhere]
    if anywhere:
        rows = [row[2:-2] for row in rows]
    elif long:
        rows = [row for row in rows if ".*" in row]
    return re.compile("|".join(f"(?:{row})" for row in rows) or "(?!)", re.IGNORECASE)


def _anywhere(pattern: re.Pattern[str]) -> bool:
    return pattern.pattern.startswith(".*") and pattern.pattern.endswith(".*")


def _matches(name: str, line: str) -> bool:
    # A notice is a line of its own, not a paragraph of an article: a long line
    # is tried only against the rows that can match it.
    if len(line) > MAX_NOTICE:
        return bool(_any_pattern(name, long=True).fullmatch(line))
    if _any_pattern(name).fullmatch(line):
        return True
    return bool(_any_pattern(name, anywhere=True).search(line))


MAX_NOTICE = 300  # characters of the longest line searched for notice phrases


def _one_matches(pattern: re.Pattern[str], line: str) -> bool:
    if _anywhere(pattern):
        return re.search(pattern.pattern[2:-2], line, re.IGNORECASE) is not None
    return pattern.fullmatch(line) is not None


@cache
def _patterns(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(row, re.IGNORECASE) for row in entries(name))


MIN_REPEATS = 3  # documents a line must appear in to count as the batch's boilerplate
REPEAT_SHARE = 0.1  # ... and this share of the batch's documents


def repeated_lines(documents: Iterable[str]) -> frozenset[str]:
    """Lines that repeat across many documents of one batch (a site's footer, menu,
    disclaimer), as CCNet deduplicates paragraphs: in at least MIN_REPEATS documents
    and REPEAT_SHARE of them. Each document counts a line once."""
    counts: Counter[str] = Counter()
    total = 0
    for document in documents:
        total += 1
        counts.update({line.strip() for line in document.split("\n") if line.strip()})
    needed = max(MIN_REPEATS, REPEAT_SHARE * total)
    return frozenset(line for line, count in counts.items() if count >= needed)
