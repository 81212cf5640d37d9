-- 002: full-text search over article titles and bodies.
--
-- An external-content FTS5 index (the text stays in `articles`; the index
-- holds only tokens), with diacritics folded so that "Sao Paulo" finds
-- "São Paulo".  datelined keeps it in sync as it writes: triggers cannot,
-- because the store runs with trusted_schema off, which keeps virtual
-- tables out of triggers.  The rebuild indexes the articles an existing
-- store already has.

CREATE VIRTUAL TABLE articles_fts USING fts5(
	title, body,
	content = 'articles', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

-- Entity queries by name, and stories by entity.
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);
