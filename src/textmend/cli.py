"""The `textmend` command: a thin layer over `textmend.clean_document`.

Exit status: 0 success (also when the reader of stdout goes away, as in
`textmend big.txt | head`); 1 only for --check when something would change; 2 for
usage errors, when any input failed (the other inputs are still processed) or
when stdout or the report cannot be written (the run stops); 130 on Ctrl-C.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import io
import json
import logging
import os
import re
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import click

from . import __version__, blocks
from .files import (
    KeepOriginal,
    Source,
    atomic_writer,
    backup_of,
    expand,
    is_regular,
    same_file,
    write_atomic,
)
from .options import (
    BUDGET_BASE_SECONDS,
    HTML_READERS,
    JUNK_LABELS,
    LOSSY_POLICIES,
    SCRIPT_TARGETS,
    HtmlReader,
    LossyPolicy,
    Options,
    ScriptTarget,
)
from .progress import Progress

if TYPE_CHECKING:
    from .report_html import HtmlReport
    from .result import Result


class _Command(click.Command):
    """Report every usage error as one line (`textmend: error: ...`), exit 2; Ctrl-C
    as one line too, exit INTERRUPTED."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # Past click, which would print an empty line before its Abort.
            raise _Interrupted from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            status = super().main(*args, **kwargs)
        except _Interrupted:
            click.echo("textmend: interrupted", err=True)
            sys.exit(INTERRUPTED)
        except click.ClickException as err:
            click.echo(f"textmend: error: {err.format_message()}", err=True)
            sys.exit(err.exit_code)
        except click.Abort as err:
            if isinstance(err.__cause__, KeyboardInterrupt):
                click.echo("textmend: interrupted", err=True)
                sys.exit(INTERRUPTED)
            click.echo("textmend: aborted", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("textmend: interrupted", err=True)
            sys.exit(INTERRUPTED)
        sys.exit(status or 0)


INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


class _Interrupted(BaseException):
    """Ctrl-C, carried past click's own handling of KeyboardInterrupt."""


class _StreamFailed(Exception):
    """Stdout or the report cannot be written (a full disk...): the run stops, since
    every later input would fail the same way."""

    def __init__(self, where: str, err: OSError) -> None:
        super().__init__(f"textmend: {where}: {err.strerror or err}")


@dataclass
class Run:
    """State of one invocation: options, where things go, and how it went."""

    options: Options
    jsonl: bool
    field: str
    check: bool
    diff: bool
    report: BinaryIO | None  # UTF-8 JSON lines, whatever the locale
    report_name: str = "-"
    jobs: int = 1  # processes that clean JSONL records and files (0: one per core)
    parquet: bool = False  # the inputs are Parquet files: clean the column `field`
    ahead: _Ahead | None = None  # the current file, read and cleaned in a worker
    quiet: bool = False  # no warnings (failures are still said)
    verbose: bool = False  # a line per input, with its time
    progress: Progress | None = None
    shards: _Shards | None = None  # with --scheduler: each input's outcome on the cluster
    page: _Page | None = None  # --report-html: the run's audit page, written as it goes
    failed: bool = False
    would_change: list[str] = dataclasses.field(default_factory=list)

    def say(self, line: str) -> None:
        """One line on stderr (the progress line cleared first: it is redrawn later)."""
        if self.progress is not None:
            self.progress.close()
        click.echo(line, err=True)

    def advance(self, documents: int, nbytes: int) -> None:
        if self.progress is not None:
            self.progress.advance(documents, nbytes)

    def fail(self, source: str, message: str) -> None:
        self.failed = True
        self.say(f"textmend: {source}: {message}")
        self.write_report({"source": source, "error": message})

    @property
    def reporting(self) -> bool:
        """Whether each document's changes are wanted (--report or --report-html)."""
        return self.report is not None or self.page is not None

    def write_report(
        self,
        record: dict[str, Any],
        text: str | None = None,
        page: Result | dict[str, Any] | None = None,
    ) -> None:
        """One JSON line; a `_Spool` value is copied in from its temporary file. With
        --report-html the document goes on the page too (`write_page`)."""
        self.write_page(record, text, page)
        if self.report is None:
            return
        try:
            if any(isinstance(value, _Spool) for value in record.values()):
                _write_spooled(self.report, record)
            else:
                _write_all(self.report, _json_line(record))
            self.report.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            self.report = None  # nothing more goes there
            raise _StreamFailed(f"--report {self.report_name}", err) from None

    def write_page(
        self,
        record: dict[str, Any],
        text: str | None = None,
        page: Result | dict[str, Any] | None = None,
    ) -> None:
        """The document of a report record on the --report-html page: `text` its input
        when it is at hand, `page` what the page shows in place of the record (its
        Result, or the record with its sizes)."""
        if self.page is None:
            return
        try:
            self.page.add(record, text, page)
        except BrokenPipeError:
            raise
        except OSError as err:
            name = self.page.name
            self.page.discard()
            self.page = None  # nothing more goes there
            raise _StreamFailed(f"--report-html {name}", err) from None

    def warn_skipped(self, source: str, stages: list[str]) -> None:
        """One stderr line when stages ran out of their work budget (each passed its input
        on unchanged; the report names them under `skipped`; the exit status stays)."""
        if stages and not self.quiet:
            names = ", ".join(dict.fromkeys(stages))
            self.say(f"textmend: {source}: work budget exceeded in {names}; its input kept")

    def warn_replaced(self, source: str, replaced: int, encoding: str | None) -> None:
        """One stderr line when decoding replaced invalid bytes (the exit status stays)."""
        if replaced and not self.quiet:
            plural = "s" if replaced > 1 else ""
            self.say(
                f"textmend: {source}: {replaced} invalid byte sequence{plural} replaced "
                f"with U+FFFD ({encoding})"
            )


def _budget(value: str) -> float | None:
    """`--budget`: seconds (0 or more), or `none` for no limit."""
    if value.strip().lower() == "none":
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise click.UsageError(f"--budget: expected seconds (0 or more) or none, not {value!r}")
    return seconds


_log = logging.getLogger(__name__)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")  # a PATH that is a URL (http://, ftp://)


def _show_log() -> None:
    """textmend's log on stderr for this run (the library's own loggers, `textmend.*`);
    taken off again when the command ends (a host calling `main` keeps its logging)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    log = logging.getLogger("textmend")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)

    def restore() -> None:
        log.removeHandler(handler)
        log.setLevel(level)

    click.get_current_context().call_on_close(restore)


def _stage_option(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        f"--{name}/--no-{name}", default=True, show_default=True, help=f"Run the {name} stage."
    )


def _settings(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Defaults from `--config FILE`, else from the nearest pyproject.toml's
    `[tool.textmend]` (`textmend.config`); the command line wins over both."""
    from .config import ConfigError, find_pyproject, read_settings

    try:
        if value is not None:
            path: Path | None = Path(value)
            settings = read_settings(Path(value), whole_file=True)
        else:
            found = find_pyproject(Path.cwd())
            path = found[0] if found is not None else None
            settings = read_settings(found[0], whole_file=False, document=found[1]) if found else {}
    except ConfigError as err:
        where = "--config" if value is not None else "settings"
        raise click.UsageError(f"{where}: {err}") from None
    if settings:
        ctx.default_map = {**(ctx.default_map or {}), **settings}
        ctx.meta["textmend.config"] = path


@click.command("textmend", cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "paths", nargs=-1, metavar="[PATH]...", type=click.Path(allow_dash=True, path_type=str)
)
@click.option(
    "--config",
    metavar="FILE",
    is_eager=True,
    expose_value=False,
    callback=_settings,
    help=(
        "Settings from this TOML file (its [tool.textmend] table, else its top level); "
        "default: [tool.textmend] in the nearest pyproject.toml. Keys are option names."
    ),
)
@click.option("-o", "--output", metavar="FILE|DIR", help="Write here instead of stdout (-).")
@click.option("--in-place", is_flag=True, help="Rewrite each input file (atomically).")
@click.option("--backup", metavar="SUFFIX", help="With --in-place, keep originals as PATH+SUFFIX.")
@click.option("--jsonl", is_flag=True, help="Input is JSON Lines: clean one field of each record.")
@click.option(
    "--parquet",
    is_flag=True,
    help="Input is Parquet: clean one column (--field) of each row (textmend[parquet]).",
)
@click.option(
    "--field", default="text", show_default=True, help="The JSONL field or Parquet column to clean."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Clean files or JSONL records in N processes (0: one per core); output in input order.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help=(
        "Clean the JSONL or Parquet shards on this Dask cluster (or DASK_SCHEDULER_ADDRESS), "
        "one output shard per input (textmend[dask])."
    ),
)
@click.option("-q", "--quiet", is_flag=True, help="No warnings and no progress line (errors stay).")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="A line per input on stderr, with its time, and textmend's log (stages, decisions).",
)
@click.option("--report", metavar="FILE|-", help="Write a JSON line per document: changes and why.")
@click.option(
    "--report-html",
    metavar="FILE|-",
    help="Write the run's audit page: one self-contained HTML file, input beside output.",
)
@click.option("--diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option("--detect", is_flag=True, help="Only print each input's encoding (like file -i).")
@click.option("--encoding", metavar="CODEC", help="Decode files with this codec (not JSONL).")
@click.option(
    "--to",
    type=click.Choice(SCRIPT_TARGETS),
    default="auto",
    show_default=True,
    help=(
        "Chinese script: auto converts only machine-converted text back; simplified, "
        "traditional, tw (Taiwan, with its phrases), hk convert every block; keep never."
    ),
)
@click.option(
    "--lossy",
    type=click.Choice(LOSSY_POLICIES),
    default="keep",
    show_default=True,
    help="Characters whose bytes are gone (锟斤拷): keep, mark with U+FFFD, or drop.",
)
@click.option(
    "--html/--text",
    "html",
    default=None,
    help="Input is an HTML page: extract its article first (default: when it looks like one).",
)
@click.option(
    "--html-reader",
    type=click.Choice(HTML_READERS),
    default="fast",
    show_default=True,
    help=(
        "How an HTML page's article is found: fast (textmend's own reader, one parse) or "
        "careful (readability-lxml and trafilatura, the reading they agree on; slower; "
        "pip install 'textmend[careful]')."
    ),
)
@click.option(
    "--keep",
    metavar="LABEL,...",
    default="",
    help=f"Junk labels to keep besides ARTICLE and TITLE ({', '.join(JUNK_LABELS)}).",
)
@click.option(
    "--dedupe-lines",
    is_flag=True,
    help="Drop lines that repeat across many of the input documents (a site's boilerplate).",
)
@click.option(
    "--budget",
    metavar="SECONDS|none",
    default=str(BUDGET_BASE_SECONDS),
    show_default=True,
    help=(
        "Seconds any stage may take on a document, plus 2 s per MB; a stage that takes "
        "longer leaves its input unchanged, and stderr and the report say so."
    ),
)
@_stage_option("repair")
@_stage_option("markup")
@_stage_option("script")
@_stage_option("punctuation")
@_stage_option("junk")
@click.version_option(__version__, "-V", "--version", prog_name="textmend")
def cli(
    paths: tuple[str, ...],
    output: str | None,
    in_place: bool,
    backup: str | None,
    jsonl: bool,
    parquet: bool,
    field: str,
    jobs: int,
    scheduler: str | None,
    quiet: bool,
    verbose: bool,
    report: str | None,
    report_html: str | None,
    diff: bool,
    check: bool,
    detect: bool,
    encoding: str | None,
    to: str,
    lossy: str,
    html: bool | None,
    html_reader: str,
    keep: str,
    dedupe_lines: bool,
    budget: str,
    **stages: bool,
) -> int:
    """Clean scraped text: decode, repair mojibake, strip markup, restore Chinese
    script and punctuation, remove junk lines. With no PATH, or -, read stdin.

    Several files or a directory need -o DIR (mirrored) or --in-place.
    """
    for path in paths:
        if _URL.match(path):
            raise click.UsageError(
                f"{path}: URLs are not fetched; pipe the page in: curl -sL '{path}' | textmend"
            )
    sources, saw_directory = expand(list(paths) or ["-"])
    output = None if output == "-" else output
    if detect:
        if output or in_place or diff or check or jsonl:
            raise click.UsageError("--detect only reads: drop -o, --in-place, --diff, --check")
        if report_html:
            raise click.UsageError("--report-html shows a cleaning run: drop it with --detect")
        return _detect(sources, encoding, report)
    _validate(sources, saw_directory, output, in_place, backup, report, diff, check, encoding)
    _validate_page(report_html, report, sources, saw_directory, output, in_place, diff, check)
    if quiet and verbose:
        raise click.UsageError("-q and -v cannot be combined")
    if jsonl or parquet:
        scheduler = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    elif scheduler:
        raise click.UsageError("--scheduler runs JSONL or Parquet shards: add --jsonl or --parquet")
    if parquet:
        _validate_parquet(sources, jsonl, output, in_place, diff or check, encoding, dedupe_lines)
    many = len(sources) > 1 or saw_directory or _names_directory(output)
    shards = (
        _shard_targets(sources, output, in_place, backup, many, diff or check) if scheduler else []
    )
    if dedupe_lines and any(source.path is None for source in sources):
        raise click.UsageError("--dedupe-lines needs file paths: it reads the batch twice")
    labels = frozenset(label.strip() for label in keep.split(",") if label.strip())
    seconds = _budget(budget)
    try:
        options = Options(
            encoding=encoding,
            to=cast("ScriptTarget", to),
            lossy=cast("LossyPolicy", lossy),
            html=html,
            html_reader=cast("HtmlReader", html_reader),
            keep=labels,
            budget=seconds,
            **stages,  # type: ignore[arg-type]
        )
    except ValueError as err:
        raise click.UsageError(f"--keep: {err}") from None
    if html_reader == "careful":
        from .extract import CAREFUL_NEEDS, CarefulReaderMissing, require_careful

        try:
            require_careful()
        except CarefulReaderMissing as err:
            why = f"--html-reader careful {CAREFUL_NEEDS} ({err.__cause__})"
            raise click.UsageError(why) from None
    client = _dask_client(scheduler) if scheduler else None
    try:
        if dedupe_lines:
            from .junk import frequent_candidates, line_counts, repeated_in

            # Two counting passes in bounded memory (`junk.frequent_candidates`): the lines
            # that may repeat, then how often those do; on a cluster, shard by shard.
            if client is not None:
                counts, total = _line_counts_on_cluster(client, sources, jsonl, field)
            else:
                candidates, _ = frequent_candidates(_documents(sources, jsonl, field, encoding))
                counts, total = line_counts(_documents(sources, jsonl, field, encoding), candidates)
            repeated = repeated_in(counts, total)
            options = Options.from_kwargs(options, boilerplate_lines=repeated)
        report_handle = _open_report(report)
        page = _Page.open(report_html, paths) if report_html is not None else None
    except BaseException:
        if client is not None:
            client.close()
        raise
    run = Run(options, jsonl, field, check, diff, report_handle, report or "-", jobs, parquet)
    run.quiet, run.verbose, run.page = quiet, verbose, page
    if verbose:
        _show_log()
        settings = click.get_current_context().meta.get("textmend.config")
        if settings is not None:
            _log.debug("settings from %s", settings)
    if not quiet:
        run.progress = Progress(_total_bytes(sources))
    if client is not None:
        run.shards = _submitted_shards(run, client, shards, in_place, backup)
    ahead = _cleaned_ahead(run, sources)
    try:
        written: dict[Path, Source] = {}  # output file -> the input written there
        for source in sources:
            run.ahead = next(ahead, None)
            if in_place and backup and source.path is not None:
                original = backup_of(source.path, backup)
                if original is not None:  # an earlier run's backup: never its own input
                    reason = f"a backup ({backup}) of {original}; skipped"
                    run.write_report({"source": source.name, "skipped": reason})
                    continue
            target = _target(source, output, in_place, many, run.options.html)
            writes_over_input = target is not None and source.path is not None and not in_place
            if writes_over_input and same_file(target, source.path):  # type: ignore[arg-type]
                run.fail(source.name, "output would overwrite the input (use --in-place)")
                continue
            if target is not None and not in_place:
                key = Path(os.path.abspath(target))
                earlier = written.get(key)
                if earlier is not None and not _same_source(earlier, source):
                    run.fail(source.name, f"output {target} already written for {earlier.name}")
                    continue
                if _processed(run, source, target, in_place, backup):
                    written[key] = source
                continue
            _processed(run, source, target, in_place, backup)
    except BrokenPipeError:
        # The reader went away (`textmend big.txt | head`): stop quietly, not an error.
        _discard_stdout()
    except _StreamFailed as err:
        click.echo(str(err), err=True)
        run.failed = True
    except BaseException:
        if run.page is not None:  # (Ctrl-C): no page
            run.page.discard()
            run.page = None
        raise
    finally:
        ahead.close()  # the pool, if any, is shut down before the run ends
        if run.shards is not None:
            run.shards.close()
        if run.progress is not None:
            run.progress.close()
        run.failed |= not _close_report(report_handle, report)
        run.failed |= not (run.page is None or run.page.finish())
    if run.failed:
        return 2
    if check and run.would_change:
        return 1
    return 0


def _documents(
    sources: list[Source], jsonl: bool, field: str, encoding: str | None
) -> Iterator[str]:
    """The batch's documents as text, for --dedupe-lines (unreadable ones are skipped
    here and reported when they are processed)."""
    from .decode import DecodeError, decode

    for source in sources:
        if jsonl:
            yield from _field_values(source, field)
            continue
        try:
            data = source.read()
        except OSError:
            continue
        try:
            yield decode(data, encoding).text
        except DecodeError:
            continue


def _field_values(source: Source, field: str) -> Iterator[str]:
    """The `field` strings of a JSONL input, line by line (a corpus file is not read
    whole); lines as the cleaning pass reads them (`\n` ends, a first BOM dropped)."""
    try:
        with source.open() as stream:
            for number, line in enumerate(stream, 1):
                record = _read_record(line, _line_body(line, number == 1), field)
                if record.before is not None:
                    yield record.before
    except OSError:
        return


def _detect(sources: list[Source], encoding: str | None, report: str | None) -> int:
    """Print one line per input: `NAME: ENCODING (confidence C, runner-up R)`."""
    handle = _open_report(report)
    run = Run(Options(), False, "text", False, False, handle, report or "-")
    try:
        _detect_each(run, sources, encoding)
    except BrokenPipeError:
        _discard_stdout()  # as in the cleaning modes: `textmend --detect * | head`
    except _StreamFailed as err:
        click.echo(str(err), err=True)
        run.failed = True
    finally:
        run.failed |= not _close_report(handle, report)
    return 2 if run.failed else 0


def _detect_each(run: Run, sources: list[Source], encoding: str | None) -> None:
    from .decode import DecodeError

    for source in sources:
        try:
            found = _detection(source, encoding)
        except OSError as err:
            run.fail(source.name, err.strerror or str(err))
            continue
        except DecodeError as err:
            run.fail(source.name, str(err))
            continue
        run.warn_replaced(source.name, found["replaced"], found["encoding"])
        details = [f"confidence {found['confidence']:.3f}"]
        if found["runner_up"]:
            details.append(f"runner-up {found['runner_up']}")
        if found["encoding"] == "mixed":
            segments = (f"{s['encoding']}@{s['start']}-{s['end']}" for s in found["segments"])
            details.append(" ".join(segments))
        _stdout(f"{source.name}: {found['encoding']} ({', '.join(details)})\n".encode())
        run.write_report({"source": source.name, **found})


_DETECTED = ("encoding", "confidence", "evidence", "runner_up", "segments", "replaced")


def _detection(source: Source, encoding: str | None) -> dict[str, Any]:
    """What `--detect` says of one input (the _DETECTED fields of its report): decoded
    whole, or, past `blocks.STREAM_BLOCK_BYTES` where it may be cut, block by block as
    it would be cleaned, so that memory stays bounded."""
    from .decode import decode

    limit = blocks.STREAM_BLOCK_BYTES
    with source.open() as stream:
        head = stream.read(limit + 1)
        cuttable = blocks.blockwise_head(head) and (
            not encoding or blocks.blockwise_codec(encoding)
        )
        if len(head) <= limit or not cuttable:
            decoded = decode(head + stream.read(), encoding)
            return {
                "encoding": decoded.encoding,
                "confidence": decoded.confidence,
                "evidence": decoded.evidence,
                "runner_up": decoded.runner_up,
                "segments": [vars(s) for s in decoded.segments],
                "replaced": decoded.replaced,
            }
        total = _Blockwise(source.name)
        codec = encoding
        for block in blocks.split(head, stream, limit):
            decoded = decode(block.data, _block_codec(block.data, encoding, codec))
            codec = _next_codec(decoded.encoding, codec, total.offset, len(block.data))
            found = {key: getattr(decoded, key) for key in _DETECTED if key != "segments"}
            found["segments"] = [vars(s) for s in decoded.segments]
            total.add(found, len(block.data), keep=False)
        record = total.record(changed=False)
        return {key: record[key] for key in _DETECTED}


def _block_codec(data: bytes, forced: str | None, previous: str | None) -> str | None:
    """The codec to decode a block with: the forced one, else the previous block's if it
    decodes this one strictly (detection must not wander between blocks), else None."""
    if forced:
        return forced
    return previous if previous and _decodes(data, previous) else None


def _next_codec(encoding: str, previous: str | None, offset: int, size: int) -> str | None:
    """The codec the next block is tried with, after one read as `encoding`. Blocks are
    cut as ASCII-compatible bytes: one that reads as UTF-16 or ISO-2022 (binary data,
    most often) cannot be right, and the input fails whole (DecodeError)."""
    from .decode import DecodeError

    if encoding != "mixed" and not blocks.blockwise_codec(encoding):
        where = f"bytes {offset}-{offset + size}"
        raise DecodeError(f"{where} read as {encoding}, not as the text before")
    return previous if encoding in ("mixed", "ascii") else encoding


def _validate(
    sources: list[Source],
    saw_directory: bool,
    output: str | None,
    in_place: bool,
    backup: str | None,
    report: str | None,
    diff: bool,
    check: bool,
    encoding: str | None,
) -> None:
    stdin = any(s.path is None for s in sources)
    writes_nothing = diff or check
    if diff and check:
        raise click.UsageError("--diff and --check cannot be combined")
    if writes_nothing and (output or in_place):
        raise click.UsageError("--diff and --check write nothing; drop -o/--in-place")
    if in_place and output:
        raise click.UsageError("--in-place and -o cannot be combined")
    if in_place and stdin:
        raise click.UsageError("--in-place needs file paths, not stdin")
    if backup is not None and not in_place:
        raise click.UsageError("--backup needs --in-place")
    if backup is not None and (not backup or "/" in backup):
        raise click.UsageError("--backup SUFFIX must be a non-empty file-name suffix")
    if stdin and len(sources) > 1:
        raise click.UsageError("stdin (-) cannot be mixed with other inputs")
    if stdin and _names_directory(output):
        raise click.UsageError(f"-o {output}: stdin has no file name; give -o FILE")
    many = len(sources) > 1 or saw_directory
    if many and not (output or in_place or writes_nothing):
        raise click.UsageError("several inputs or a directory need -o DIR or --in-place")
    if many and output and Path(output).exists() and not Path(output).is_dir():
        raise click.UsageError(f"-o {output}: several inputs need a directory, not a file")
    if report == "-" and not (output or in_place or writes_nothing):
        raise click.UsageError("--report - needs the text written elsewhere (-o, --in-place)")
    if report is not None and report != "-":
        _validate_report_path(Path(report), sources, output, many)
    if encoding:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise click.UsageError(f"unknown encoding {encoding!r}") from None
        # Codecs such as base64 or rot13 exist but cannot decode bytes to text.
        if not getattr(info, "_is_text_encoding", True):
            raise click.UsageError(f"{encoding!r} is not a text encoding")


def _validate_parquet(
    sources: list[Source],
    jsonl: bool,
    output: str | None,
    in_place: bool,
    writes_nothing: bool,
    encoding: str | None,
    dedupe_lines: bool,
) -> None:
    if jsonl:
        raise click.UsageError("--parquet and --jsonl cannot be combined")
    if any(source.path is None for source in sources):
        raise click.UsageError("--parquet reads files, not stdin")
    if not (output or in_place or writes_nothing):
        raise click.UsageError("--parquet writes Parquet files: give -o FILE|DIR or --in-place")
    if encoding or dedupe_lines:
        raise click.UsageError("--parquet takes text columns: drop --encoding, --dedupe-lines")


def _validate_report_path(
    report: Path, sources: list[Source], output: str | None, many: bool, option: str = "--report"
) -> None:
    """The report file is truncated at start: it must be neither an input nor the output."""
    for source in sources:
        if source.path is not None and (
            same_file(report, source.path) or _same_path(report, source.path)
        ):
            raise click.UsageError(f"{option} {report} would overwrite the input {source.name}")
    if output is None or many or _names_directory(output):
        return
    if same_file(report, Path(output)) or _same_path(report, Path(output)):
        raise click.UsageError(f"{option} {report} is also the -o output")


def _validate_page(
    page: str | None,
    report: str | None,
    sources: list[Source],
    saw_directory: bool,
    output: str | None,
    in_place: bool,
    diff: bool,
    check: bool,
) -> None:
    """--report-html follows --report's rules: `-` only when nothing else goes to
    stdout; a file that is neither an input, nor the output, nor the --report file."""
    if page is None:
        return
    if page == "-":
        if report == "-" or diff:
            raise click.UsageError("--report-html - cannot share stdout (--report -, --diff)")
        if not (output or in_place or check):
            raise click.UsageError(
                "--report-html - needs the text written elsewhere (-o, --in-place)"
            )
        return
    if not page:
        raise click.UsageError("--report-html needs a file name (or -)")
    if report is not None and report != "-" and _same_path(Path(report), Path(page)):
        raise click.UsageError(f"--report-html {page} is also the --report file")
    many = len(sources) > 1 or saw_directory
    _validate_report_path(Path(page), sources, output, many, "--report-html")


def _same_path(a: Path, b: Path) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)


