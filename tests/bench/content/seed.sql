-- SPDX-License-Identifier: Apache-2.0
-- SPDX-FileCopyrightText: Community Platform authors
-- Seeds the content schema for content_bench.sh (and EXPLAIN checks) in one transaction:
-- :communities communities, :authors authors, :posts posts over the last year (skewed
-- community sizes and scores, realistic text sizes, a few pinned, some tagged) and
-- :comments comments in trees of four levels (40/30/20/10 %), with every counter
-- (posts.comment_count, comments.reply_count, communities.post_count/member_count) set
-- to what the rows say. Deterministic (setseed). Usage:
--   psql -v communities=20 -v authors=2000 -v posts=10000 -v comments=100000 -f seed.sql
\set ON_ERROR_STOP on
BEGIN;
SELECT setseed(0.4242);

CREATE TEMP TABLE seed_words (w text[]);
INSERT INTO seed_words SELECT string_to_array(
  'the of and to in is that for it with as was on be at by this had not are but from or have an they which '
  'one you were her all she there would their we him been has when who will more no if out so said what up its '
  'about into than them can only other new some could time these two may then do first any my now such like our '
  'over man me even most made after also did many before must through back years where much your way well down '
  'should because each just those people how too little state good very make world still own see men work long '
  'get here between both life being under never day same another know while last might us great old year off '
  'come since against go came right used take three postgres qt keyset cursor index feed thread', ' ');

-- n words of filler text, deterministic per seed value.
CREATE FUNCTION pg_temp.words(n int, seed int) RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(w[1 + ((seed * 7919 + i * 104729) % array_length(w, 1))], ' ')
  FROM seed_words, generate_series(1, n) i
$$;

INSERT INTO content.authors (user_id, username)
SELECT 1000000 + g, 'seed_user_' || g FROM generate_series(1, :authors) g
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO content.communities (slug, title, description, created_by, created_at)
SELECT 'bench-' || g, 'Bench community ' || g, pg_temp.words(30, g), 1000000 + g, now() - interval '400 days'
FROM generate_series(1, :communities) g;
CREATE TEMP TABLE seed_comm AS
SELECT row_number() OVER (ORDER BY id) AS n, id FROM content.communities WHERE slug LIKE 'bench-%';

-- Skewed sizes: community n gets a share falling with n (the first few are busy).
INSERT INTO content.members (community_id, user_id)
SELECT DISTINCT c.id, 1000000 + r.a
FROM (SELECT a, 1 + floor(:communities * random() ^ 2)::int AS cn
      FROM generate_series(1, :authors) a CROSS JOIN generate_series(1, 3) k) r
JOIN seed_comm c ON c.n = r.cn
ON CONFLICT DO NOTHING;

INSERT INTO content.posts (community_id, author_id, title, body, body_html, tags, score, upvotes, downvotes, created_at)
SELECT c.id, r.author,
       initcap(pg_temp.words(6 + r.g % 9, r.g)),
       pg_temp.words(40 + (r.g * 37) % 300, r.g + 1),
       '<p>' || pg_temp.words(40 + (r.g * 37) % 300, r.g + 1) || '</p>',
       CASE WHEN r.g % 7 = 0 THEN ARRAY['postgres'] WHEN r.g % 11 = 0 THEN ARRAY['qt', 'cpp'] ELSE '{}' END,
       r.score, greatest(r.score, 0) + r.down, greatest(-r.score, 0) + r.down, r.created_at
FROM (SELECT g, 1 + floor(:communities * random() ^ 2)::int AS cn,
             1000001 + floor(:authors * random() ^ 1.5)::int AS author,
             floor(exp(random() * 7))::int - 3 AS score, floor(random() * 5)::int AS down,
             now() - random() * interval '365 days' AS created_at
      FROM generate_series(1, :posts) g) r
JOIN seed_comm c ON c.n = r.cn;
UPDATE content.posts SET hot = sign(score) * log(greatest(abs(score), 1)) + extract(epoch FROM created_at) / 45000.0
WHERE community_id IN (SELECT id FROM seed_comm);
-- Two pinned posts per community (its newest two).
UPDATE content.posts SET pinned = true WHERE id IN (
  SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY community_id ORDER BY created_at DESC) r
                  FROM content.posts WHERE community_id IN (SELECT id FROM seed_comm)) x WHERE r <= 2);

-- Comment trees: level 0 replies to posts (busy posts get many), levels 1-3 to the level above.
CREATE TEMP TABLE seed_post AS
SELECT row_number() OVER (ORDER BY id) AS n, id, created_at FROM content.posts WHERE community_id IN (SELECT id FROM seed_comm);

SELECT coalesce(max(id), 0) AS base FROM content.comments \gset
SELECT count(*) AS nposts FROM seed_post \gset
INSERT INTO content.comments (id, post_id, parent_id, author_id, depth, path, body, body_html, score, upvotes, created_at)
OVERRIDING SYSTEM VALUE
SELECT :base + r.g, p.id, NULL, r.author, 0, ARRAY[:base + r.g]::bigint[],
       pg_temp.words(8 + (r.g * 13) % 80, r.g + 7), '<p>' || pg_temp.words(8 + (r.g * 13) % 80, r.g + 7) || '</p>',
       r.score, r.score, p.created_at + r.at * (now() - p.created_at)
