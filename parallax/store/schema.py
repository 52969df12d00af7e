"""The store's schema, as an ordered list of migrations.

``PRAGMA user_version`` holds the version of a store file. Opening a store applies
the migrations it lacks, in one transaction each; a store newer than this code is
refused rather than written with assumptions that no longer hold.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            """
            CREATE TABLE articles (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                outlet TEXT,
                url TEXT,
                title TEXT,
                author TEXT,
                published_at TEXT,
                language TEXT,
                source TEXT NOT NULL,
                record INTEGER,
                text TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                duplicate_of TEXT,
                wire_of TEXT,
                similarity REAL,
                extra TEXT NOT NULL DEFAULT '{}',
                annotations TEXT,
                signature BLOB NOT NULL,
                ingested_at TEXT NOT NULL,
                run INTEGER
            )
            """,
            "CREATE INDEX articles_outlet ON articles(outlet)",
            "CREATE INDEX articles_published ON articles(published_at)",
            "CREATE INDEX articles_content ON articles(content_hash)",
            "CREATE INDEX articles_run ON articles(run)",
            """
            CREATE TABLE lsh_bands (
                band INTEGER NOT NULL,
                key INTEGER NOT NULL,
                article INTEGER NOT NULL REFERENCES articles(seq),
                PRIMARY KEY (band, key, article)
            ) WITHOUT ROWID
            """,
            """
            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY,
                source TEXT NOT NULL,
                record INTEGER NOT NULL DEFAULT 0,
                code TEXT NOT NULL,
                reason TEXT NOT NULL,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 1,
                UNIQUE (source, record, code)
            )
            """,
            """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                summary TEXT
            )
            """,
            """
            CREATE VIRTUAL TABLE articles_fts USING fts5(
                title, text, content='articles', content_rowid='seq',
                tokenize='unicode61 remove_diacritics 2'
            )
            """,
            """
            CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
                INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
            END
            """,
            """
            CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.seq, old.title, old.text);
            END
            """,
            """
            CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.seq, old.title, old.text);
                INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
            END
            """,
        ),
    ),
)

MIGRATIONS += (
    (
        2,
        (
            # which annotator (version + model) produced an article's annotations; NULL = not yet
            "ALTER TABLE articles ADD COLUMN annotator TEXT",
            "CREATE INDEX articles_annotator ON articles(annotator)",
            # copy families are re-pointed by these when an earlier origin arrives
            "CREATE INDEX articles_duplicate_of ON articles(duplicate_of)",
            "CREATE INDEX articles_wire_of ON articles(wire_of)",
        ),
    ),
)

MIGRATIONS += (
    (
        3,
        (
            # stories: one row per story ever founded; a merged story stays, cold, with
            # merged_into set, so old ids still resolve. first_at/last_at: POSIX seconds of
            # the publication range of its articles (NULL when none has a known time), and
            # first_/last_published the published_at of those articles as they are stored.
            """
            CREATE TABLE stories (
                seq INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                title TEXT,
                summary TEXT,
                title_article TEXT,
                created TEXT NOT NULL,
                updated TEXT NOT NULL,
                first_at REAL,
                last_at REAL,
                first_published TEXT,
                last_published TEXT,
                state TEXT NOT NULL DEFAULT 'hot' CHECK (state IN ('hot', 'cold')),
                merged_into TEXT,
                article_count INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX stories_state ON stories(state)",
            # one row per clustered article: its story, its place in assignment order, its
            # independence group (id of the group's earliest article), its score against
            # the story when it joined (NULL: it founded the story) and whom it relays
            """
            CREATE TABLE story_articles (
                article TEXT PRIMARY KEY,
                story TEXT NOT NULL,
                position INTEGER NOT NULL,
                grp TEXT NOT NULL,
                score REAL,
                relays TEXT
            )
            """,
            "CREATE INDEX story_articles_story ON story_articles(story, position)",
            """
            CREATE TABLE story_merges (
                id INTEGER PRIMARY KEY,
                source TEXT NOT NULL,
                target TEXT NOT NULL,
                article TEXT NOT NULL,
                score REAL NOT NULL,
                at TEXT NOT NULL
            )
            """,
            # hashed document frequencies of clustering features, and the clusterer's
            # counters (documents counted, clock): enough to resume where a run stopped
            "CREATE TABLE story_df (bucket INTEGER PRIMARY KEY, df INTEGER NOT NULL)",
            "CREATE TABLE story_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ),
    ),
)