def _same_source(a: Source, b: Source) -> bool:
    """Whether two inputs are the same file (given twice), so the output is the same."""
    return a.path is not None and b.path is not None and same_file(a.path, b.path)


def _names_directory(output: str | None) -> bool:
    """-o names a directory: an existing one, or a path ending in a separator."""
    if output is None:
        return False
    return Path(output).is_dir() or output.endswith(("/", os.sep))


def _open_report(report: str | None) -> BinaryIO | None:
    """The report handle: unbuffered for a file, so that a failed write leaves nothing
    behind to fail again at close."""
    if report is None:
        return None
    if report == "-":
        return sys.stdout.buffer
    try:
        return open(report, "wb", buffering=0)
    except OSError as err:
        raise click.UsageError(f"--report {report}: {err.strerror}") from None


class _Page:
    """--report-html: the run's audit page (`textmend.report_html`), written document by
    document to a temporary file that takes the place of FILE when the run ends (as
    every output: `files.atomic_writer`), or to stdout (`-`)."""

    def __init__(self, name: str, title: str) -> None:
        from .report_html import HtmlReport

        self.name = name
        self.target: Any = None if name == "-" else atomic_writer(Path(name))
        try:
            handle = sys.stdout.buffer if self.target is None else self.target.__enter__()
        except OSError as err:
            raise click.UsageError(f"--report-html {name}: {err.strerror or err}") from None
        # (a lone surrogate of a file name cannot be UTF-8: the page escapes its own)
        self.stream = io.TextIOWrapper(
            handle, encoding="utf-8", errors="backslashreplace", newline="\n"
        )
        self.report: HtmlReport = HtmlReport(self.stream, title=title)

    @classmethod
    def open(cls, name: str, paths: tuple[str, ...]) -> _Page:
        shown = ", ".join(paths[:3]) or "<stdin>"
        more = f" and {len(paths) - 3:,} more" if len(paths) > 3 else ""
        return cls(name, f"textmend: {shown}{more}")

    def add(
        self, record: dict[str, Any], text: str | None, page: Result | dict[str, Any] | None
    ) -> None:
        """One document: the Result or record given for the page, else the report
        record (its spooled changes read back one by one)."""
        outcome = record if page is None else page
        if not isinstance(outcome, dict):
            changed = record.get("changed")
            self.report.add(record["source"], text, outcome, changed=changed)
            return
        outcome = {
            key: value.items() if isinstance(value, _Spool) else value
            for key, value in outcome.items()
        }
        self.report.add(record["source"], text, outcome)

    def finish(self) -> bool:
        """Write the summary and put the page in place; False (after one line on
        stderr) if that fails."""
        try:
            self.report.close()
            self.stream.flush()
            self.stream.detach()
            if self.target is not None:
                self.target.__exit__(None, None, None)
        except BrokenPipeError:  # `--report-html - | head`: not an error of ours
            self.discard()
            _discard_stdout()
        except OSError as err:
            self.discard()
            click.echo(f"textmend: --report-html {self.name}: {err.strerror or err}", err=True)
            return False
        return True

    def discard(self) -> None:
        """Drop the page (the run was interrupted, or the page cannot be written)."""
        with suppress(OSError, ValueError):
            self.stream.detach()
        if self.target is not None:
            target, self.target = self.target, None
            with suppress(OSError):
                target.__exit__(KeepOriginal, KeepOriginal(), None)


