"""Concurrency under load, the short run of ``bench/load.py``: clients over HTTP, a writer
and a CLI reader on one store, with no failed request, no lock error and no torn batch.
(The feed watcher's rounds beside the load run in the bench, which takes longer.)"""

from __future__ import annotations

import json
from pathlib import Path

from tests.quality.conftest import load_bench


def test_load_serve_beside_writer_and_cli_reader(tmp_path: Path) -> None:
    bench = load_bench("load")
    results_file = tmp_path / "load.json"
    argv = ["--store", str(tmp_path / "load.db"), "--background", "0", "--json"]
    argv += [str(results_file), "--clients", "8", "--seconds", "5", "--batch", "10"]
    argv += ["--min-batches", "2", "--watch-every", "0", "--ingest-args=--no-annotate"]
    code = bench.main(argv)
    results = json.loads(results_file.read_text())
    assert results["failed_requests"] == 0, results["failed_examples"]
    assert results["database_locked"] == 0, results["locked_where"]
    assert results["torn_reads"] == 0, results["torn_examples"]
    assert not results["writer_failures"]
    assert results["final"]["batches_complete"] and results["final"]["check_exit"] == 0
    assert results["writer_batches"] >= 2 and results["cli_listings_checked"] > 0
    # the clients asked for a batch before its commit (none of it) and after (all of it)
    assert {"0", "10"} <= set(results["search_answers_by_count"])
    assert set(results["routes"]) == set(bench.routes({"story": {"id": ""}, "article": ""}))
    assert code == 0


def test_load_listing_check_finds_a_torn_batch() -> None:
    bench = load_bench("load")
    shared = bench.Shared(batch=3)
    whole = [f"a {bench.marker(0)}", f"b {bench.marker(0)}", f"c {bench.marker(0)}"]
    bench.check_listing(shared, whole, "listing")
    assert shared.torn == []
    bench.check_listing(shared, [*whole, f"d {bench.marker(1)}"], "listing")
    assert shared.torn == [f"listing: {bench.marker(1)} 1 of 3"]
    bench.check_search(shared, 2, [f"x {bench.marker(2)}"] * 2)
    assert len(shared.torn) == 2


def test_load_lock_errors_are_counted_but_hex_ids_are_not() -> None:
    bench = load_bench("load")
    shared = bench.Shared(batch=1)
    shared.scan("log", "sqlite3.OperationalError: database is locked\nerror E033: busy")
    shared.scan("responses", '{"id": "a9e033f1", "title": "the database is locked"}')
    assert dict(shared.locked) == {"log": 2, "responses": 1}
