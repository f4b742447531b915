"""The `textmend` command: a thin layer over `textmend.clean_document`.

Exit status: 0 success; 1 only for --check when something would change; 2 for
usage errors or when any input failed (the other inputs are still processed).
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import click

from . import __version__
from .files import KeepOriginal, Source, atomic_writer, expand, same_file, write_atomic
from .options import JUNK_LABELS, LOSSY_POLICIES, SCRIPT_TARGETS, Options


class _Command(click.Command):
    """Report every usage error as one line (`textmend: error: ...`), exit 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            status = super().main(*args, **kwargs)
        except click.ClickException as err:
            click.echo(f"textmend: error: {err.format_message()}", err=True)
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("textmend: aborted", err=True)
            sys.exit(2)
        sys.exit(status or 0)


@dataclass
class Run:
    """State of one invocation: options, where things go, and how it went."""

    options: Options
    jsonl: bool
    field: str
    check: bool
    diff: bool
    report: BinaryIO | None  # UTF-8 JSON lines, whatever the locale
    failed: bool = False
    would_change: list[str] = field(default_factory=list)

    def fail(self, source: str, message: str) -> None:
        self.failed = True
        click.echo(f"textmend: {source}: {message}", err=True)
        self.write_report({"source": source, "error": message})

    def write_report(self, record: dict[str, Any]) -> None:
        if self.report is not None:
            _write_all(self.report, _json_line(record))
            self.report.flush()


def _stage_option(name: str) -> Any:
    return click.option(
        f"--{name}/--no-{name}", default=True, show_default=True, help=f"Run the {name} stage."
    )


@click.command("textmend", cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("-o", "--output", metavar="FILE|DIR", help="Write here instead of stdout (-).")
@click.option("--in-place", is_flag=True, help="Rewrite each input file (atomically).")
@click.option("--backup", metavar="SUFFIX", help="With --in-place, keep originals as PATH+SUFFIX.")
@click.option("--jsonl", is_flag=True, help="Input is JSON Lines: clean one field of each record.")
@click.option("--field", default="text", show_default=True, help="The JSONL field to clean.")
@click.option("--report", metavar="FILE|-", help="Write a JSON line per document: changes and why.")
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
    field: str,
    report: str | None,
    diff: bool,
    check: bool,
    detect: bool,
    encoding: str | None,
    to: str,
    lossy: str,
    html: bool | None,
    keep: str,
    dedupe_lines: bool,
    **stages: bool,
) -> int:
    """Clean scraped text: decode, repair mojibake, strip markup, restore Chinese
    script and punctuation, remove junk lines. With no PATH, or -, read stdin.

    Several files or a directory need -o DIR (mirrored) or --in-place.
    """
    sources, saw_directory = expand(list(paths) or ["-"])
    output = None if output == "-" else output
    if detect:
        if output or in_place or diff or check or jsonl:
            raise click.UsageError("--detect only reads: drop -o, --in-place, --diff, --check")
        return _detect(sources, encoding, _open_report(report))
    _validate(sources, saw_directory, output, in_place, backup, report, diff, check, encoding)
    if dedupe_lines and any(source.path is None for source in sources):
        raise click.UsageError("--dedupe-lines needs file paths: it reads the batch twice")
    labels = frozenset(label.strip() for label in keep.split(",") if label.strip())
    try:
        options = Options(
            encoding=encoding,
            to=to,
            lossy=lossy,
            html=html,
            keep=labels,
            **stages,  # type: ignore[arg-type]
        )
    except ValueError as err:
        raise click.UsageError(f"--keep: {err}") from None
    if dedupe_lines:
        from .junk import repeated_lines

        repeated = repeated_lines(_documents(sources, jsonl, field, encoding))
        options = Options.from_kwargs(options, boilerplate_lines=repeated)
    report_handle = _open_report(report)
    run = Run(options, jsonl, field, check, diff, report_handle)
    try:
        many = len(sources) > 1 or saw_directory or _names_directory(output)
        written: dict[Path, Source] = {}  # output file -> the input written there
        for source in sources:
            target = _target(source, output, in_place, many)
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
                if _process(run, source, target, in_place, backup):
                    written[key] = source
                continue
            _process(run, source, target, in_place, backup)
    except BrokenPipeError:
        # The reader went away (`textmend big.txt | head`): stop quietly, not an error.
        _discard_stdout()
    finally:
        if report_handle is not None and report_handle is not sys.stdout.buffer:
            report_handle.close()
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
        try:
            data = source.read()
        except OSError:
            continue
        if jsonl:
            for line in data.splitlines():
                try:
                    value = json.loads(line).get(field)
                except (ValueError, AttributeError):
                    continue
                if isinstance(value, str):
                    yield value
            continue
        try:
            yield decode(data, encoding).text
        except DecodeError:
            continue


def _detect(sources: list[Source], encoding: str | None, report: BinaryIO | None) -> int:
    """Print one line per input: `NAME: ENCODING (confidence C, runner-up R)`."""
    from .decode import DecodeError, decode

    run = Run(Options(), False, "text", False, False, report)
    for source in sources:
        try:
            decoded = decode(source.read(), encoding)
        except OSError as err:
            run.fail(source.name, err.strerror or str(err))
            continue
        except DecodeError as err:
            run.fail(source.name, str(err))
            continue
        details = [f"confidence {decoded.confidence:.3f}"]
        if decoded.runner_up:
            details.append(f"runner-up {decoded.runner_up}")
        if decoded.encoding == "mixed":
            details.append(" ".join(f"{s.encoding}@{s.start}-{s.end}" for s in decoded.segments))
        _stdout(f"{source.name}: {decoded.encoding} ({', '.join(details)})\n".encode())
        run.write_report(
            {
                "source": source.name,
                "encoding": decoded.encoding,
                "confidence": decoded.confidence,
                "evidence": decoded.evidence,
                "runner_up": decoded.runner_up,
                "segments": [vars(s) for s in decoded.segments],
            }
        )
    return 2 if run.failed else 0


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