def _close_report(handle: BinaryIO | None, report: str | None) -> bool:
    """Close a report file; False (after one line on stderr) if that fails."""
    if handle is None or handle is sys.stdout.buffer:
        return True
    try:
        handle.close()
    except OSError as err:
        click.echo(f"textmend: --report {report}: {err.strerror or err}", err=True)
        return False
    return True


def _target(
    source: Source, output: str | None, in_place: bool, many: bool, html: bool | None = None
) -> Path | None:
    """Where the cleaned text of `source` goes; None means stdout. In a batch written
    to a directory, a page's name (`.html`, `.htm`, ...) ends in `.txt`: what is
    written is its article as text (unless --text said the input is text)."""
    if in_place:
        # A symlink stays a link: the file it points to is rewritten.
        return Path(os.path.realpath(source.path)) if source.path is not None else None
    if output is None:
        return None
    if many and source.relative is not None:
        relative = source.relative
        if html is not False and relative.suffix.lower() in PAGE_SUFFIXES:
            relative = relative.with_suffix(".txt")
        return Path(output) / relative
    return Path(output)


PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})


def _processed(
    run: Run, source: Source, target: Path | None, in_place: bool, backup: str | None
) -> bool:
    """`_process`, its progress counted (a JSONL or Parquet file counts its records
    as it goes) and with -v its time said."""
    started = time.perf_counter()
    if run.shards is not None:
        ok = run.shards.apply(run, source)
    else:
        ok = _process(run, source, target, in_place, backup)
    if run.shards is not None or not (run.jsonl or run.parquet):
        run.advance(1, _size(source))  # (records count themselves where they are cleaned here)
    if run.verbose:
        outcome = "done" if ok else "failed"
        run.say(f"textmend: {source.name}: {outcome} in {time.perf_counter() - started:.2f} s")
    return ok


