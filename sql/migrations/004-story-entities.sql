-- 004: the shingle count of a story's text and the entities of each story.
--
-- Version 1 as first released had neither.  A story's shingle count lets
-- a brief or an update mostly contained in another text join its family
-- (the containment rule of dateline(1)); NULL for stories stored before,
-- which are then judged by signature similarity alone.  Entities are
-- extracted once per story and linked to every copy: the stories of an
-- older store get theirs from what their copies were given.

ALTER TABLE stories ADD COLUMN shingles INTEGER;  -- word 3-shingles of the text

CREATE TABLE story_entities (
	story_id  INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	entity_id INTEGER NOT NULL REFERENCES entities(id),
	mentions  INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (story_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX story_entities_entity ON story_entities(entity_id);

INSERT INTO story_entities (story_id, entity_id, mentions)
SELECT a.story_id, ae.entity_id, max(ae.mentions)
FROM article_entities ae JOIN articles a ON a.id = ae.article_id
WHERE a.story_id IS NOT NULL
GROUP BY a.story_id, ae.entity_id;
