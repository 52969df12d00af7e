"""The web server's requests (``web/app.py``): every route, with fuzzed path ids and query
strings (known parameters with hostile values, unknown ones, broken percent-encoding).
Each answers with a page or a JSON error and a 2xx, 3xx or 4xx status, never a 500."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from parallax.pipeline import annotate_store, cluster_store, ingest, refresh_reports
from parallax.store import Store
from parallax.web import create_app

from .conftest import fuzz, within
from .strategies import hostile_text, runs

pytestmark = pytest.mark.fuzz

ARTICLES = [
    {"outlet": "Harbour Post", "url": "https://harbour.example/a", "published_at": "2026-05-04",
     "title": "Ferry capsizes", "text": "A ferry capsized near the port on Monday, police said. "
     "Officials reported 12 people rescued. The mayor said the harbour would close."},
    {"outlet": "Coast Daily", "url": "https://coast.example/b", "published_at": "2026-05-04",
     "title": "Ferry sinks", "text": "A ferry sank near the port on Monday, officials said. "
     "Police reported 14 people rescued. The mayor said the harbour would reopen Tuesday."},
]  # fmt: skip
ROUTES = (
    "/", "/stories/{id}", "/articles/{id}", "/outlets", "/outlets/{id}", "/actors/{id}",
    "/static/{id}", "/api/stories", "/api/stories/{id}", "/api/stories/{id}/{table}.csv",
    "/api/articles/{id}", "/api/outlets/{id}", "/api/actors/{id}", "/api/search",
    "/api/outlets", "/openapi.json",
)  # fmt: skip
PARAMS = ("q", "outlet", "actor", "since", "until", "min_sources", "conflicts", "sort",
          "page", "per_page", "limit", "format", "")  # fmt: skip


@pytest.fixture(scope="module")
def client() -> Iterator[tuple[TestClient, list[str]]]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.jsonl"
        source.write_text("\n".join(json.dumps(a) for a in ARTICLES), encoding="utf-8")
        with Store.open(Path(folder) / "s.db") as store:
            ingest([source], store)
            annotate_store(store)
            cluster_store(store)
            refresh_reports(store)
            known = [a.id for a in store.articles()]
        with TestClient(create_app(Path(folder) / "s.db"), raise_server_exceptions=False) as c:
            known += [s["id"] for s in c.get("/api/stories").json()["stories"]]
            yield c, [*known, "Harbour Post", "harbour.example", "report.css"]


values = st.one_of(
    hostile_text(60).map(lambda text: text[:200]),
    runs().map(lambda run: run[:200]),
    st.sampled_from(("0", "-1", "1e9", "99999999999999999999", "2025-02-30", "9999-12-31T25:00",
                     "yes", "no", "recent", "*", '"', "NEAR(", "a AND", "OR", "^", "\x00")),
)  # fmt: skip
raw_queries = st.lists(
    st.tuples(st.sampled_from(PARAMS), values).map(
        lambda pair: f"{quote(pair[0])}={quote(pair[1], safe='')}"
    ),
    max_size=5,
).map("&".join)
broken = st.sampled_from(("%", "%zz", "%ff%fe", "a=%E2%82", "=&&=", "q", "q=%00", "page=1&page=x"))


@fuzz(examples=80)
@given(
    st.sampled_from(ROUTES),
    st.one_of(st.integers(0, 10), hostile_text(40).map(lambda text: text[:200])),
    st.sampled_from(("facts", "conflicts", "quotes", "x")),
    st.one_of(raw_queries, broken, st.builds(lambda a, b: a + "&" + b, raw_queries, broken)),
    st.data(),
)
def test_web_routes_never_fail(
    client: tuple[TestClient, list[str]],
    route: str,
    ident: int | str,
    table: str,
    query: str,
    data: st.DataObject,
) -> None:
    served, known = client
    if isinstance(ident, int):  # a real id, as is or with a piece changed
        ident = data.draw(st.sampled_from(known)) + ("" if ident < 6 else str(ident))
    path = route.replace("{id}", quote(ident, safe="")).replace("{table}", table)
    with within():
        response = served.get(f"{path}?{query}" if query else path, follow_redirects=False)
    assert response.status_code < 500, (path, query, response.text[:300])
    if 300 <= response.status_code < 400:
        assert response.headers["location"], (path, query)
        return
    assert response.content, (path, query)
    kind = response.headers.get("content-type", "")
    assert kind.startswith(("text/html", "application/json", "text/csv", "text/css",
                            "application/javascript", "text/javascript")), kind  # fmt: skip