class _Shards:
    """With --scheduler: every input shard cleaned by a task on the Dask cluster, which
    writes its output shard and sends back what it said (stderr, stdout, report lines);
    `apply` says it here, input by input, in order, as if it ran here."""

    def __init__(self, client: Any, futures: dict[str, Any]) -> None:
        self.client = client
        self.futures = futures

    def apply(self, run: Run, source: Source) -> bool:
        future = self.futures.pop(source.name, None)
        if future is None:
            return False
        try:
            outcome: _ShardOutcome = future.result()
        except Exception as err:  # a worker lost, a task killed: this shard failed
            run.fail(source.name, f"on the cluster: {err.__class__.__name__}: {err}")
            return False
        if outcome.stderr:
            run.say(outcome.stderr.removesuffix("\n"))
        if outcome.report and run.report is not None:
            _write_all(run.report, outcome.report)
            run.report.flush()
        for line in outcome.report.splitlines() if run.page is not None else ():
            run.write_page(json.loads(line))
        if outcome.stdout:
            _stdout(outcome.stdout)
        run.failed |= outcome.failed
        run.would_change += outcome.would_change
        return outcome.ok

    def close(self) -> None:
        self.client.close()


@dataclass(frozen=True)
class _ShardJob:
    options: Options
    jsonl: bool
    parquet: bool
    field: str
    check: bool
    diff: bool
    quiet: bool
    path: Path
    relative: Path | None
    target: Path | None
    in_place: bool
    backup: str | None


@dataclass(frozen=True)
class _ShardOutcome:
    ok: bool
    failed: bool
    stderr: str
    stdout: bytes
    report: bytes
    would_change: list[str]


def _shard_targets(
    sources: list[Source],
    output: str | None,
    in_place: bool,
    backup: str | None,
    many: bool,
    writes_nothing: bool,
) -> list[tuple[Source, Path | None]]:
    """Each input shard and where its output goes, checked here before anything runs,
    as the workers write their outputs themselves: no output may be an input, nor two
    inputs write one output. An earlier run's backup is left to the loop (skipped)."""
    shards: list[tuple[Source, Path | None]] = []
    targets: set[Path] = set()
    for source in sources:
        if source.path is None:
            raise click.UsageError("--scheduler reads files, not stdin")
        if in_place and backup and backup_of(source.path, backup) is not None:
            continue
        target = _target(source, output, in_place, many)
        if target is None and not writes_nothing:
            raise click.UsageError("--scheduler writes one output per input: -o DIR or --in-place")
        if target is not None and not in_place:
            if same_file(target, source.path):
                raise click.UsageError(f"output {target} would overwrite the input")
            key = Path(os.path.abspath(target))
            if key in targets:
                raise click.UsageError(f"two inputs would write {target}")
            targets.add(key)
        shards.append((source, target))
    return shards


