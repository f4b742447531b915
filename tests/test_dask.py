"""textmend.dask on a real `distributed.LocalCluster` of two worker processes: the
cluster gives exactly the serial output, and a bad document is reported, not fatal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pandas")

import dask.bag as db
import dask.dataframe as dd
import pandas
from click.testing import CliRunner
from distributed import Client, LocalCluster, get_task_stream

import textmend
from textmend.cli import cli
from textmend.dask import PREFIX, STAT_KEYS, clean_bag, clean_dataframe, clean_partition

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "spam_page_zh.txt"
BAD = bytes(range(256))  # binary: refused by decoding

# Several encodings, an HTML page, mojibake, machine-converted script, a bad document.
DOCUMENTS: list[str | bytes] = [
    SAMPLE.read_bytes(),
    "这是一个简单的中文文件，记者报道。".encode("gbk"),
    "這是繁體中文的文章內容，記者報導。".encode("big5"),
    "日本語の文章です。東京で記者が報じた。".encode("shift_jis"),
    "Crème brûlée et café au lait.".encode("cp1252"),
    "<html><head><title>标题</title></head><body><p>正文内容在这里。</p></body></html>",
    "鍙戝竷浼氫笂锛屼粬璇达細鈥滄垜浠細缁х画鍔姏銆傗€",
    "政務(wù)微博的發展",
    BAD,
]


def serial(document: str | bytes) -> str | None:
    try:
        return textmend.clean(document)
    except textmend.decode.DecodeError:  # type: ignore[attr-defined]
        return None


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def test_clean_bag_gives_the_serial_output(client: Client) -> None:
    bag = db.from_sequence(DOCUMENTS * 3, npartitions=4)
    assert clean_bag(bag).compute(scheduler=client) == [serial(d) for d in DOCUMENTS * 3]


def test_clean_bag_stats_report_the_bad_document(client: Client) -> None:
    rows = clean_bag(db.from_sequence(DOCUMENTS, npartitions=3), stats=True).compute(
        scheduler=client
    )
    assert [row["text"] for row in rows] == [serial(d) for d in DOCUMENTS]
    assert all(set(row) == {"text", *(PREFIX + k for k in STAT_KEYS)} for row in rows)
    errors = [row[PREFIX + "error"] for row in rows]
    assert errors[:-1] == [None] * (len(DOCUMENTS) - 1)
    assert errors[-1].startswith("BinaryInputError")
    assert rows[1][PREFIX + "encoding"] in ("gb18030", "gbk", "gb2312")
    assert rows[0][PREFIX + "removed_boilerplate"] > 0


def test_clean_dataframe_gives_the_serial_output(client: Client) -> None:
    # A corpus column holds text (Parquet shards do); a record with no text is the bad one.
    texts = [serial(d) for d in DOCUMENTS[:-1]] + [None]
    frame = pandas.DataFrame(
        {"id": range(len(texts) * 2), "text": texts * 2, "lang": ["x"] * len(texts) * 2}
    )
    cleaned = clean_dataframe(dd.from_pandas(frame, npartitions=3), stats=True)
    result = cleaned.compute(scheduler=client)
    assert list(result["id"]) == list(frame["id"])
    assert list(result["lang"]) == list(frame["lang"])
    expected = [None if t is None else textmend.clean(t) for t in texts * 2]
    assert [None if pandas.isna(t) else t for t in result["text"]] == expected
    assert list(result.columns) == ["id", "text", "lang", *(PREFIX + k for k in STAT_KEYS)]
    assert result[PREFIX + "error"].notna().sum() == 2
    assert result[PREFIX + "bytes_in"].dtype == "Int64"
    assert (result[PREFIX + "seconds_repair"].fillna(0) >= 0).all()


def test_clean_dataframe_without_stats_keeps_the_columns(client: Client) -> None:
    frame = pandas.DataFrame({"body": ["x<br>y", "政務(wù)微博的發展"], "n": [1, 2]})
    result = clean_dataframe(dd.from_pandas(frame, npartitions=1), column="body").compute(
        scheduler=client
    )
    assert list(result.columns) == ["body", "n"]
    assert list(result["body"]) == [textmend.clean("x<br>y"), textmend.clean("政務(wù)微博的發展")]


def test_a_missing_column_is_a_clear_error() -> None:
    frame = dd.from_pandas(pandas.DataFrame({"body": ["x"]}), npartitions=1)
    with pytest.raises(KeyError, match="no column 'text'"):
        clean_dataframe(frame)


def test_clean_partition_works_on_pandas_alone() -> None:
    frame = pandas.DataFrame({"text": ["x<br>y", BAD]})
    result = clean_partition(frame, "text", stats=True)
    assert list(result["text"]) == [textmend.clean("x<br>y"), None]
    assert result[PREFIX + "error"].isna().tolist() == [True, False]


def test_clean_bag_cleans_a_field_of_records(client: Client) -> None:
    records = [{"id": n, "text": t, "x": 1} for n, t in enumerate(DOCUMENTS[:-1])]
    records.append({"id": 99, "text": None, "x": 1})  # no text: reported, not fatal
    bag = db.from_sequence(records, npartitions=3)
    cleaned = clean_bag(bag, field="text").compute(scheduler=client)
    expected = [textmend.clean(t).removesuffix("\n") for t in DOCUMENTS[:-1]] + [None]
    assert [r["text"] for r in cleaned] == expected
    assert [list(r) for r in cleaned] == [["id", "text", "x"]] * len(records)
    with_stats = clean_bag(bag, field="text", stats=True).compute(scheduler=client)
    assert with_stats[-1][PREFIX + "error"].startswith("TypeError")
    assert with_stats[0][PREFIX + "error"] is None


# --- the command with --scheduler ------------------------------------------------------


def shards(root: Path) -> Path:
    """JSONL shards of a mixed corpus, one with lines that are no records."""
    folder = root / "shards"
    folder.mkdir(parents=True)
    records = [{"id": n, "text": serial(d) or "x"} for n, d in enumerate(DOCUMENTS[:-1])]
    for part in range(3):
        lines = [json.dumps(r, ensure_ascii=False) for r in records[part:]]
        if part == 1:
            lines.insert(1, "not json")
        (folder / f"part-{part}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def run_command(root: Path, *args: str) -> tuple[int, str, str, dict[str, bytes]]:
    report = root / "report.jsonl"
    result = CliRunner().invoke(cli, [*args, "--report", str(report)])
    out = root / "out"
    files = {p.name: p.read_bytes() for p in sorted(out.glob("*"))} if out.exists() else {}
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    return (
        result.exit_code,
        result.stderr.replace(str(root), "ROOT"),
        text.replace(str(root), "ROOT"),
        files,
    )


def test_the_command_on_a_cluster_gives_the_serial_output(client: Client, tmp_path: Path) -> None:
    address = client.scheduler.address
    runs = []
    for name, extra in (("serial", []), ("cluster", ["--scheduler", address])):
        root = tmp_path / name
        folder = shards(root)
        with get_task_stream(client) as tasks:
            runs.append(run_command(root, "--jsonl", str(folder), "-o", str(root / "out"), *extra))
        on_cluster = [t for t in tasks.data if str(t["key"]).startswith("_run_shard")]
        assert len(on_cluster) == (3 if extra else 0)  # one task a shard, on the cluster
    assert runs[1] == runs[0]
    code, err, report, files = runs[0]
    assert code == 2 and "part-1.jsonl:2: not a JSON line" in err
    assert sorted(files) == ["part-0.jsonl", "part-1.jsonl", "part-2.jsonl"]
    assert report.count('"source"') == sum(len(v.splitlines()) for v in files.values())


def test_the_command_on_a_cluster_check_and_usage(client: Client, tmp_path: Path) -> None:
    address = client.scheduler.address
    folder = shards(tmp_path)
    serial_check = CliRunner().invoke(cli, ["--jsonl", "--check", str(folder)])
    cluster_check = CliRunner().invoke(
        cli, ["--jsonl", "--check", str(folder), "--scheduler", address]
    )
    assert (cluster_check.exit_code, cluster_check.stderr) == (
        serial_check.exit_code,
        serial_check.stderr,
    )
    plain = CliRunner().invoke(
        cli, [str(folder), "-o", str(tmp_path / "o"), "--scheduler", address]
    )
    assert plain.exit_code == 2 and "add --jsonl or --parquet" in plain.stderr


def test_dedupe_lines_on_a_cluster_counts_shards_there(client: Client, tmp_path: Path) -> None:
    address = client.scheduler.address
    runs = []
    for name, extra in (("serial", []), ("cluster", ["--scheduler", address])):
        folder = tmp_path / name / "shards"
        folder.mkdir(parents=True)
        for part in range(3):  # a site's footer in every record, across three shards
            lines = [
                json.dumps(
                    {"text": f"第{part}{n}篇的正文，各不相同。\n本站声明：转载请注明出处"},
                    ensure_ascii=False,
                )
                for n in range(4)
            ]
            (folder / f"p{part}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = tmp_path / name / "out"
        with get_task_stream(client) as tasks:
            result = CliRunner().invoke(
                cli, ["--jsonl", "--dedupe-lines", str(folder), "-o", str(out), *extra]
            )
        keys = [str(t["key"]) for t in tasks.data]
        counted = [k for k in keys if k.startswith(("_shard_candidates", "_shard_line_counts"))]
        assert len(counted) == (6 if extra else 0)  # two counting passes, a task a shard each
        runs.append((result.exit_code, {p.name: p.read_bytes() for p in sorted(out.glob("*"))}))
    assert runs[1] == runs[0]
    texts = [json.loads(line)["text"] for v in runs[0][1].values() for line in v.splitlines()]
    assert len(texts) == 12 and all(text.startswith("第") for text in texts)
    assert not any("本站声明" in text for text in texts)


def test_progress_counts_the_shards_run_on_the_cluster(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import textmend.cli as cli_module
    from textmend.progress import Progress

    made: list[Progress] = []

    class Recording(Progress):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            made.append(self)

    monkeypatch.setattr(cli_module, "Progress", Recording)
    folder = shards(tmp_path)
    args = ["--jsonl", str(folder), "-o", str(tmp_path / "out"), "--scheduler"]
    CliRunner().invoke(cli, [*args, client.scheduler.address])
    assert made and made[0].documents == 3
    assert made[0].bytes == sum(p.stat().st_size for p in folder.glob("*.jsonl"))
