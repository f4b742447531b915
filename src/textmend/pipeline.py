"""The default pipeline: decode, extract (HTML pages), repair, markup, script,
punctuation, junk, layout."""

from __future__ import annotations

from .decode import decode
from .layout import apply_layout
from .options import Options
from .result import Change, Result


def clean_document(
    data: str | bytes, options: Options | None = None, **overrides: object
) -> Result:
    """Run every enabled stage on `data` and say what each one changed and why.

    `data` may be bytes (decoded first, `encoding=` forces the codec) or text.
    Keyword arguments override fields of `options` (see `textmend.Options`).
    Raises `textmend.decode.DecodeError` when bytes cannot be decoded.
    """
    opts = Options.from_kwargs(options, **overrides)
    result = Result(text="")
    if isinstance(data, (bytes, bytearray, memoryview)):
        result.decoded = decode(bytes(data), opts.encoding)
        text = result.decoded.text
    elif isinstance(data, str):
        text = data
    else:
        raise TypeError(f"expected str or bytes, not {type(data).__name__}")
    changes: list[Change] = result.changes
    extracted = False
    if opts.html or (opts.html is None and "<" in text[:4096]):
        from .extract import extract_article, looks_like_html

        if opts.html or looks_like_html(text):
            text = extract_article(text, changes)
            extracted = True
    if opts.repair:
        from .repair import repair_mojibake

        text = repair_mojibake(text, changes, opts.lossy)
    if opts.markup:
        from .markup import strip_markup

        text = strip_markup(text, changes)
    if opts.script:
        from .script import restore_script

        text = restore_script(text, opts.to, changes, opts.lossy)
    if opts.punctuation:
        from .punctuation import restore_punctuation

        text = restore_punctuation(text, changes)
    if opts.junk:
        from .junk import remove_junk

        text = remove_junk(text, changes, opts.keep, opts.boilerplate_lines, extracted)
    result.text = apply_layout(text, changes)
    return result


def clean(data: str | bytes, options: Options | None = None, **overrides: object) -> str:
    """The clean article text of `data` (see `clean_document`)."""
    return clean_document(data, options, **overrides).text