def _dask_client(scheduler: str) -> Any:
    """A client of the Dask cluster at `scheduler` (one for the whole run)."""
    try:
        from distributed import Client
    except ImportError:
        raise click.UsageError("--scheduler needs Dask: pip install 'textmend[dask]'") from None
    try:
        return Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as err:
        raise click.UsageError(f"--scheduler {scheduler}: {err}") from None


def _submitted_shards(
    run: Run,
    client: Any,
    shards: list[tuple[Source, Path | None]],
    in_place: bool,
    backup: str | None,
) -> _Shards:
    """Every input shard submitted to the cluster as a task (`_run_shard`)."""
    futures = {}
    for source, target in shards:
        assert source.path is not None  # (_shard_targets)
        job = _ShardJob(
            run.options,
            run.jsonl,
            run.parquet,
            run.field,
            run.check,
            run.diff,
            run.quiet,
            source.path,
            source.relative,
            target,
            in_place,
            backup,
        )
        futures[source.name] = client.submit(_run_shard, job, pure=False)
    return _Shards(client, futures)


def _line_counts_on_cluster(
    client: Any, sources: list[Source], jsonl: bool, field: str
) -> tuple[Counter[str], int]:
    """--dedupe-lines' counting passes on the cluster: each shard's candidate lines
    (`junk.frequent_candidates`), their union sent back to every shard, and how often
    each shard holds them, added up."""
    paths = [source.path for source in sources if source.path is not None]
    candidates: set[str] = set()
    for future in client.map(_shard_candidates, paths, jsonl=jsonl, field=field, pure=False):
        candidates |= future.result()[0]
    counts: Counter[str] = Counter()
    total = 0
    # (a list of one: a collection given to scatter is scattered element by element)
    [shared] = client.scatter([frozenset(candidates)], broadcast=True)
    for future in client.map(
        _shard_line_counts, paths, jsonl=jsonl, field=field, only=shared, pure=False
    ):
        shard_counts, shard_total = future.result()
        counts.update(shard_counts)
        total += shard_total
    return counts, total


def _shard_candidates(path: Path, jsonl: bool, field: str) -> tuple[frozenset[str], int]:
    from .junk import frequent_candidates

    return frequent_candidates(_documents([Source(path)], jsonl, field, None))


def _shard_line_counts(
    path: Path, jsonl: bool, field: str, only: frozenset[str]
) -> tuple[Counter[str], int]:
    from .junk import line_counts

    return line_counts(_documents([Source(path)], jsonl, field, None), only)


def _run_shard(job: _ShardJob) -> _ShardOutcome:
    """On a worker: one shard through `_process`, what it says captured."""
    import contextlib
    import io

    report, stderr, stdout = io.BytesIO(), io.StringIO(), io.BytesIO()
    run = Run(job.options, job.jsonl, job.field, job.check, job.diff, report, "-", 1, job.parquet)
    run.quiet = job.quiet
    text_stdout = io.TextIOWrapper(stdout, encoding="utf-8")
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(text_stdout):
        source = Source(job.path, job.relative)
        ok = _process(run, source, job.target, job.in_place, job.backup)
        text_stdout.flush()
    return _ShardOutcome(
        ok, run.failed, stderr.getvalue(), stdout.getvalue(), report.getvalue(), run.would_change
    )


def _size(source: Source) -> int:
    try:
        return source.path.stat().st_size if source.path is not None else 0
    except OSError:
        return 0


def _total_bytes(sources: list[Source]) -> int | None:
    """The batch's size, for the time left; None when stdin is read."""
    if any(source.path is None for source in sources):
        return None
    return sum(map(_size, sources))


def _process(
    run: Run, source: Source, target: Path | None, in_place: bool, backup: str | None
) -> bool:
    """Clean one input; False (after one line on stderr) when it failed."""
    try:
        if in_place and source.path is not None and not is_regular(source.path):
            run.fail(source.name, "not a regular file (--in-place rewrites only those); skipped")
            return False
        if run.jsonl:
            _process_jsonl(run, source, target, in_place, backup)
        elif run.parquet:
            _process_parquet(run, source, target, in_place, backup)
        else:
            return _process_text(run, source, target, in_place, backup)
    except (BrokenPipeError, _StreamFailed):
        raise  # stdout or the report is gone: the whole run stops (see `cli`)
    except _InputFailed as err:
        run.fail(source.name, str(err))
        return False
    except OSError as err:
        where = f" ({err.filename})" if err.filename else ""
        run.fail(source.name, f"{err.strerror or err}{where}")
        return False
    except Exception as err:  # never a traceback; the other inputs still get processed
        run.fail(source.name, f"unexpected {err.__class__.__name__}: {err}; skipped")
        return False
    return True


def _process_text(
    run: Run, source: Source, target: Path | None, in_place: bool, backup: str | None
) -> bool:
    """Clean one plain-text input: whole when it is at most `blocks.STREAM_BLOCK_BYTES`
    (or cannot be cut: UTF-16/32, ISO-2022, HTML, a codec forced that cannot), else
    block by block. Its report record is written last, once the output is in place."""
    ahead, run.ahead = run.ahead, None
    if ahead is not None and ahead.raw is not None:
        return _process_whole(run, source, target, in_place, backup, ahead.raw, ahead.result)
    with source.open() as stream:
        head = stream.read(blocks.STREAM_BLOCK_BYTES + 1)
        if not _blockwise(head, run.options):
            return _process_whole(run, source, target, in_place, backup, head + stream.read())
        return _process_blocks(run, source, target, in_place, backup, head, stream)


def _blockwise(head: bytes, options: Options) -> bool:
    """Whether an input whose first STREAM_BLOCK_BYTES + 1 bytes are `head` is cleaned
    block by block rather than whole."""
    forced = options.encoding
    return (
        len(head) > blocks.STREAM_BLOCK_BYTES
        and blocks.blockwise_head(head)
        and (not forced or blocks.blockwise_codec(forced))
        and not _html_page(head, options.html)
    )


def _process_whole(
    run: Run,
    source: Source,
    target: Path | None,
    in_place: bool,
    backup: str | None,
    raw: bytes,
    cleaned_ahead: Result | Exception | None = None,
) -> bool:
    from .decode import DecodeError
    from .pipeline import clean_document

    if _forced_binary(raw, run.options.encoding):
        run.fail(source.name, "binary data (NUL bytes), not text; skipped")
        return False
    try:
        if isinstance(cleaned_ahead, Exception):
            raise cleaned_ahead
        result = cleaned_ahead or clean_document(raw, run.options)
    except DecodeError as err:
        run.fail(source.name, f"{err}; skipped")
        return False
    run.warn_replaced(source.name, result.replaced, result.encoding)
    run.warn_skipped(source.name, result.skipped)
    cleaned = result.text.encode("utf-8")
    changed = cleaned != raw
    if changed:
        # The text as decoded (never re-decoded by codec name: "mixed" is none).
        before = result.decoded.text if result.decoded else raw.decode("utf-8", "replace")
        _note_change(run, source.name, before, result.text)
    if not (run.check or run.diff):
        if target is None:
            _stdout(cleaned)
        elif not in_place:
            write_atomic(target, cleaned)
        elif changed:
            write_atomic(target, cleaned, backup_suffix=backup)
    if run.report is not None and run.page is None:
        run.write_report({"source": source.name, "changed": changed, **result.to_dict()})
    elif run.page is not None:  # the page shows the text as decoded beside the output
        record = {"source": source.name, "changed": changed}
        if run.report is not None:
            record.update(result.to_dict())
        decoded = result.decoded.text if result.decoded else raw.decode("utf-8", "replace")
        run.write_report(record, decoded, result)
    return True


@dataclass(frozen=True)
class _Ahead:
    """A file read and cleaned ahead, in a worker (`raw` None: not read ahead)."""

    raw: bytes | None = None
    result: Result | Exception | None = None


def _cleaned_ahead(run: Run, sources: list[Source]) -> Generator[_Ahead, None, None]:
    """With --jobs (not 1), an `_Ahead` for each source in order: the files that are
    cleaned whole (`_process_text`) read and cleaned in a pool of processes, a few
    ahead of the one being written; the others (stdin, files cleaned block by
    block, unreadable ones) are left to the usual path. Everything the run says or
    writes still happens in `cli`'s loop, in input order."""
    if run.jobs == 1 or run.jsonl or run.parquet:
        return
    from .parallel import ordered_map

    raws = (_whole_file(run, source) for source in sources)
    clean = partial(_clean_file, options=run.options)
    for raw, result in ordered_map(clean, raws, run.jobs):  # type: ignore[misc]
        yield _Ahead(raw, result)


