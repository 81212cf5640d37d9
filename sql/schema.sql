-- dateline database schema, version 1.
--
-- This file creates a new store.  Later changes are numbered files in
-- sql/migrations/ (002-*.sql, ...), each run once, in order, inside one
-- transaction, by whichever datelined first opens an older store; PRAGMA
-- user_version records the version reached.
--
-- Times are RFC 3339 UTC text ("2024-06-19T01:05:00Z"): they sort as text
-- and work with SQLite's date functions.

-- One row per configured feed, kept (with its articles) when the feed is
-- removed from the configuration; `active` says whether it is configured.
CREATE TABLE feeds (
	id                 INTEGER PRIMARY KEY,
	name               TEXT NOT NULL UNIQUE,
	url                TEXT NOT NULL,        -- as configured
	kind               TEXT NOT NULL,        -- agency | epaper | site
	agency             TEXT,
	active             INTEGER NOT NULL DEFAULT 1,
	created_at         TEXT NOT NULL,
	-- polling state
	fetch_url          TEXT,                 -- url after permanent redirects
	redirect_url       TEXT,                 -- permanent redirect target being counted
	redirect_count     INTEGER NOT NULL DEFAULT 0,
	etag               TEXT,
	last_modified      TEXT,
	last_polled_at     TEXT,
	last_success_at    TEXT,
	last_new_item_at   TEXT,
	last_status        INTEGER,              -- HTTP status of the last poll, 0 when none
	last_error         TEXT,                 -- NULL after a successful poll
	consecutive_errors INTEGER NOT NULL DEFAULT 0,
	next_poll_at       TEXT,
	gone_at            TEXT,                 -- set on 410 Gone: no longer polled
	title              TEXT,                 -- the feed's own title
	site_url           TEXT,
	polls              INTEGER NOT NULL DEFAULT 0,
	items_seen         INTEGER NOT NULL DEFAULT 0,
	-- adaptive polling and health
	cur_interval       REAL,                 -- seconds between polls now
	quiet_polls        INTEGER NOT NULL DEFAULT 0, -- successful polls in a row with nothing new
	item_gap           REAL                  -- usual seconds between polls that found new
	                                         -- items (moving average), NULL until known
);

-- One row per distinct story text (by content hash).  Near-variants of
-- one text (lightly edited copies) share a family: family_id is the id of
-- the family's first story.
CREATE TABLE stories (
	id               INTEGER PRIMARY KEY,
	content_hash     TEXT NOT NULL UNIQUE,   -- lowercase hex SHA-256
	title            TEXT,
	agency           TEXT,
	first_seen_at    TEXT NOT NULL,
	first_article_id INTEGER,                -- REFERENCES articles(id), set after insert
	family_id        INTEGER,                -- the family's first story
	teaser           INTEGER NOT NULL DEFAULT 0, -- only a teaser's text: never merged with full text
	minhash          BLOB                    -- near-variant signature (uint32s, little-endian)
);
CREATE INDEX stories_family ON stories(family_id);
CREATE INDEX stories_first_seen ON stories(first_seen_at);

-- Locality-sensitive index of the signatures: a story is listed under one
-- key per band, and near-variants share at least one key, so finding them
-- costs a few index lookups however large the store grows.
CREATE TABLE story_lsh (
	key      INTEGER NOT NULL,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	PRIMARY KEY (key, story_id)
) WITHOUT ROWID;
CREATE INDEX story_lsh_story ON story_lsh(story_id);

-- One row per article page (feed item), wherever it was published.
CREATE TABLE articles (
	id             INTEGER PRIMARY KEY,
	feed_id        INTEGER NOT NULL REFERENCES feeds(id),
	story_id       INTEGER REFERENCES stories(id),
	guid           TEXT,
	url            TEXT UNIQUE,              -- canonical URL
	title          TEXT,
	byline         TEXT,
	agency         TEXT,
	dateline       TEXT,
	summary        TEXT,                     -- the feed's teaser, plain text
	body           TEXT,                     -- the fullest text: the page's if fetched, else feed_text;
	                                         -- plain text, paragraphs separated by a blank line
	feed_text      TEXT,                     -- the feed's own text (content, else summary), plain
	content_html   TEXT,                     -- sanitized HTML from the feed
	categories     TEXT,                     -- JSON array of strings
	enclosures     TEXT,                     -- JSON array of {url, type, length}
	content_hash   TEXT,
	auto_published INTEGER NOT NULL DEFAULT 0,
	published_at   TEXT,
	updated_at     TEXT,                     -- the source's own update time
	first_seen_at  TEXT NOT NULL,            -- when dateline first stored it
	changed_at     TEXT,                     -- when dateline last saw its text change
	-- the article's own page (feeds with fetch_articles: true)
	page_state     TEXT CHECK (page_state IN ('pending', 'done', 'failed')),
	                                         -- NULL: the page is not wanted
	page_attempts  INTEGER NOT NULL DEFAULT 0,
	page_error     TEXT,                     -- why the last attempt failed
	page_next_try_at TEXT,                   -- pending: not before this time
	page_fetched_at  TEXT,
	page_url       TEXT                      -- the page's canonical URL as it declares it
);
CREATE UNIQUE INDEX articles_feed_guid ON articles(feed_id, guid) WHERE guid IS NOT NULL;
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_published ON articles(published_at);
CREATE INDEX articles_first_seen ON articles(first_seen_at);
CREATE INDEX articles_page_pending ON articles(feed_id, page_next_try_at)
	WHERE page_state = 'pending';

-- Raw article pages, kept for feeds with keep_html: true so that
-- `dateline reextract` can rerun a better extractor without refetching.
CREATE TABLE pages (
	article_id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
	url          TEXT NOT NULL,              -- the URL fetched (after redirects)
	fetched_at   TEXT NOT NULL,
	content_type TEXT,
	size         INTEGER NOT NULL,           -- bytes before compression
	html         BLOB NOT NULL               -- zlib (RFC 1950) compressed
);

-- Earlier texts of articles whose text changed (same feed and guid or URL).
CREATE TABLE article_revisions (
	id           INTEGER PRIMARY KEY,
	article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	revised_at   TEXT NOT NULL,              -- when the newer text replaced this one
	title        TEXT,
	body         TEXT,
	content_hash TEXT,
	story_id     INTEGER
);
CREATE INDEX article_revisions_article ON article_revisions(article_id);
CREATE INDEX articles_feed_hash ON articles(feed_id, content_hash);

CREATE TABLE entities (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('person', 'org', 'place')),
	UNIQUE (name, kind)
);

CREATE TABLE article_entities (
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	entity_id  INTEGER NOT NULL REFERENCES entities(id),
	mentions   INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX article_entities_entity ON article_entities(entity_id);

-- "Related Stories" links found on article pages.
CREATE TABLE links (
	article_id        INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	url               TEXT NOT NULL,
	title             TEXT,
	category          TEXT,
	target_article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
	PRIMARY KEY (article_id, url)
) WITHOUT ROWID;
CREATE INDEX links_url ON links(url);


PRAGMA user_version = 1;
