"""textmend on a Dask cluster: a bag of documents, or a column of a dask DataFrame.

Dask is pure Python, starts locally (`distributed.LocalCluster`) and runs on
Kubernetes, YARN and HPC schedulers through its deployment packages; each
partition is cleaned on a worker with `textmend.clean_document`, so a cluster gives
exactly what one process gives. Install with `pip install 'textmend[dask]'`; this
module imports Dask only when it is used.

    >>> import dask.bag as db
    >>> from textmend.dask import clean_bag, clean_dataframe
    >>> clean_bag(db.read_text("pages/*.txt", linedelimiter="\\0")).compute()
    >>> clean_dataframe(ddf, column="text", stats=True).to_parquet("clean/")

A document that cannot be cleaned (bytes that are no text: `DecodeError`) is not
fatal: its text becomes None and, with `stats=True`, the `textmend_error` column or
key says why.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, cast

from .options import Options
from .pipeline import clean_document
from .result import Result

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    import pandas

# The prefix of the columns (and keys) `stats=True` adds: `textmend_bytes_in` ...
PREFIX = "textmend_"
STAT_KEYS: tuple[str, ...] = (*Result(text="").stats(), "error")


def clean_bag(
    bag: dask.bag.Bag,
    options: Options | None = None,
    stats: bool = False,
    field: str | None = None,
    **overrides: object,
) -> dask.bag.Bag:
    """Each document of `bag` (str or bytes) cleaned: its text (None where it cannot
    be), or with `stats` a dict of the text and `Result.stats` (keys `text` and
    `textmend_...`, `textmend_error` None or why the document failed). With `field`,
    each element is a record (a dict, as `json.loads` gives for a line of JSONL):
    its `field` cleaned, without the final newline as the command writes it, the
    other keys kept in order (and with `stats` the `textmend_...` keys added)."""
    opts = Options.from_kwargs(options, **overrides)
    if field is None:
        cleaned = bag.map(partial(_clean_one, options=opts, stats=stats))
    else:
        cleaned = bag.map(partial(_clean_record, field=field, options=opts, stats=stats))
    return cast("dask.bag.Bag", cleaned)


def _clean_record(
    record: dict[str, Any], field: str, options: Options, stats: bool
) -> dict[str, Any]:
    row = _clean_one(record.get(field), options, True)
    text = row.pop("text")
    out = {**record, field: None if text is None else text.removesuffix("\n")}
    return {**out, **row} if stats else out


def clean_dataframe(
    frame: dask.dataframe.DataFrame,
    column: str = "text",
    options: Options | None = None,
    stats: bool = False,
    **overrides: object,
) -> dask.dataframe.DataFrame:
    """`frame` with `column` cleaned (None where a document cannot be), every other
    column kept; with `stats`, the `textmend_...` columns of `Result.stats` added."""
    if column not in frame.columns:
        raise KeyError(f"no column {column!r} (columns: {', '.join(map(str, frame.columns))})")
    opts = Options.from_kwargs(options, **overrides)
    clean = partial(clean_partition, column=column, options=opts, stats=stats)
    return cast("dask.dataframe.DataFrame", frame.map_partitions(clean, meta=clean(frame._meta)))


def clean_partition(
    frame: pandas.DataFrame, column: str, options: Options | None = None, stats: bool = False
) -> pandas.DataFrame:
    """One pandas partition cleaned as `clean_dataframe` cleans each (usable on a
    pandas DataFrame alone)."""
    rows = [_clean_one(value, options or Options(), True) for value in frame[column]]
    out = frame.copy()
    out[column] = _column(frame, [row["text"] for row in rows], "object")
    if stats:
        for key in STAT_KEYS:
            values = [row[PREFIX + key] for row in rows]
            out[PREFIX + key] = _column(frame, values, _dtype(key))
    return out


def _clean_one(document: Any, options: Options, stats: bool) -> Any:
    try:
        result = clean_document(document, options)
    except Exception as err:  # one bad document must not fail the partition
        if not stats:
            return None
        empty = {PREFIX + key: None for key in STAT_KEYS}
        return {"text": None, **empty, PREFIX + "error": f"{err.__class__.__name__}: {err}"}
    if not stats:
        return result.text
    row = {PREFIX + key: value for key, value in result.stats().items()}
    return {"text": result.text, **row, PREFIX + "error": None}


def _dtype(key: str) -> str:
    """The pandas dtype of a stats column: counts are integers, seconds and the
    confidence floats, the rest text (object, so that None stays None)."""
    if key.startswith("seconds_") or key == "confidence":
        return "float64"
    if key.startswith(("changes_", "removed_")) or key in ("bytes_in", "bytes_out", "replaced"):
        return "Int64"  # nullable: a failed document has none
    return "object"


def _column(frame: pandas.DataFrame, values: list[Any], dtype: str) -> pandas.Series:
    import pandas

    return pandas.Series(values, index=frame.index, dtype=dtype)
