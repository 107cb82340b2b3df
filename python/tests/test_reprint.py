"""The Python package against the command line: the same records give the
same bytes. The command line is the release binary the repository's test
command builds (`REPRINT_BIN` names another)."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

import reprint

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("REPRINT_BIN", ROOT / "target" / "release" / "reprint"))
OUTLETS = ["Daily Courier", "Evening Post", "Morning Star", "The Ledger"]


def sample_records() -> list[dict]:
    """The repository's samples (one reuse pair among four articles) and
    the rewrite fixtures, as feed records with outlets."""
    records = []
    paths = sorted((ROOT / "samples").glob("*.txt")) + sorted(
        (ROOT / "tests" / "fixtures" / "rewrite").glob("*.txt")
    )
    for i, p in enumerate(paths):
        text = p.read_text(encoding="utf-8").lstrip()
        date = None
        if text.startswith("date "):
            _, date, text = text.split(" ", 2)
        records.append(
            {"id": p.stem, "text": text, "date": date, "source": OUTLETS[i % len(OUTLETS)]}
        )
    return records


@pytest.fixture(scope="module")
def feed(tmp_path_factory) -> tuple[Path, list[dict]]:
    records = sample_records()
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path, records


def cli(*args: str) -> subprocess.CompletedProcess:
    if not BIN.exists():
        pytest.fail(f"{BIN} is missing: build it with `cargo build --release` or set REPRINT_BIN")
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, check=False)


def test_scan_is_the_command_lines_json_byte_for_byte(feed):
    path, records = feed
    run = cli("scan", str(path), "-f", "json", "-q")
    assert run.returncode == 0, run.stderr
    report = reprint.scan(records, name=str(path))
    assert report.to_json() == run.stdout
    assert len(report) >= 2
    pair = next(p for p in report if p.copy == "003_f7c69d1d9d5011cc")
    assert pair.source == "001_a2e1f2d9f2070016"
    assert pair["passages"][0]["copy"] == [1, 11]


def test_parameters_are_the_command_lines(feed):
    path, records = feed
    run = cli("scan", str(path), "-f", "json", "-q", "--num-perm", "64", "--shingle", "3", "-t", "0.6")
    report = reprint.scan(records, name=str(path), num_perm=64, shingle=3, threshold=0.6)
    assert report.to_json() == run.stdout
    assert report.params["hashes"] == 64 and report.params["k"] == 3


def test_threads_do_not_change_the_result(feed):
    _, records = feed
    one = reprint.scan(records, threads=1).to_json()
    assert reprint.scan(records, threads=2).to_json() == one


def test_dedup_keeps_what_the_command_line_keeps(feed, tmp_path):
    path, records = feed
    clusters_file = tmp_path / "clusters.jsonl"
    run = cli(
        "dedup", str(path), "-q", "-t", "0.3", "--clusters", str(clusters_file), "-o", str(tmp_path / "kept.jsonl")
    )
    assert run.returncode == 0, run.stderr
    kept_cli = [json.loads(l)["id"] for l in (tmp_path / "kept.jsonl").read_text().splitlines()]
    kept, clusters = reprint.dedup(records, threshold=0.3, name=str(path))
    assert [d["id"] for d in kept] == kept_cli
    assert all(k is r for k, r in zip(kept, [r for r in records if r["id"] in kept_cli]))
    assert [dict(c) for c in clusters] == [json.loads(l) for l in clusters_file.read_text().splitlines()]
    assert len(kept) < len(records)


def test_audit_is_the_command_lines_json(feed):
    path, records = feed
    run = cli("audit", str(path), "-f", "json", "-q")
    assert run.returncode == 0, run.stderr
    audit = reprint.audit(records, name=str(path))
    assert dict(audit) == json.loads(run.stdout)
    html = reprint.audit(records, format="html")
    assert html.startswith("<!DOCTYPE html>") or html.lstrip().lower().startswith("<!doctype html>")


def test_compare_takes_texts_dicts_and_tuples(feed):
    _, records = feed
    a = next(r for r in records if r["id"].startswith("001"))
    b = next(r for r in records if r["id"].startswith("003"))
    pair = reprint.compare(b, a)
    assert pair.passages and pair.copy == b["id"]
    assert reprint.compare(b["text"], a["text"]).passages
    assert reprint.compare((b["id"], b["text"]), (a["id"], a["text"]))["passages"]
    assert "id" in a and a["id"].startswith("001")  # the caller's dicts are not changed


def test_tuples_strings_and_other_field_names():
    texts = [r["text"] for r in sample_records()]
    by_tuple = reprint.scan([(f"d{i}", t) for i, t in enumerate(texts)])
    by_str = reprint.scan(texts)
    renamed = reprint.scan([{"key": f"d{i}", "body": t} for i, t in enumerate(texts)], id_field="key", text_field="body")
    assert len(by_tuple) == len(by_str) == len(renamed) > 0
    assert {(p.copy, p.source) for p in renamed} == {(p.copy, p.source) for p in by_tuple}
    assert by_str.documents[0]["id"] == "docs:1"


def test_bad_records_name_the_record():
    with pytest.raises(reprint.InputError, match=r"docs:2: no \"text\" field"):
        reprint.scan([{"id": "a", "text": "x"}, {"id": "b", "body": "y"}])
    with pytest.raises(ValueError, match="duplicate document id 'a'"):
        reprint.scan([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}])
    with pytest.raises(TypeError, match="document 2"):
        reprint.scan(["a text", 42])
    with pytest.raises(TypeError):
        reprint.scan("not a list of documents")


def test_bad_parameters_are_value_errors():
    with pytest.raises(ValueError, match="threshold"):
        reprint.scan(["a"], threshold=1.5)
    with pytest.raises(ValueError, match="sketch"):
        reprint.scan(["a"], sketch="simhash")
    with pytest.raises(ValueError, match="bands and rows"):
        reprint.scan(["a"], bands=4)
    with pytest.raises(TypeError, match="unknown keyword argument 'treshold'"):
        reprint.scan(["a"], treshold=0.5)
    with pytest.raises(ValueError, match="keep"):
        reprint.dedup(["a"], keep="latest")


def test_an_unreadable_date_warns_and_counts_as_unknown():
    with pytest.warns(UserWarning, match="docs:1: date"):
        report = reprint.scan([{"id": "a", "text": "x", "date": "yesterday"}])
    assert report.warnings and report.documents[0].get("date") is None


def test_the_index_adds_queries_deduplicates_and_evicts(feed, tmp_path):
    _, records = feed
    wire = next(r for r in records if r["id"].startswith("001"))
    copy = next(r for r in records if r["id"].startswith("003"))
    others = [r for r in records if r is not wire and r is not copy]
    index = reprint.Index(tmp_path / "idx", window="400d")
    first = index.add([wire, *others])
    assert first.documents
    second = index.add([copy])
    assert [(p.copy, p.source) for p in second] == [(copy["id"], wire["id"])]
    asked = index.query([{"id": "press-release", "text": wire["text"]}])
    assert any(p.source == wire["id"] or p.copy == wire["id"] for p in asked)
    stats = index.stats()
    assert stats["articles"] == len(records)
    kept, clusters = index.dedup([{"id": "again", "text": copy["text"], "date": "2026-03-05"}])
    assert kept == [] and clusters
    with pytest.raises(reprint.ReprintError, match="created with --threshold 0.5"):
        reprint.Index(tmp_path / "idx", threshold=0.7).add([{"id": "x", "text": "y"}])
    # Two adds and a dedup made segments; compaction merges them and
    # changes no answer.
    segments = index.stats()["segments"]
    assert segments > 1
    done = index.compact()
    assert (done["segments_before"], done["segments_after"]) == (segments, 1)
    assert index.stats()["articles"] == len(records)
    again = index.query([{"id": "press-release", "text": wire["text"]}])
    assert again.to_json() == asked.to_json()
    dropped = index.evict("2100-01-01")
    assert dropped and index.stats()["articles"] == 0


def test_a_second_writer_is_refused_while_reading_goes_on(feed, tmp_path):
    _, records = feed
    index = reprint.Index(tmp_path / "idx")
    index.add(records[:2])
    holder = subprocess.Popen(
        ["python3", "-c", "import fcntl,sys,time; f=open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)", str(tmp_path / "idx" / "LOCK")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(reprint.ReprintError, match="locked"):
            index.add(records[2:3])
        assert index.stats()["articles"] == 2
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_scans_run_in_parallel_threads(feed):
    # The GIL is released while the engine runs: threads calling scan at
    # once all finish with the single-threaded result.
    _, records = feed
    expected = reprint.scan(records).to_json()
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(reprint.scan(records).to_json())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_dataframes_in_and_out(feed):
    pandas = pytest.importorskip("pandas")
    path, records = feed
    df = pandas.DataFrame(records)
    report = reprint.scan(df, name=str(path))
    assert report.to_json() == reprint.scan(records, name=str(path)).to_json()
    pairs = report.to_pandas()
    assert list(pairs.columns)[:3] == ["source", "copy", "copy_in_source"]
    assert len(pairs) == len(report)
    kept, _ = reprint.dedup(df, threshold=0.3)
    assert isinstance(kept, pandas.DataFrame) and len(kept) < len(df)
    df["date"] = pandas.to_datetime(df["date"])
    assert len(reprint.scan(df)) == len(report)


def test_arrow_out(feed):
    pyarrow = pytest.importorskip("pyarrow")
    _, records = feed
    report = reprint.scan(records)
    table = report.to_arrow()
    assert isinstance(table, pyarrow.Table) and table.num_rows == len(report)
    assert table.column("copy").to_pylist() == [p.copy for p in report]