MIGRATIONS += (
    (
        4,
        (
            # why the last annotation of an article failed (NULL: it did not fail); a failed
            # article keeps annotator NULL, so every annotate run tries it again
            "ALTER TABLE articles ADD COLUMN annotation_error TEXT",
            # what stored data depends on (the MinHash parameters of stored signatures and
            # band keys): recorded when first used, a mismatch is refused instead of silently
            # breaking duplicate detection against stored keys
            "CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ),
    ),
)

MIGRATIONS += (
    (
        5,
        (
            # a story's revision: bumped by the store itself (triggers) whenever anything its
            # comparison reads changes: a member joins, leaves or is regrouped, a member's
            # annotations or copy family change, or the story's title changes. A kept report
            # is current exactly when it was made at the story's present revision.
            "ALTER TABLE stories ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
            """
            CREATE TRIGGER story_revision_join AFTER INSERT ON story_articles BEGIN
                UPDATE stories SET revision = revision + 1 WHERE id = new.story;
            END
            """,
            """
            CREATE TRIGGER story_revision_move AFTER UPDATE ON story_articles BEGIN
                UPDATE stories SET revision = revision + 1 WHERE id IN (old.story, new.story);
            END
            """,
            """
            CREATE TRIGGER story_revision_leave AFTER DELETE ON story_articles BEGIN
                UPDATE stories SET revision = revision + 1 WHERE id = old.story;
            END
            """,
            """
            CREATE TRIGGER story_revision_article AFTER UPDATE OF
                annotations, title, outlet, url, published_at, duplicate_of, wire_of
                ON articles BEGIN
                UPDATE stories SET revision = revision + 1
                WHERE id = (SELECT story FROM story_articles WHERE article = new.id);
            END
            """,
            """
            CREATE TRIGGER story_revision_title AFTER UPDATE OF title, summary ON stories
                WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary BEGIN
                UPDATE stories SET revision = revision + 1 WHERE id = new.id;
            END
            """,
            # the comparison of a story, kept so that readers (the web server, exports) do
            # not recompute it per request: ``version`` is the story revision and what else
            # the comparison depends on (code version, framing lexicon) at the time it was made
            """
            CREATE TABLE story_reports (
                story TEXT PRIMARY KEY,
                version TEXT NOT NULL,
                conflicts INTEGER NOT NULL,
                facts INTEGER NOT NULL,
                corroborated INTEGER NOT NULL,
                report TEXT NOT NULL,
                computed TEXT NOT NULL
            )
            """,
            "CREATE INDEX stories_last_at ON stories(last_at)",
            # a comparison shows an outlet by the best name the store knows for it ("Meridian
            # Wire" for meridianwire.example), so a new spelling of an outlet changes the
            # reports of the stories that hold another spelling of it: their revisions move.
            # outlet_key is Parallax's comparison key, registered on every writing connection
            """
            CREATE TRIGGER story_revision_outlet_name AFTER INSERT ON articles
                WHEN new.outlet IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM articles WHERE outlet = new.outlet AND seq != new.seq) BEGIN
                UPDATE stories SET revision = revision + 1 WHERE id IN (
                    SELECT sa.story FROM story_articles sa JOIN articles a ON a.id = sa.article
                    WHERE a.outlet IN (
                        SELECT o FROM (SELECT DISTINCT outlet AS o FROM articles)
                        WHERE o != new.outlet AND outlet_key(o) = outlet_key(new.outlet)));
            END
            """,
        ),
    ),
)

MIGRATIONS += (
    (
        6,
        (
            # how far ingest has read each archive file (WARC/ARC): ``source`` is the file's
            # resolved path, ``size`` and ``mtime_ns`` identify the version read, ``offset``
            # is where the record after the last stored one starts (written in the same
            # transaction as the articles before it, so a rerun after a kill resumes there),
            # ``complete`` is 1 once the file was read to its end without damage, and
            # ``articles`` counts its article records read before ``offset``
            """
            CREATE TABLE input_progress (
                source TEXT PRIMARY KEY,
                size INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                offset INTEGER NOT NULL,
                complete INTEGER NOT NULL DEFAULT 0,
                articles INTEGER NOT NULL DEFAULT 0,
                updated TEXT NOT NULL
            )
            """,
        ),
    ),
)

MIGRATIONS += (
    (
        7,
        (
            # the texts an article has had: a page seen again (a later crawl, a re-fetch)
            # with a text never seen before is a revision of the same article, not a second
            # article. Rows exist only for articles seen changed: the first is the text first
            # stored. ``fetched_at`` is when the outlet served it (when the input says),
            # ``seen_at`` when Parallax read it; the article row holds the latest revision.
            """
            CREATE TABLE article_revisions (
                article TEXT NOT NULL,
                number INTEGER NOT NULL,
                content_hash TEXT NOT NULL,
                title TEXT,
                text TEXT NOT NULL,
                fetched_at TEXT,
                seen_at TEXT NOT NULL,
                source TEXT NOT NULL,
                PRIMARY KEY (article, number)
            )
            """,
        ),
    ),
)

MIGRATIONS += (
    (
        8,
        (
            # the feeds a watcher polls (RSS, Atom, JSON Feed, news sitemaps): the validators
            # of the last answer (etag, last_modified) for a conditional GET, when it was last
            # polled and is next due, how many polls in a row failed (the backoff) and why
            """
            CREATE TABLE feeds (
                url TEXT PRIMARY KEY,
                title TEXT,
                kind TEXT,
                added TEXT NOT NULL,
                etag TEXT,
                last_modified TEXT,
                last_poll TEXT,
                next_poll REAL,
                failures INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                last_status INTEGER
            )
            """,
            # each entry a feed has listed, by its id/guid (else its link): ``seen`` is set
            # in the transaction that stores its article (``article``), so a kill leaves both
            # or neither; a page that fails is tried again on later polls (``attempts``,
            # ``last_error``) and given up after a few (``seen`` set, ``article`` NULL)
            """
            CREATE TABLE feed_items (
                feed TEXT NOT NULL,
                item_key TEXT NOT NULL,
                url TEXT,
                title TEXT,
                published TEXT,
                summary TEXT,
                author TEXT,
                publication TEXT,
                listed TEXT NOT NULL,
                seen TEXT,
                article TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                PRIMARY KEY (feed, item_key)
            )
            """,
            "CREATE INDEX feed_items_pending ON feed_items(feed) WHERE seen IS NULL",
        ),
    ),
)

_REST = "substr(new.url, instr(new.url, '://') + 3)"
_HOST = (
    f"lower(CASE WHEN instr({_REST}, '/') > 0"
    f" THEN substr({_REST}, 1, instr({_REST}, '/') - 1) ELSE {_REST} END)"
)
_BARE_HOST = f"(CASE WHEN {_HOST} LIKE 'www.%' THEN substr({_HOST}, 5) ELSE {_HOST} END)"
"""The host of a new article's url, without ``www.``, in SQL (triggers cannot call
Python on a reading connection, and every connection must be able to write)."""

MIGRATIONS += (
    (
        9,
        (
            # a page on domain D that names its outlet N teaches D = N (the outlet table
            # learns it from the stored articles), so articles stored under the bare
            # domain D are shown as N from then on: the first page of N on D moves the
            # revisions of the stories that hold an article spelled D (or www.D)
            f"""
            CREATE TRIGGER story_revision_outlet_domain AFTER INSERT ON articles
                WHEN new.outlet IS NOT NULL AND instr(new.url, '://') > 0
                AND EXISTS (SELECT 1 FROM articles WHERE outlet IN
                    ({_BARE_HOST}, 'www.' || {_BARE_HOST}) AND outlet != new.outlet)
                AND NOT EXISTS (SELECT 1 FROM articles WHERE outlet = new.outlet
                    AND seq != new.seq AND url LIKE '%' || {_BARE_HOST} || '/%') BEGIN
                UPDATE stories SET revision = revision + 1 WHERE id IN (
                    SELECT sa.story FROM story_articles sa JOIN articles a ON a.id = sa.article
                    WHERE a.outlet IN ({_BARE_HOST}, 'www.' || {_BARE_HOST})
                    AND a.outlet != new.outlet);
            END
            """,
        ),
    ),
)

MIGRATIONS += (
    (
        10,
        (
            # when the feed last says an entry was updated (Atom ``updated``, RSS
            # ``dc:date``/``atom:updated``, JSON Feed ``date_modified``, a sitemap's
            # ``lastmod``), kept apart from ``published``: an entry listed again with another
            # title or ``updated`` is made pending again (``seen`` cleared), so its page is
            # fetched again and an edit becomes a revision of its article
            "ALTER TABLE feed_items ADD COLUMN updated TEXT",
        ),
    ),
)

LATEST = MIGRATIONS[-1][0]