def _whole_file(run: Run, source: Source) -> bytes | None:
    """The bytes of a file `_process_text` would clean whole, None for any other."""
    if source.path is None:
        return None
    try:
        with source.open() as stream:
            head = stream.read(blocks.STREAM_BLOCK_BYTES + 1)
            return None if _blockwise(head, run.options) else head + stream.read()
    except OSError:
        return None


def _clean_file(
    raw: bytes | None, options: Options
) -> tuple[bytes | None, Result | Exception | None]:
    """A worker's part of a file cleaned whole: `clean_document`, or its exception."""
    from .pipeline import clean_document

    if raw is None or _forced_binary(raw, options.encoding):
        return raw, None
    try:
        return raw, clean_document(raw, options)
    except Exception as err:  # shown where the file's turn comes, as without --jobs
        return raw, err


def _html_page(head: bytes, html: bool | None) -> bool:
    """Whether the input is to be read as an HTML page (its article is extracted from
    the whole page, so it cannot be cut), as the pipeline would decide from its head."""
    if html is not None:
        return html
    if b"<" not in head[:4096]:
        return False
    from .extract import looks_like_html

    return looks_like_html(head.decode("utf-8", "replace"))


class _Spool:
    """The items of a JSON array, written one by one to a temporary file (created on
    the first) and copied into the report when the record is written."""

    def __init__(self) -> None:
        self.handle: BinaryIO | None = None

    def add(self, item: dict[str, Any]) -> None:
        if self.handle is None:
            import tempfile  # only a large input's report is spooled

            self.handle = tempfile.TemporaryFile()  # noqa: SIM115 (see `close`)
        else:
            self.handle.write(b", ")
        self.handle.write(_json_text(item))

    def items(self) -> Iterator[dict[str, Any]]:
        """The items read back one by one (for --report-html)."""
        if self.handle is None:
            return
        self.handle.seek(0)
        decoder, read = json.JSONDecoder(), codecs.getincrementaldecoder("utf-8")()
        text = ""
        while True:
            chunk = self.handle.read(1 << 20)
            text += read.decode(chunk, final=not chunk)
            position = 0
            while True:
                while text[position : position + 2] == ", ":
                    position += 2
                try:
                    item, position = decoder.raw_decode(text, position)
                except json.JSONDecodeError:
                    break  # the rest of the item is in the next chunk
                yield item
            text = text[position:]
            if not chunk:
                return

    def copy_to(self, out: BinaryIO) -> None:
        _write_all(out, b"[")
        if self.handle is not None:
            self.handle.seek(0)
            while chunk := self.handle.read(1 << 20):
                _write_all(out, chunk)
        _write_all(out, b"]")

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


@dataclass
class _Blockwise:
    """What the blocks of one input add up to, for its single report record."""

    name: str
    count: int = 0
    offset: int = 0  # bytes of input before the current block
    lines_before: int = 0  # lines of decoded input before the current block
    lines_after: int = 0  # lines of output before the current block
    encodings: list[str] = field(default_factory=list)
    first: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    segments: list[dict[str, Any]] = field(default_factory=list)
    replaced: int = 0
    skipped: list[str] = field(default_factory=list)
    changes: _Spool = field(default_factory=_Spool)
    removed: _Spool = field(default_factory=_Spool)
    diffed: bool = False
    written: int = 0  # bytes of output

    def add(self, record: dict[str, Any], size: int, keep: bool) -> None:
        """Count one block in; its changes are kept only for a report (`keep`), and
        then in temporary files, not in memory (a huge input has millions)."""
        if not self.first:
            self.first = {key: record[key] for key in ("evidence", "runner_up")}
        if record["encoding"] not in self.encodings:
            self.encodings.append(record["encoding"])
        self.confidence = min(self.confidence, record["confidence"] or 0.0)
        for segment in record["segments"]:
            start, end = segment["start"] + self.offset, segment["end"] + self.offset
            if self.segments and self.segments[-1]["encoding"] == segment["encoding"]:
                self.segments[-1]["end"] = end
            else:
                self.segments.append({**segment, "start": start, "end": end})
        self.replaced += record["replaced"]
        self.skipped += [s for s in record.get("skipped", []) if s not in self.skipped]
        for key in ("changes", "removed") if keep else ():
            spool: _Spool = getattr(self, key)
            for change in record[key]:
                spool.add({**change, "block": self.count})
        self.count += 1
        self.offset += size

    def record(self, changed: bool) -> dict[str, Any]:
        encodings = [e for e in self.encodings if e != "ascii"] or self.encodings
        return {
            "source": self.name,
            "changed": changed,
            "encoding": encodings[0] if len(encodings) == 1 else "mixed",
            "confidence": self.confidence,
            "evidence": f"{self.first['evidence']} (first of {self.count} blocks)",
            "runner_up": self.first["runner_up"],
            "segments": self.segments,
            "replaced": self.replaced,
            "skipped": self.skipped,
            "changes": self.changes,
            "removed": self.removed,
            "blocks": self.count,
        }

    def __enter__(self) -> _Blockwise:
        return self

    def __exit__(self, *_: object) -> None:
        """The temporary files of the changes go, whatever happened."""
        self.changes.close()
        self.removed.close()


def _process_blocks(
    run: Run,
    source: Source,
    target: Path | None,
    in_place: bool,
    backup: str | None,
    head: bytes,
    stream: BinaryIO,
) -> bool:
    """Clean a large input block by block (see `textmend.blocks`), writing each block's
    text as it comes: to the temporary file of an atomic write, or to stdout (which a
    later block's failure cannot take back). Joins keep the layout: one blank line
    between paragraphs, the final newline once. A block whose codec is the one the
    previous block used is decoded with it, so detection cannot wander between blocks.
    `Change.line` in the report counts within the block named by `block`."""
    with _Blockwise(source.name) as total:
        digest_in, digest_out = hashlib.sha256(), hashlib.sha256()
        codec = run.options.encoding
        pending = ""  # the last block's final newline, held until we know how it joins
        with _sink(run, target, in_place, backup) as out:
            for block in blocks.split(head, stream, blocks.STREAM_BLOCK_BYTES):
                digest_in.update(block.data)
                result, codec = _cleaned_block(run, block.data, codec, total.offset)
                piece = _joined(block, result.text, bool(pending))
                pending = "\n" if result.text else pending
                data = piece.encode("utf-8")
                digest_out.update(data)
                _write_all(out, data)
                if target is None:
                    out.flush()
                if run.diff and result.decoded is not None:
                    _diff_block(run, total, result.decoded.text, piece)
                total.add(result.to_dict(), len(block.data), keep=run.reporting)
                total.written += len(data)
            digest_out.update(pending.encode())
            _write_all(out, pending.encode())
            changed = digest_in.digest() != digest_out.digest()
            if changed:
                _mark_changed(run, source.name)
            if in_place and not changed:
                raise KeepOriginal
        record = total.record(changed)
        run.warn_replaced(source.name, total.replaced, record["encoding"])
        run.warn_skipped(source.name, total.skipped)
        sizes = {"bytes_in": total.offset, "bytes_out": total.written + len(pending)}
        run.write_report(record, None, {**record, **sizes} if run.page else None)
        return True


def _cleaned_block(
    run: Run, data: bytes, codec: str | None, offset: int
) -> tuple[Result, str | None]:
    """One block cleaned, and the codec the next block is tried with (`_next_codec`)."""
    from .decode import DecodeError
    from .pipeline import clean_document

    use = _block_codec(data, run.options.encoding, codec)
    options = Options.from_kwargs(run.options, encoding=use)
    if _forced_binary(data, options.encoding):
        raise _InputFailed("binary data (NUL bytes), not text; skipped")
    try:
        result = clean_document(data, options)
        if result.encoding:
            codec = _next_codec(result.encoding, codec, offset, len(data))
    except DecodeError as err:
        raise _InputFailed(f"{err}; skipped") from None
    return result, codec


def _joined(block: blocks.Block, text: str, after_text: bool) -> str:
    """A block's text as written after the text before it (held back: its final
    newline). A cut inside a line rejoins it (with the space cut at, which layout
    trimmed); a cut at a line end is a paragraph break, as layout makes it."""
    if not text:
        return ""
    joint = (" " if block.space else "") if block.inline else "\n\n"
    return (joint if after_text else "") + text[:-1]


class _InputFailed(Exception):
    """One input cannot be cleaned (raised inside its output, which is then dropped)."""


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _forced_binary(raw: bytes, encoding: str | None) -> bool:
    """NUL characters in text decoded with a forced codec: binary data that a codec such
    as latin-1 would otherwise "decode" (detection already refuses these itself)."""
    if not encoding or b"\x00" not in raw:
        return False
    try:
        return "\x00" in raw.decode(encoding, errors="replace")
    except (UnicodeError, LookupError):  # a codec without "replace": decoding will tell
        return False


