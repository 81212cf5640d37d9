-- 003: e-paper editions, where each article ran, and articles continued
-- on another page.
--
-- An e-paper feed (kind: epaper with follow:) looks for each configured
-- edition on each date its schedule names; `editions` has one row per
-- (feed, edition, date) looked for, and `edition_articles` says on which
-- page, in what order, each article ran in it (an article shared by two
-- editions, or by two days, is one article with two such rows).

CREATE TABLE editions (
	id             INTEGER PRIMARY KEY,
	feed_id        INTEGER NOT NULL REFERENCES feeds(id),
	edition        TEXT NOT NULL,            -- as configured ("mumbai")
	date           TEXT NOT NULL,            -- YYYY-MM-DD, in the feed's time zone
	state          TEXT NOT NULL CHECK (state IN ('pending', 'indexed', 'done')),
	                                         -- pending: not found yet (last_error says why);
	                                         -- indexed: its index read, article pages being fetched;
	                                         -- done: every page dealt with, continued articles joined
	index_url      TEXT NOT NULL,            -- the first index page (the url template expanded)
	attempts       INTEGER NOT NULL DEFAULT 0, -- polls that looked for it
	index_pages    INTEGER NOT NULL DEFAULT 0, -- index pages read
	articles       INTEGER NOT NULL DEFAULT 0, -- article links recorded
	links_offsite  INTEGER NOT NULL DEFAULT 0, -- links to other hosts, not followed
	links_skipped  INTEGER NOT NULL DEFAULT 0, -- links beyond edition_budget, not followed
	last_error     TEXT,                     -- why the last look failed, or why reading stopped short
	first_tried_at TEXT NOT NULL,
	last_tried_at  TEXT NOT NULL,
	indexed_at     TEXT,
	done_at        TEXT,
	UNIQUE (feed_id, edition, date)
);

CREATE TABLE edition_articles (
	edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
	article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
	page       INTEGER,                      -- the printed page, NULL when unknown
	position   INTEGER NOT NULL,             -- order of its link on the edition's index pages
	PRIMARY KEY (edition_id, article_id)
) WITHOUT ROWID;
CREATE INDEX edition_articles_article ON edition_articles(article_id);

-- An e-paper clip's own text (its jump lines cut) and where it jumps:
-- "Continued on page 4" (jump_to), "Continued from page 1" (jump_from).
-- A clip that continues another has continuation_of set and no story of
-- its own; the article it continues has the joined text as its body.
ALTER TABLE articles ADD COLUMN clip_text TEXT;
ALTER TABLE articles ADD COLUMN jump_to INTEGER;
ALTER TABLE articles ADD COLUMN jump_from INTEGER;
ALTER TABLE articles ADD COLUMN continuation_of INTEGER REFERENCES articles(id) ON DELETE SET NULL;