def _validate_report_path(
    report: Path, sources: list[Source], output: str | None, many: bool
) -> None:
    """The report file is truncated at start: it must be neither an input nor the output."""
    for source in sources:
        if source.path is not None and (
            same_file(report, source.path) or _same_path(report, source.path)
        ):
            raise click.UsageError(f"--report {report} would overwrite the input {source.name}")
    if output is None or many or _names_directory(output):
        return
    if same_file(report, Path(output)) or _same_path(report, Path(output)):
        raise click.UsageError(f"--report {report} is also the -o output")


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
    if report is None:
        return None
    if report == "-":
        return sys.stdout.buffer
    try:
        return open(report, "wb")
    except OSError as err:
        raise click.UsageError(f"--report {report}: {err.strerror}") from None


def _target(source: Source, output: str | None, in_place: bool, many: bool) -> Path | None:
    """Where the cleaned text of `source` goes; None means stdout."""
    if in_place:
        # A symlink stays a link: the file it points to is rewritten.
        return Path(os.path.realpath(source.path)) if source.path is not None else None
    if output is None:
        return None
    if many and source.relative is not None:
        return Path(output) / source.relative
    return Path(output)


def _process(
    run: Run, source: Source, target: Path | None, in_place: bool, backup: str | None
) -> bool:
    """Clean one input; False (after one line on stderr) when it failed."""
    try:
        if run.jsonl:
            _process_jsonl(run, source, target, in_place, backup)
        else:
            return _process_text(run, source, target, in_place, backup)
    except BrokenPipeError:
        raise  # stdout is gone: the whole run stops (see `cli`)
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
    from .decode import DecodeError
    from .pipeline import clean_document

    raw = source.read()
    if _forced_binary(raw, run.options.encoding):
        run.fail(source.name, "binary data (NUL bytes), not text; skipped")
        return False
    try:
        result = clean_document(raw, run.options)
    except DecodeError as err:
        run.fail(source.name, f"{err}; skipped")
        return False
    cleaned = result.text.encode("utf-8")
    changed = cleaned != raw
    run.write_report({"source": source.name, "changed": changed, **result.to_dict()})
    if changed:
        before = raw.decode(result.encoding or "utf-8", errors="replace")
        _note_change(run, source.name, before, result.text)
    if run.check or run.diff:
        return True
    if target is None:
        _stdout(cleaned)
    elif not in_place:
        write_atomic(target, cleaned)
    elif changed:
        write_atomic(target, cleaned, like=target, backup_suffix=backup)
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
        for number, line in enumerate(stream, 1):
            body = line.rstrip(b"\r\n")
            if number == 1:
                body = body.removeprefix(codecs.BOM_UTF8)
            cleaned = _clean_record(run, f"{source.name}:{number}", body)
            changed = changed or cleaned != line
            _write_all(out, cleaned)
            if target is None:
                out.flush()
        if in_place and not changed:
            raise KeepOriginal


@contextmanager
def _sink(run: Run, target: Path | None, in_place: bool, backup: str | None) -> Iterator[BinaryIO]:
    if run.check or run.diff:
        with open(os.devnull, "wb") as discard:  # --check and --diff write nothing
            yield discard
    elif target is None:
        yield sys.stdout.buffer
    else:
        with atomic_writer(target, target if in_place else None, backup) as handle:
            yield handle


def _clean_record(run: Run, name: str, body: bytes) -> bytes:
    from .pipeline import clean_document

    record = _parse_record(run, name, body)
    if record is None:
        return body + b"\n"
    before = record.get(run.field)
    if not isinstance(before, str):
        run.fail(name, f"no string field {run.field!r}; line kept as it was")
        return body + b"\n"
    try:
        result = clean_document(before, run.options)
    except Exception as err:  # one bad record must not end the stream with a traceback
        run.fail(name, f"unexpected {err.__class__.__name__}: {err}; line kept as it was")
        return body + b"\n"
    after = result.text.removesuffix("\n")
    changed = after != before
    run.write_report({"source": name, "changed": changed, **result.to_dict()})
    if not changed:
        return body + b"\n"  # byte for byte as it came
    record[run.field] = after
    _note_change(run, name, before, after)
    return _json_line(record)


def _json_line(record: dict[str, Any]) -> bytes:
    """One UTF-8 JSON line; lone surrogates (from \\ud800 escapes or undecodable file
    names), which UTF-8 cannot carry, make it fall back to ASCII escapes."""
    try:
        return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(record) + "\n").encode("ascii")


def _parse_record(run: Run, name: str, body: bytes) -> dict[str, Any] | None:
    if not body.strip():
        return None
    try:
        record = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        run.fail(name, f"not a JSON line ({err.__class__.__name__}); line kept as it was")
        return None
    if not isinstance(record, dict):
        run.fail(name, "not a JSON object; line kept as it was")
        return None
    return record


def _note_change(run: Run, name: str, before: str, after: str) -> None:
    run.would_change.append(name)
    if run.check:
        click.echo(f"would change {name}", err=True)
    if run.diff:
        import difflib

        lines = difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
        text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        _stdout(text.encode("utf-8", errors="backslashreplace"))


def _stdout(data: bytes) -> None:
    _write_all(sys.stdout.buffer, data)
    sys.stdout.buffer.flush()


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