FROM (SELECT g, 1 + floor(:nposts * random() ^ 3)::int AS pn, 1000001 + floor(:authors * random() ^ 1.5)::int AS author,
             floor(exp(random() * 4))::int - 1 AS score, random() AS at
      FROM generate_series(1, (:comments * 0.4)::int) g) r
JOIN seed_post p ON p.n = r.pn;

-- Level 1: replies to level 0 (the busier comments get more).
CREATE TEMP TABLE seed_parent1 AS
SELECT row_number() OVER (ORDER BY id) AS n, id, post_id, path, created_at FROM content.comments WHERE id > :base;
SELECT coalesce(max(id), 0) AS base, (SELECT count(*) FROM seed_parent1) AS nparents FROM content.comments \gset
INSERT INTO content.comments (id, post_id, parent_id, author_id, depth, path, body, body_html, score, upvotes, created_at)
OVERRIDING SYSTEM VALUE
SELECT :base + r.g, q.post_id, q.id, r.author, 1, q.path || (:base + r.g)::bigint,
       pg_temp.words(5 + (r.g * 17) % 60, r.g + 17), '<p>' || pg_temp.words(5 + (r.g * 17) % 60, r.g + 17) || '</p>',
       0, 0, q.created_at + r.at * (now() - q.created_at)
FROM (SELECT g, 1 + floor(:nparents * random() ^ 2)::int AS qn, 1000001 + floor(:authors * random() ^ 1.5)::int AS author,
             random() AS at
      FROM generate_series(1, (:comments * 0.3)::int) g) r
JOIN seed_parent1 q ON q.n = r.qn;

-- Level 2: replies to level 1 (the busier comments get more).
CREATE TEMP TABLE seed_parent2 AS
SELECT row_number() OVER (ORDER BY id) AS n, id, post_id, path, created_at FROM content.comments WHERE id > :base;
SELECT coalesce(max(id), 0) AS base, (SELECT count(*) FROM seed_parent2) AS nparents FROM content.comments \gset
INSERT INTO content.comments (id, post_id, parent_id, author_id, depth, path, body, body_html, score, upvotes, created_at)
OVERRIDING SYSTEM VALUE
SELECT :base + r.g, q.post_id, q.id, r.author, 2, q.path || (:base + r.g)::bigint,
       pg_temp.words(5 + (r.g * 19) % 60, r.g + 19), '<p>' || pg_temp.words(5 + (r.g * 19) % 60, r.g + 19) || '</p>',
       0, 0, q.created_at + r.at * (now() - q.created_at)
FROM (SELECT g, 1 + floor(:nparents * random() ^ 2)::int AS qn, 1000001 + floor(:authors * random() ^ 1.5)::int AS author,
             random() AS at
      FROM generate_series(1, (:comments * 0.2)::int) g) r
JOIN seed_parent2 q ON q.n = r.qn;

-- Level 3: replies to level 2 (the busier comments get more).
CREATE TEMP TABLE seed_parent3 AS
SELECT row_number() OVER (ORDER BY id) AS n, id, post_id, path, created_at FROM content.comments WHERE id > :base;
SELECT coalesce(max(id), 0) AS base, (SELECT count(*) FROM seed_parent3) AS nparents FROM content.comments \gset
INSERT INTO content.comments (id, post_id, parent_id, author_id, depth, path, body, body_html, score, upvotes, created_at)
OVERRIDING SYSTEM VALUE
SELECT :base + r.g, q.post_id, q.id, r.author, 3, q.path || (:base + r.g)::bigint,
       pg_temp.words(5 + (r.g * 23) % 60, r.g + 23), '<p>' || pg_temp.words(5 + (r.g * 23) % 60, r.g + 23) || '</p>',
       0, 0, q.created_at + r.at * (now() - q.created_at)
FROM (SELECT g, 1 + floor(:nparents * random() ^ 2)::int AS qn, 1000001 + floor(:authors * random() ^ 1.5)::int AS author,
             random() AS at
      FROM generate_series(1, :comments - (:comments * 0.4)::int - (:comments * 0.3)::int - (:comments * 0.2)::int) g) r
JOIN seed_parent3 q ON q.n = r.qn;

SELECT setval(pg_get_serial_sequence('content.comments', 'id'), (SELECT max(id) FROM content.comments));

-- Counters exactly as the rows say.
UPDATE content.comments c SET reply_count = r.n
FROM (SELECT parent_id, count(*) AS n FROM content.comments WHERE parent_id IS NOT NULL GROUP BY parent_id) r
WHERE c.id = r.parent_id;
UPDATE content.posts p SET comment_count = r.n
FROM (SELECT post_id, count(*) AS n FROM content.comments WHERE state = 'visible' GROUP BY post_id) r
WHERE p.id = r.post_id;
UPDATE content.communities c SET
  post_count = (SELECT count(*) FROM content.posts p WHERE p.community_id = c.id AND p.state = 'visible'),
  member_count = (SELECT count(*) FROM content.members m WHERE m.community_id = c.id)
WHERE c.id IN (SELECT id FROM seed_comm);
COMMIT;
ANALYZE content.authors, content.communities, content.members, content.posts, content.comments;
