-- dateline views: the common questions, answered without joins by hand.
--
-- Views hold no data, so datelined drops and re-creates all of them each
-- time it opens the store: a new version's views replace the old ones
-- without a migration.  Times are RFC 3339 UTC text.

DROP VIEW IF EXISTS latest_articles;
DROP VIEW IF EXISTS story_copies;
DROP VIEW IF EXISTS feed_health;
DROP VIEW IF EXISTS entity_mentions;
DROP VIEW IF EXISTS epaper_articles;

-- latest_articles: every article with its outlet and story, newest first
-- seen first.  LIMIT it:  SELECT * FROM latest_articles LIMIT 20;
CREATE VIEW latest_articles AS
SELECT a.id            AS article_id,
       a.first_seen_at AS first_seen_at,
       a.published_at  AS published_at,
       f.name          AS feed,
       a.agency        AS agency,
       a.title         AS title,
       a.byline        AS byline,
       a.url           AS url,
       a.story_id      AS story_id
FROM articles a JOIN feeds f ON f.id = a.feed_id
ORDER BY a.first_seen_at DESC, a.id DESC;

-- story_copies: per story, how many copies and distinct outlets ran it,
-- when the first and the last copy were seen, and the spread in minutes
-- between them; family_id groups near-variants.
CREATE VIEW story_copies AS
SELECT s.id                          AS story_id,
       s.family_id                   AS family_id,
       s.title                       AS title,
       s.agency                      AS agency,
       count(a.id)                   AS copies,
       count(DISTINCT a.feed_id)     AS outlets,
       min(a.first_seen_at)          AS first_seen_at,
       max(a.first_seen_at)          AS last_seen_at,
       CAST(round((julianday(max(a.first_seen_at)) -
                   julianday(min(a.first_seen_at))) * 1440) AS INTEGER)
                                     AS spread_minutes
FROM stories s JOIN articles a ON a.story_id = s.id
GROUP BY s.id;

-- feed_health: each active feed's state:
--   gone     the server answered 410 Gone: kept, no longer polled;
--   failing  the last poll failed (last_error says why);
--   stale    polls succeed, but nothing new came for more than four times
--            the feed's usual gap between new items;
--   ok       otherwise.
CREATE VIEW feed_health AS
SELECT f.id, f.name, f.url, f.kind,
       CASE
         WHEN f.gone_at IS NOT NULL THEN 'gone'
         WHEN f.last_error IS NOT NULL THEN 'failing'
         WHEN f.item_gap IS NOT NULL AND f.last_new_item_at IS NOT NULL
              AND (julianday('now') - julianday(f.last_new_item_at)) * 86400
                  > 4 * f.item_gap THEN 'stale'
         ELSE 'ok'
       END AS state,
       f.last_success_at, f.last_new_item_at, f.consecutive_errors, f.last_error,
       f.next_poll_at, f.cur_interval AS interval_seconds,
       f.item_gap AS usual_gap_seconds, f.last_status, f.polls,
       (SELECT count(*) FROM articles a WHERE a.feed_id = f.id) AS articles
FROM feeds f
WHERE f.active = 1;

-- entity_mentions: per entity, how many stories and articles name it, how
-- often, and when it was first and last seen in a story.
CREATE VIEW entity_mentions AS
SELECT e.id                   AS entity_id,
       e.name                 AS entity,
       e.kind                 AS kind,
       count(se.story_id)     AS stories,
       (SELECT count(*) FROM article_entities ae WHERE ae.entity_id = e.id)
                              AS articles,
       sum(se.mentions)       AS mentions,
       min(s.first_seen_at)   AS first_seen_at,
       max(s.first_seen_at)   AS last_seen_at
FROM entities e
JOIN story_entities se ON se.entity_id = e.id
JOIN stories s ON s.id = se.story_id
GROUP BY e.id;

-- epaper_articles: what ran where in e-paper editions: one row per article
-- and edition, with its page and order; continuation_of is set on a clip
-- that continues another article (whose body holds the joined text).
-- "What ran on page 1 of the Mumbai edition today":
--   SELECT title FROM epaper_articles WHERE edition = 'mumbai'
--   AND edition_date = date('now', 'localtime') AND page = 1
--   AND continuation_of IS NULL ORDER BY position;
CREATE VIEW epaper_articles AS
SELECT f.name           AS feed,
       e.edition        AS edition,
       e.date           AS edition_date,
       ea.page          AS page,
       ea.position      AS position,
       a.id             AS article_id,
       a.title          AS title,
       a.url            AS url,
       a.story_id       AS story_id,
       a.continuation_of AS continuation_of,
       a.page_state     AS page_state,
       a.page_error     AS page_error
FROM edition_articles ea
JOIN editions e ON e.id = ea.edition_id
JOIN feeds f ON f.id = e.feed_id
JOIN articles a ON a.id = ea.article_id;
