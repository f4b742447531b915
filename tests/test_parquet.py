"""`--parquet`: one column of every row cleaned, batch by batch, every other column,
the schema and the row order kept; the same with --jobs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from click.testing import CliRunner  # noqa: E402

import textmend  # noqa: E402
from textmend.cli import PARQUET_BATCH_ROWS, cli  # noqa: E402

TEXTS = [
    "Plain English stays as it is.",
    "鍙戝竷浼氫笂锛屼粬璇达細鈥滄垜浠細缁х画鍔姏銆傗€",
    "政務(wù)微博的發展，記者報道。",
    "x<br>y &amp; z",
    None,  # no text: kept, reported
    "CafÃ© au lait",
]


def write_table(path: Path, repeat: int = 1) -> pa.Table:
    texts = TEXTS * repeat
    table = pa.table(
        {
            "id": pa.array(range(len(texts)), type=pa.int64()),
            "text": pa.array(texts, type=pa.string()),
            "meta": pa.array([{"site": f"s{n % 3}"} for n in range(len(texts))]),
        }
    )
    pq.write_table(table, path, row_group_size=500)
    return table


def invoke(*args: str) -> tuple[int, bytes, bytes]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


def expected(text: str | None) -> str | None:
    return None if text is None else textmend.clean(text).removesuffix("\n")


def test_parquet_column_is_cleaned_and_the_rest_kept(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    table = write_table(source)
    code, _, err = invoke("--parquet", str(source), "-o", str(tmp_path / "out.parquet"))
    assert code == 2  # the null row is reported
    assert err.decode().count("no string value in column 'text'; row kept as it was") == 1
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.schema == table.schema
    assert out.column("id").to_pylist() == table.column("id").to_pylist()
    assert out.column("meta").to_pylist() == table.column("meta").to_pylist()
    assert out.column("text").to_pylist() == [expected(t) for t in TEXTS]


def test_parquet_jobs_give_the_serial_output(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    write_table(source, repeat=2 * PARQUET_BATCH_ROWS // len(TEXTS) + 1)  # several batches
    runs = []
    for jobs in ("1", "2"):
        report = tmp_path / f"report{jobs}.jsonl"
        target = tmp_path / f"out{jobs}.parquet"
        code, out, err = invoke(
            "--parquet", str(source), "-o", str(target), "-j", jobs, "--report", str(report)
        )
        runs.append((code, out, err, report.read_bytes(), pq.read_table(target)))
    assert runs[0][:4] == runs[1][:4]
    assert runs[0][4].equals(runs[1][4])
    rows = [json.loads(line) for line in runs[0][3].splitlines()]
    assert rows[1]["source"].endswith("in.parquet:2") and rows[1]["changed"] is True


def test_parquet_check_in_place_and_errors(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    write_table(source)
    original = source.read_bytes()
    code, _, err = invoke("--parquet", "--check", str(source))
    assert code == 2 and b"would change" in err and source.read_bytes() == original
    code, _, _ = invoke("--parquet", "--in-place", str(source))
    assert pq.read_table(source).column("text").to_pylist() == [expected(t) for t in TEXTS]
    clean = tmp_path / "clean.parquet"
    pq.write_table(pa.table({"text": ["plain text"]}), clean)
    before = clean.read_bytes()
    assert invoke("--parquet", "--in-place", str(clean))[0] == 0
    assert clean.read_bytes() == before  # nothing changed: the file is not rewritten
    assert invoke("--parquet", "--check", str(clean))[0] == 0
    code, _, err = invoke("--parquet", "--field", "body", str(source), "-o", str(tmp_path / "x"))
    assert code == 2 and b"no column 'body'" in err
    code, _, err = invoke("--parquet", "--field", "id", str(source), "-o", str(tmp_path / "x"))
    assert code == 2 and b"is int64, not text" in err
    not_parquet = tmp_path / "n.parquet"
    not_parquet.write_text("hello")
    code, _, err = invoke("--parquet", str(not_parquet), "-o", str(tmp_path / "y"))
    assert code == 2 and b"not a Parquet file" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--parquet", "--jsonl", "IN", "-o", "OUT"], "cannot be combined"),
        (["--parquet", "IN"], "give -o FILE|DIR or --in-place"),
        (["--parquet", "--encoding", "gbk", "IN", "-o", "OUT"], "drop --encoding"),
    ],
)
def test_parquet_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    source = tmp_path / "in.parquet"
    write_table(source)
    args = [
        str(source) if a == "IN" else str(tmp_path / "o.parquet") if a == "OUT" else a for a in args
    ]
    code, _, err = invoke(*args)
    assert code == 2 and message in err.decode()