def _process_jsonl(
    run: Run, source: Source, target: Path | None, in_place: bool, backup: str | None
) -> None:
    """Clean one field of every record, streaming; other lines pass through unchanged.

    --in-place leaves a file whose output would be byte-identical untouched (no backup).
    """
    with source.open() as stream, _sink(run, target, in_place, backup) as out:
        changed = False
        first = 1  # the number of the chunk's first line
        for chunk in _cleaned_chunks(run, source, stream):
            changed = changed or chunk.changed
            for said in chunk.said:
                _say(run, said, f"{source.name}:{first + said.line}")
            first += chunk.records
            run.advance(chunk.records, chunk.nbytes)
            _write_all(out, chunk.output)
            if target is None:
                out.flush()
        if in_place and not changed:
            raise KeepOriginal


# Rows read from a Parquet file at once: a row group may be large, and the cleaned
# column of each batch is written before the next is read.
PARQUET_BATCH_ROWS = 1024


def _process_parquet(
    run: Run, source: Source, target: Path | None, in_place: bool, backup: str | None
) -> None:
    """Clean the column `run.field` of every row, batch by batch (every other column,
    the schema and the row order kept); a value that is no string is kept and
    reported, as a JSONL record without the field is."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise _InputFailed("--parquet needs pyarrow: pip install 'textmend[parquet]'") from None
    from .parallel import ordered_map

    assert source.path is not None  # (_validate_parquet)
    try:
        parquet = pq.ParquetFile(source.path)
    except (pa.ArrowException, ValueError) as err:
        raise _InputFailed(f"not a Parquet file ({err})") from None
    schema = parquet.schema_arrow
    if run.field not in schema.names:
        raise _InputFailed(f"no column {run.field!r} (columns: {', '.join(schema.names)})")
    column = schema.names.index(run.field)
    if not pa.types.is_string(schema.types[column]) and not pa.types.is_large_string(
        schema.types[column]
    ):
        raise _InputFailed(f"column {run.field!r} is {schema.types[column]}, not text")
    batches: deque[tuple[Any, list[Any]]] = deque()  # read, not yet written

    def texts() -> Iterator[str | None]:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            if batch.num_rows:
                table = pa.Table.from_batches([batch], schema=schema)
                values = table.column(column).to_pylist()
                batches.append((table, values))
                yield from (value if isinstance(value, str) else None for value in values)

    with _sink(run, target, in_place, backup) as out:
        writer = pq.ParquetWriter(out, schema)
        changed = False
        row = 0
        try:
            # One pool for the whole file: a batch's results are its rows' next results.
            clean = partial(_clean_field, options=run.options, changes=run.reporting)
            results = ordered_map(clean, texts(), run.jobs)
            for first in results:
                table, values = batches.popleft()
                cleaned = _cleaned_values(
                    run, source.name, row, values, [first, *islice(results, len(values) - 1)]
                )
                changed = changed or cleaned != values
                array = pa.array(cleaned, type=schema.types[column])
                writer.write_table(table.set_column(column, schema.field(column), array))
                row += len(values)
                run.advance(len(values), table.nbytes)
        finally:
            writer.close()
        if in_place and not changed:
            raise KeepOriginal


def _cleaned_values(
    run: Run, name: str, first: int, values: list[Any], results: list[Result | Exception | None]
) -> list[Any]:
    """A Parquet batch's column cleaned, rows named NAME:ROW (1-based), each reported
    in order as a JSONL record is."""
    out = []
    for number, (value, result) in enumerate(zip(values, results, strict=True), first + 1):
        row = f"{name}:{number}"
        if not isinstance(value, str):
            run.fail(row, f"no string value in column {run.field!r}; row kept as it was")
            out.append(value)
            continue
        report = run.report is not None
        after, said = _field_outcome(value, result, "row", report, run.diff, 0, bool(run.page))
        _say(run, said, row)
        out.append(value if after is None else after)
    return out


@dataclass(frozen=True)
class _Said:
    """What one record or row has to say, in this order: a failure (and nothing else),
    or stages over their budget, its report line (with --report) and, when it changed,
    its name (for --check) and texts (for --diff). Worked out where the record is
    cleaned (a worker with --jobs) and said in the parent, in input order, under the
    name the parent gives it (a worker reading a range of a file does not know which
    line of it the range starts at: `line` counts from the start of its chunk)."""

    line: int = 0
    failure: str | None = None
    skipped: tuple[str, ...] = ()
    report: dict[str, Any] | None = None
    changed: bool = False
    texts: tuple[str, str] | None = None  # (before, after), only with --diff
    page: tuple[str, Result] | None = None  # (before, result), only with --report-html


def _field_outcome(
    before: str,
    result: Result | Exception | None,
    what: str,
    report: bool,
    diff: bool,
    line: int = 0,
    page: bool = False,
) -> tuple[str | None, _Said | None]:
    """A cleaned field's text (None: kept as it was) and what it has to say (None:
    nothing): what a JSONL record and a Parquet row share."""
    if result is None or isinstance(result, Exception):  # one bad record must not end the run
        failure = f"unexpected {result.__class__.__name__}: {result}; {what} kept as it was"
        return None, _Said(line, failure=failure)
    after = result.text.removesuffix("\n")
    changed = after != before
    said = _Said(
        line,
        skipped=tuple(result.skipped),
        report=result.to_dict() if report else None,
        changed=changed,
        texts=(before, after) if changed and diff else None,
        page=(before, result) if page else None,
    )
    has_word = said.skipped or said.report is not None or changed or page
    return (after if changed else None), (said if has_word else None)


def _say(run: Run, said: _Said | None, name: str) -> None:
    """Say in the parent what a record or row named `name` had to say (see `_Said`)."""
    if said is None:
        return
    if said.failure is not None:
        run.fail(name, said.failure)
        return
    run.warn_skipped(name, list(said.skipped))
    if said.report is not None or said.page is not None:
        record = {"source": name, "changed": said.changed, **(said.report or {})}
        run.write_report(record, *(said.page or (None, None)))
    if said.changed:
        _mark_changed(run, name)
        if said.texts is not None:
            _stdout(_unified_diff(name, *said.texts, 0, 0, headers=True))


@dataclass(frozen=True)
class _Record:
    """A JSONL line read: its record and field text when there is one to clean."""

    line: bytes
    body: bytes
    record: dict[str, Any] | None = None
    before: str | None = None
    problem: str | None = None  # why the line is kept as it was


# With --jobs, the lines of JSONL cleaned in one task: about this many bytes. The
# parent then only cuts, writes and says what records had to say: every record's JSON
# is read, cleaned and written again in the worker. Measured on 60 MB of the clean
# corpora with -j 2, the parent's own CPU time: 0.83 s when it parsed the records and
# sent them 64 at a time, 0.30 s with chunks of 256 KiB. On 100 MB, -j 2, three
# alternating runs each: 256 KiB 5.63/6.28/5.00 s, 1 MiB 4.84/5.69/5.31 s, 4 MiB
# 4.93/5.92/5.13 s (fewer tasks, less to hand over; a bigger chunk, a longer tail).
JSONL_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class _Lines:
    """How a worker cleans the lines of a JSONL input (what of `Run` it needs)."""

    field: str
    options: Options
    report: bool
    diff: bool
    page: bool = False  # --report-html: each record's text and Result go back


@dataclass(frozen=True)
class _Piece:
    """Lines of a JSONL input for one task: read already (`lines`), or the byte range
    `start`-`end` of the regular file `path`, which the worker reads itself (so no
    input goes through the pipe to it). `start` 0 is the input's first line, which
    may open with a byte order mark."""

    start: int
    lines: list[bytes] | None = None
    path: str | None = None
    end: int = 0

    def read(self) -> list[bytes]:
        if self.lines is not None:
            return self.lines
        assert self.path is not None
        with open(self.path, "rb") as handle:
            handle.seek(self.start)
            return io.BytesIO(handle.read(self.end - self.start)).readlines()


@dataclass(frozen=True)
class _Chunk:
    """Lines of JSONL cleaned: their output, how many there were and their size, whether
    any changed, and what they have to say, in order."""

    output: bytes
    records: int
    nbytes: int
    changed: bool
    said: list[_Said]


def _cleaned_chunks(run: Run, source: Source, stream: BinaryIO) -> Iterator[_Chunk]:
    """The lines of a JSONL stream cleaned chunk by chunk, in order, in `run.jobs`
    processes (`textmend.parallel`); one line a chunk for one job, so that a pipe is
    cleaned as it comes. What the records say is said by the caller, in input order,
    so the output is the same whatever the number of jobs."""
    from .parallel import ordered_map

    how = _Lines(run.field, run.options, run.report is not None, run.diff, run.page is not None)
    clean = partial(_clean_chunk, how=how)
    for chunk in ordered_map(clean, _pieces(run, source, stream), run.jobs, batch=1):
        if isinstance(chunk, Exception):  # (every record's own failure is caught in it)
            raise chunk
        yield chunk


def _pieces(run: Run, source: Source, stream: BinaryIO) -> Iterator[_Piece]:
    from .parallel import workers

    start = 0
    if workers(run.jobs) == 1:
        for line in stream:
            yield _Piece(start, [line])
            start += len(line)
        return
    if source.path is not None and is_regular(source.path):
        # Only the ends of the chunks are read here (the rest of the line a chunk's size
        # ends in); the workers read the chunks.
        size = os.fstat(stream.fileno()).st_size
        while start < size:
            stream.seek(start + JSONL_CHUNK_BYTES)
            stream.readline()
            end = min(stream.tell(), size)
            yield _Piece(start, path=str(source.path), end=end)
            start = end
        return
    while lines := stream.readlines(JSONL_CHUNK_BYTES):
        yield _Piece(start, lines)
        start += sum(map(len, lines))


def _clean_chunk(piece: _Piece, how: _Lines) -> _Chunk:
    lines = piece.read()
    output: list[bytes] = []
    said: list[_Said] = []
    changed = False
    for index, line in enumerate(lines):
        body = _line_body(line, index == 0 and piece.start == 0)
        cleaned, word = _record_outcome(_read_record(line, body, how.field), how, index)
        output.append(cleaned)
        changed = changed or cleaned != line
        if word is not None:
            said.append(word)
    return _Chunk(b"".join(output), len(lines), sum(map(len, lines)), changed, said)


def _clean_field(text: str | None, options: Options, changes: bool = True) -> Result | None:
    """A field's Result; without `changes` (no report asked for them) only those that
    say a stage was skipped are kept, which is all the command then reads: a worker
    process sends back less, and the parent, which --jobs leaves the reading and
    writing to, has less to unpickle."""
    from .pipeline import clean_document

    if text is None:
        return None
    result = clean_document(text, options)
    if not changes:
        result.changes = [change for change in result.changes if change.kind is not None]
    return result


def _line_body(line: bytes, first: bool) -> bytes:
    """A JSONL line without its end, and the input's first without a UTF-8 BOM."""
    body = line.rstrip(b"\r\n")
    return body.removeprefix(codecs.BOM_UTF8) if first else body


