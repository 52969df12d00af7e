"""``parallax check [--repair]``: SQLite's integrity check and Parallax's invariants,
and a rebuild of what is derived from the stored articles."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from parallax.cli.common import (
    DEFAULT_DB,
    DbOption,
    TextFormatOption,
    TextOrJson,
    app,
    out,
    print_json,
    progress_bar,
    reports_errors,
)
from parallax.errors import ParallaxError
from parallax.pipeline import check_store, repair_store
from parallax.store import Finding, Repair, Store

CHECK_SCHEMA = "parallax.check/1"


@app.command("check")
@reports_errors
def check_command(
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Rebuild what failed checks are about from the stored articles (full-text "
            "and near-duplicate indexes, story rows, kept reports, annotations, schema "
            "indexes and triggers), then check again. Articles are never changed.",
        ),
    ] = False,
    quick: Annotated[
        bool,
        typer.Option("--quick", help="SQLite's quick_check instead of the full integrity_check."),
    ] = False,
    fmt: TextFormatOption = TextOrJson.text,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Check the store: SQLite's integrity check, then Parallax's own invariants (every
    article once, full-text and near-duplicate index rows match the articles, copy
    families, story members, article counts, merges and kept reports point at stored
    rows, annotation spans round-trip, revisions, archive read positions, the schema's
    tables, indexes and triggers). Without --repair the store is only read.

    Exit codes: 0 every check passed (with --repair: after the repair); 1 problems were
    found (E036), SQLite found the file damaged and nothing was repaired (E037), or
    problems repair cannot fix remain (E038); 2 --db is not a Parallax store; 3 another
    writer held the store past the busy timeout (--repair).
    """
    before = _checked(db, quick)
    after, repaired = before, []
    if repair and any(not finding.ok for finding in before):
        if not _by_name(before, "integrity").ok:
            _show(db, fmt, before, None, [])
            raise ParallaxError("E037", str(db), _problems(before))
        with Store.open(db) as store:
            repaired = _repaired(store, before)
        after = _checked(db, quick)
    _show(db, fmt, after, before if repair else None, repaired)
    if any(not finding.ok for finding in after):
        raise ParallaxError("E038" if repair else "E036", str(db), _problems(after))


def _checked(db: Path, quick: bool) -> list[Finding]:
    with (
        Store.open_readonly(db) as store,
        progress_bar("check", store.count_articles(), "articles") as advance,
    ):
        return check_store(store, quick=quick, progress=advance)


def _repaired(store: Store, findings: Sequence[Finding]) -> list[Repair]:
    # only the near-duplicate keys are rebuilt article by article
    rebuilds = any(f.name == "lsh_bands" and not f.ok for f in findings)
    total = store.count_articles() if rebuilds else 0
    with progress_bar("repair", total, "articles") as advance:
        return repair_store(store, findings, progress=advance)


def _by_name(findings: Sequence[Finding], name: str) -> Finding:
    return next(finding for finding in findings if finding.name == name)


def _problems(findings: Sequence[Finding]) -> str:
    failed = [f"{f.name} {f.count}" for f in findings if not f.ok]
    return ", ".join(failed) or "none"


def check_document(
    db: Path,
    findings: Sequence[Finding],
    before: Sequence[Finding] | None,
    repaired: Sequence[Repair],
) -> dict[str, Any]:
    """The ``parallax.check/1`` document: ``checks`` is the store's state at the end;
    with --repair, ``before`` is what the first check found and ``repaired`` what was done."""
    document: dict[str, Any] = {
        "schema": CHECK_SCHEMA,
        "store": str(db),
        "ok": all(finding.ok for finding in findings),
        "checks": [finding.to_json() for finding in findings],
    }
    if before is not None:
        document["before"] = [finding.to_json() for finding in before]
        document["repaired"] = [done.to_json() for done in repaired]
    return document


def _show(
    db: Path,
    fmt: TextOrJson,
    findings: Sequence[Finding],
    before: Sequence[Finding] | None,
    repaired: Sequence[Repair],
) -> None:
    if fmt is TextOrJson.json:
        print_json(check_document(db, findings, before, repaired))
        return
    if before is not None and repaired:
        out.print(_table(before, "before repair"))
        for done in repaired:
            out.print(Text.assemble(("repaired ", "green"), (done.name, "bold"), f": {done.done}"))
    out.print(_table(findings, f"check of {db}"))
    _how_repaired(findings)


def _table(findings: Sequence[Finding], title: str) -> Table:
    """One row per check; what --repair does for each failed one is listed below it."""
    table = Table(title=title, title_justify="left")
    table.add_column("check", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("problems", justify="right")
    table.add_column("examples", overflow="fold")
    table.add_column("--repair", no_wrap=True)
    for finding in findings:
        table.add_row(
            finding.name,
            Text("ok", "green") if finding.ok else Text("problem", "bold red"),
            str(finding.count),
            Text("\n".join(finding.examples)),
            "" if finding.ok else ("fixes" if finding.repairable else "cannot fix"),
        )
    return table


def _how_repaired(findings: Sequence[Finding]) -> None:
    for finding in findings:
        if not finding.ok:
            out.print(Text.assemble((finding.name, "bold"), f": {finding.repair}"))
