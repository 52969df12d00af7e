"""The application: pages for people, the same data as JSON, and nothing that writes.

Routes only parse and check what a request asks for, call the Python API and render; the
decisions live in :mod:`parallax.pipeline` and :mod:`parallax.profiles`, the drawing of a
story in :mod:`parallax.render`'s templates, which the story page reuses. Every request
parameter is checked against a bound (length, range, or a fixed set of names) before it
reaches the store, and the store is opened read-only.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp

from parallax.compare import report as report_document
from parallax.errors import ParallaxError
from parallax.model import VERSION, StoryReport
from parallax.pipeline import (
    article_document,
    find_stories,
    outlets,
    search_query,
    stories_of_outlet,
    story_of_article,
)
from parallax.profiles import actor_profile, outlet_profile
from parallax.settings import Settings
from parallax.store import StoryRecord
from parallax.tables import REPORT_TABLES, TABLE_COLUMNS, csv_rows, story_tables
from parallax.text.outlets import outlet_key, outlet_names, shown_outlet
from parallax.web import article as article_view
from parallax.web.reader import Reader
from parallax.web.rendering import render, static_file, static_url
from parallax.web.security import SecurityHeaders

log = logging.getLogger("parallax.web")

MAX_PAGE = 400
"""Deepest page of a list: past it, a narrower filter serves a reader better than paging."""
PROFILE_STORIES = 100
"""How many of the newest stories an outlet or actor page reads."""
SEARCH_ARTICLES = 50

Id = Annotated[str, PathParam(max_length=200)]
"""A story, article or actor id in a path: bounded like every other parameter."""


class Sort(StrEnum):
    recent = "recent"
    updated = "updated"
    sources = "sources"
    articles = "articles"


Table = StrEnum("Table", {name: name for name in REPORT_TABLES})  # type: ignore[misc]
"""The tables of a story a request may ask for as CSV: a fixed set of names."""


class HasConflicts(StrEnum):
    any = ""
    yes = "yes"
    no = "no"


@dataclass(frozen=True)
class StoryQuery:
    """A story list request, checked: what ``/`` and ``/api/stories`` accept."""

    q: str = ""
    outlet: str = ""
    actor: str = ""
    since: str = ""
    until: str = ""
    min_sources: int = 1
    conflicts: HasConflicts = HasConflicts.any
    sort: Sort = Sort.recent
    page: int = 1
    per_page: int = 25

    def params(self, **changes: Any) -> str:
        """The query string of this request with ``changes``, defaults left out."""
        changed = replace(self, **changes)
        values = {
            key: str(value)
            for key, value in changed.__dict__.items()
            if value != getattr(StoryQuery, key)
        }
        return urlencode(values)

    @property
    def filtered(self) -> bool:
        return any((self.q, self.outlet, self.actor, self.since, self.until, self.conflicts)) or (
            self.min_sources > 1
        )


def story_query(
    q: Annotated[str, Query(max_length=200, description="Words every match holds.")] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    actor: Annotated[str, Query(max_length=200, description="Actor id, name or part.")] = "",
    since: Annotated[str, Query(max_length=40, description="ISO 8601 date or time.")] = "",
    until: Annotated[str, Query(max_length=40, description="ISO 8601 date or time.")] = "",
    min_sources: Annotated[int, Query(ge=1, le=1000)] = 1,
    conflicts: HasConflicts = HasConflicts.any,
    sort: Sort = Sort.recent,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 25,
) -> StoryQuery:
    return StoryQuery(
        q.strip(), outlet.strip(), actor.strip(), since.strip(), until.strip(),
        min_sources, conflicts, sort, page, per_page,
    )  # fmt: skip


StoryQueryDep = Annotated[StoryQuery, Depends(story_query)]


class _App(FastAPI):
    """FastAPI with the security headers as the outermost layer. Added as a middleware they
    would sit inside the layer that answers an unexpected error (and inside the Host
    check), so a 500 page or a refused Host would go out without them."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(
    db: str | Path,
    *,
    settings: Settings | None = None,
    reload_interval: float = 2.0,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """The server over the store at ``db`` (which must exist). ``allowed_hosts``: Host
    headers accepted (None: any), so a page elsewhere cannot reach a loopback server
    through DNS rebinding."""
    reader = Reader(Path(db), settings or Settings.from_env(), reload_interval)
    app = _App(
        title="Parallax",
        version=VERSION,
        summary="Stories across outlets: conflicts, facts, labels, quotes, timelines.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.reader = reader
    _errors(app)
    _pages(app, reader)
    _api(app, reader)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    return app


# -- shared ------------------------------------------------------------------------------


def _list(reader: Reader, query: StoryQuery) -> tuple[list[StoryRecord], bool]:
    """One page of stories and whether another page follows."""
    found = find_stories(
        reader.store,
        outlet=query.outlet or None,
        actor=query.actor or None,
        since=query.since or None,
        until=query.until or None,
        search=search_query(query.q) if query.q else None,
        min_sources=query.min_sources,
        has_conflicts={"yes": True, "no": False}.get(query.conflicts.value),
        order=query.sort.value,
        limit=query.per_page + 1,
        offset=(query.page - 1) * query.per_page,
    )
    return found[: query.per_page], len(found) > query.per_page


def _story_or_404(reader: Reader, story_id: str) -> tuple[str, str, StoryReport]:
    found = reader.story(story_id)
    if found is None:
        raise HTTPException(404, f"No story has the id {story_id!r}.")
    return found


def _profile_reports(reader: Reader, ids: Sequence[str]) -> list[StoryReport]:
    found = (reader.story(story_id) for story_id in ids)
    return [item[2] for item in found if item is not None]


def _outlets(reader: Reader) -> list[str]:
    """Every outlet once, by the name every page shows ("The New York Times", not also
    "nytimes.com" and "NYT"), in alphabetical order."""
    return sorted(outlet_names(outlets(reader.store)), key=str.casefold)


def _outlet_href(reader: Reader) -> Callable[[str], str | None]:
    """The link to an outlet's page for a name a profile shows, or None when no stored
    article is from it: ``unknown (file.txt)``, the name a report makes up for an article
    that came without an outlet, would lead to a 404."""

    def make() -> frozenset[str]:
        return frozenset(outlet_key(o) or o.casefold() for o in outlets(reader.store))

    keys: frozenset[str] = reader.timed("outlet-keys", make)

    def href(name: str) -> str | None:
        known = (outlet_key(name) or name.casefold()) in keys
        return f"/outlets/{quote(name, safe='')}" if known else None

    return href


def _outlet(reader: Reader, name: str) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        ids = stories_of_outlet(reader.store, name, limit=PROFILE_STORIES)
        return outlet_profile(name, _profile_reports(reader, ids))

    profile: dict[str, Any] = reader.timed(("outlet", outlet_key(name) or name.casefold()), make)
    if not profile["stories"]:
        raise HTTPException(404, f"No story has an article from {name!r}.")
    return profile


def _actor(reader: Reader, actor_id: str) -> dict[str, Any]:
    def make() -> dict[str, Any] | None:
        records = find_stories(reader.store, actor=actor_id, limit=PROFILE_STORIES)
        return actor_profile(actor_id, _profile_reports(reader, [r.id for r in records]))

    profile: dict[str, Any] | None = reader.timed(("actor", actor_id), make)
    if profile is None:
        raise HTTPException(404, f"No story has the actor {actor_id!r}.")
    return profile


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


# -- errors ------------------------------------------------------------------------------


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": {"status": status, "message": message}}, status)
    html = render("error.html.j2", status=status, message=message, request_path=request.url.path)
    return HTMLResponse(html, status)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        messages = {404: "Nothing is here.", 405: "This server only reads."}
        message = exc.detail if exc.detail and exc.status_code != 405 else None
        return _error(request, exc.status_code, message or messages.get(exc.status_code, ""))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
            for e in exc.errors()
        )
        return _error(request, 400, f"Bad request: {problems}")

    @app.exception_handler(ParallaxError)
    async def usage(request: Request, exc: ParallaxError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return _error(request, 500, "The server failed on this request; its log says why.")


# -- pages -------------------------------------------------------------------------------


def _pages(app: FastAPI, reader: Reader) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(query: StoryQueryDep) -> HTMLResponse:
        found, more = _list(reader, query)
        known = reader.timed("outlets", lambda: _outlets(reader))
        return HTMLResponse(
            render("index.html.j2", stories=found, more=more, query=query, outlets=known)
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story(story_id: Id) -> Response:
        live, version, found = _story_or_404(reader, story_id)
        if live != story_id:
            return RedirectResponse(f"/stories/{quote(live, safe='')}", 301)

        def draw() -> str:
            return render("story.page.j2", story=found, document=report_document([found]))

        return HTMLResponse(reader.page((live, version), draw))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article(article_id: Id) -> HTMLResponse:
        found = reader.store.article(article_id)
        if found is None:
            raise HTTPException(404, f"No article has the id {article_id!r}.")
        story_id = story_of_article(reader.store, article_id)
        held = reader.story(story_id) if story_id else None
        report = held[2] if held else None
        marks = article_view.marks(found.annotations)
        cited = article_view.cited_spans(report, article_id)
        return HTMLResponse(
            render(
                "article.html.j2",
                article=found,
                pieces=article_view.pieces(found.text, marks, cited),
                story=report,
                actor_links=article_view.story_actor_ids(
                    report, article_id, found.annotations.get("actors", ())
                ),
                layers=article_view.LAYERS,
            )
        )

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlet_index() -> HTMLResponse:
        known = reader.timed("outlets", lambda: _outlets(reader))
        return HTMLResponse(render("outlets.html.j2", outlets=known))

    @app.get("/outlets/{outlet:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet(outlet: Annotated[str, PathParam(max_length=200)]) -> HTMLResponse:
        profile = _outlet(reader, outlet)
        return HTMLResponse(
            render("outlet.html.j2", profile=profile, outlet_href=_outlet_href(reader))
        )

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor(actor_id: Id) -> HTMLResponse:
        profile = _actor(reader, actor_id)
        return HTMLResponse(
            render("actor.html.j2", profile=profile, outlet_href=_outlet_href(reader))
        )

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        found = static_file(name)
        if found is None:
            raise HTTPException(404, "No such file.")
        body, media = found
        cache = "public, max-age=31536000, immutable"
        return Response(body, media_type=media, headers={"cache-control": cache})


# -- JSON --------------------------------------------------------------------------------


def _api(app: FastAPI, reader: Reader) -> None:
    @app.get("/api/stories", tags=["stories"])
    def api_stories(request: Request, query: StoryQueryDep) -> dict[str, Any]:
        """Live stories, newest first, with the filters and pages of ``/``."""
        found, more = _list(reader, query)
        following = f"/api/stories?{query.params(page=query.page + 1)}" if more else None
        return {"stories": [story.to_json() for story in found], "next": following}

    @app.get(
        "/api/stories/{story_id}",
        tags=["stories"],
        response_class=Response,
        responses={200: {"content": {"application/json": {}}}},
    )
    def api_story(story_id: Id) -> Response:
        """A ``parallax.report/1`` document holding that one story (serialised once per
        story version: a big story's report is megabytes)."""
        live, version, found = _story_or_404(reader, story_id)

        def serialise() -> str:
            return json.dumps(report_document([found]), ensure_ascii=False)

        body = reader.page((f"json:{live}", version), serialise)
        return Response(body, media_type="application/json")

    @app.get(
        "/api/stories/{story_id}/{table}.csv",
        tags=["stories"],
        response_class=Response,
        responses={200: {"content": {"text/csv": {}}}},
    )
    def api_story_table(story_id: Id, table: Table) -> Response:
        """One table of a story's report as CSV (columns: docs/report.md, "Tables"):
        every row carries its evidence (article id, span, text)."""
        live, _, found = _story_or_404(reader, story_id)
        rows = story_tables(found)[table.value]
        buffer = io.StringIO()
        csv_rows(rows, TABLE_COLUMNS[table.value], buffer)
        name = f"{live}-{table.value}.csv"
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: Id) -> dict[str, Any]:
        """One stored article (``parallax.article/1``), with its annotations, its
        revisions and its story."""
        document = article_document(reader.store, article_id)
        if document is None:
            raise HTTPException(404, f"No article has the id {article_id!r}.")
        return document

    @app.get("/api/outlets/{outlet:path}", tags=["outlets"])
    def api_outlet(outlet: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """One outlet across its newest stories (``parallax.outlet/1``)."""
        return _outlet(reader, outlet)

    @app.get("/api/actors/{actor_id}", tags=["actors"])
    def api_actor(actor_id: Id) -> dict[str, Any]:
        """One actor across its newest stories (``parallax.actor/1``)."""
        return _actor(reader, actor_id)

    @app.get("/api/search", tags=["search"])
    def api_search(
        q: Annotated[str, Query(min_length=1, max_length=200)],
        limit: Annotated[int, Query(ge=1, le=SEARCH_ARTICLES)] = 20,
    ) -> dict[str, Any]:
        """Stories and articles whose text holds every word of ``q``."""
        words = search_query(q)
        if words is None:
            return {"query": q, "stories": [], "articles": []}
        stories = find_stories(reader.store, search=words, limit=limit)
        articles = [
            {
                "id": a.id,
                "outlet": a.outlet,
                "outlet_name": shown_outlet(a.outlet) if a.outlet else None,
                "title": a.title,
                "url": a.url,
                "published_at": a.published_at,
                "story": story_of_article(reader.store, a.id),
            }
            for a in reader.store.articles(search=words, limit=limit)
        ]
        return {"query": q, "stories": [s.to_json() for s in stories], "articles": articles}

    @app.get("/api/outlets", tags=["outlets"])
    def api_outlets() -> dict[str, Any]:
        """Every outlet with an article in a story."""
        return {"outlets": reader.timed("outlets", lambda: _outlets(reader))}


__all__ = ["MAX_PAGE", "StoryQuery", "create_app", "static_url"]