def _read_record(line: bytes, body: bytes, field_name: str) -> _Record:
    """What a JSONL line holds, without a word to stderr or the report yet."""
    if not body.strip():
        return _Record(line, body)
    try:
        record = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return _Record(line, body, problem=f"not a JSON line ({err.__class__.__name__})")
    if not isinstance(record, dict):
        return _Record(line, body, problem="not a JSON object")
    before = record.get(field_name)
    if not isinstance(before, str):
        return _Record(line, body, problem=f"no string field {field_name!r}")
    return _Record(line, body, record, before)


def _record_outcome(record: _Record, how: _Lines, line: int) -> tuple[bytes, _Said | None]:
    """A record's output line and what it has to say (`line`: its index in its chunk)."""
    kept = record.body + b"\n"
    if record.problem is not None:
        return kept, _Said(line, failure=f"{record.problem}; line kept as it was")
    if record.record is None or record.before is None:
        return kept, None  # a blank line
    result: Result | Exception | None
    try:
        result = _clean_field(record.before, how.options, how.report or how.page)
    except Exception as err:  # one bad record must not end the run
        result = err
    after, said = _field_outcome(
        record.before, result, "line", how.report, how.diff, line, how.page
    )
    if after is None:
        return kept, said  # byte for byte as it came
    return _json_line({**record.record, how.field: after}), said


@contextmanager
def _sink(run: Run, target: Path | None, in_place: bool, backup: str | None) -> Iterator[BinaryIO]:
    if run.check or run.diff:
        with open(os.devnull, "wb") as discard:  # --check and --diff write nothing
            yield discard
    elif target is None:
        yield _StdoutSink()  # type: ignore[misc]
    else:
        with atomic_writer(target, backup if in_place else None) as handle:
            yield handle


class _StdoutSink:
    """stdout for streamed output: a failed write (other than a broken pipe) stops the run."""

    def write(self, data: bytes | memoryview) -> int:
        try:
            return sys.stdout.buffer.write(data)
        except BrokenPipeError:
            raise
        except OSError as err:
            _discard_stdout()
            raise _StreamFailed("<stdout>", err) from None

    def flush(self) -> None:
        try:
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            _discard_stdout()
            raise _StreamFailed("<stdout>", err) from None


def _write_spooled(out: BinaryIO, record: dict[str, Any]) -> None:
    """`record` as one JSON line, written piece by piece (as `_json_text` lays it out)."""
    _write_all(out, b"{")
    for index, (key, value) in enumerate(record.items()):
        _write_all(out, (b"," if index else b"") + _json_text(key) + b":")
        if isinstance(value, _Spool):
            value.copy_to(out)
        else:
            _write_all(out, _json_text(value))
    _write_all(out, b"}\n")


def _json_text(value: Any) -> bytes:
    """`value` as compact UTF-8 JSON (no spaces after `,` and `:`, as JSONL is usually
    written, so cleaned records look like the unchanged ones copied as they came); lone
    surrogates (from \\ud800 escapes or undecodable file names), which UTF-8 cannot
    carry, make it fall back to ASCII escapes."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=JSON_SEPARATORS).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, separators=JSON_SEPARATORS).encode("ascii")


JSON_SEPARATORS = (",", ":")


def _json_line(record: dict[str, Any]) -> bytes:
    """One UTF-8 JSON line (see `_json_text`)."""
    return _json_text(record) + b"\n"


def _note_change(run: Run, name: str, before: str, after: str) -> None:
    _mark_changed(run, name)
    if run.diff:
        _stdout(_unified_diff(name, before, after, 0, 0, headers=True))


def _mark_changed(run: Run, name: str) -> None:
    run.would_change.append(name)
    if run.check:
        run.say(f"would change {name}")


def _diff_block(run: Run, total: _Blockwise, before: str, piece: str) -> None:
    """The diff of one block, its hunks numbered as lines of the whole input and output
    (exact at line-end cuts; a cut inside a huge line shows that line in two hunks)."""
    # The piece written starts with the previous block's held final newline when it
    # joins at a paragraph break: that newline ends the previous block's last line.
    after = (piece[1:] if piece.startswith("\n\n") else piece) + "\n" if piece else ""
    if before != after:
        diff = _unified_diff(
            total.name, before, after, total.lines_before, total.lines_after, not total.diffed
        )
        if diff:
            total.diffed = True
            _stdout(diff)
    total.lines_before += len(before.splitlines())
    total.lines_after += len(after.splitlines())


_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def _unified_diff(
    name: str, before: str, after: str, offset_before: int, offset_after: int, headers: bool
) -> bytes:
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    out: list[str] = []
    for number, line in enumerate(lines):
        if number < 2:
            if headers:
                out.append(line)
            continue
        if offset_before or offset_after:
            line = _HUNK.sub(
                lambda m: (
                    f"@@ -{int(m[1]) + offset_before}{m[2] or ''} "
                    f"+{int(m[3]) + offset_after}{m[4] or ''} @@"
                ),
                line,
                count=1,
            )
        out.append(line if line.endswith("\n") else line + "\n")
    return "".join(out).encode("utf-8", errors="backslashreplace")


def _stdout(data: bytes) -> None:
    sink = _StdoutSink()
    _write_all(sink, data)  # type: ignore[arg-type]
    sink.flush()


def _write_all(handle: BinaryIO, data: bytes) -> None:
    """Write every byte: a pipe whose reader leaves can take only part of a large write
    without an error, and the rest must then raise BrokenPipeError, not vanish."""
    view = memoryview(data)
    while view:
        view = view[handle.write(view) :]


def _discard_stdout() -> None:
    """Point stdout at the null device so that the final flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no real file descriptor (tests): nothing to flush
        pass


def main() -> None:
    """Console-script entry point."""
    try:
        cli()
    except BrokenPipeError:
        # The reader went away (`textmend big.txt | head`): not an error of ours.
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:  # outside click's own handling (see _Command.main)
        sys.exit(INTERRUPTED)
