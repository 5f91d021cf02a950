-- The search projection (docs/search.md): documents built from content and users events by
-- the "search.index" consumer, autocomplete keys, and query analytics. Everything here can
-- be rebuilt by replaying the events (POST /v1/search/reindex) except the analytics.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- One row per indexed thing. Deleted/removed content keeps its row (state, event_id) as a
-- tombstone with the text cleared, so that a late or repeated older event cannot bring it
-- back; `searchable` is what queries filter on (partial indexes below).
CREATE TABLE documents (
    kind            text NOT NULL CHECK (kind IN ('post', 'comment', 'community', 'user')),
    ref_id          bigint NOT NULL,
    post_id         bigint,                      -- posts: own id; comments: their post
    community_id    bigint,
    community_slug  text,
    author_id       bigint,
    author_name     text,
    tags            text[] NOT NULL DEFAULT '{}',
    title           text NOT NULL DEFAULT '',
    body            text NOT NULL DEFAULT '',    -- plain text (markdown syntax stripped)
    parent_title    text,                        -- comments: the post's title
    state           text NOT NULL DEFAULT 'visible',
    parent_visible  boolean NOT NULL DEFAULT true,  -- comments: whether their post is visible
    searchable      boolean GENERATED ALWAYS AS (state = 'visible' AND parent_visible) STORED,
    score           integer NOT NULL DEFAULT 0,
    revision        integer NOT NULL DEFAULT 0,
    event_id        bigint NOT NULL,             -- newest event applied (older ones are ignored)
    created_at      timestamptz NOT NULL,
    indexed_at      timestamptz NOT NULL DEFAULT now(),
    tsv             tsvector NOT NULL DEFAULT ''::tsvector,
    PRIMARY KEY (kind, ref_id)
);
-- A small pending list: every search reads the GIN pending list linearly, and the default
-- 4 MB of it cost 2 ms per query (460 pages) even for a word in ten documents.
CREATE INDEX documents_tsv ON documents USING gin (tsv) WITH (gin_pending_list_limit = 256) WHERE searchable;
CREATE INDEX documents_new ON documents (created_at DESC, ref_id DESC) WHERE searchable;
CREATE INDEX documents_top ON documents (score DESC, created_at DESC) WHERE searchable;
CREATE INDEX documents_tags ON documents USING gin (tags) WITH (gin_pending_list_limit = 256) WHERE searchable;
CREATE INDEX documents_post ON documents (post_id) WHERE kind = 'comment';
CREATE INDEX documents_author ON documents (author_id);
CREATE INDEX documents_author_name ON documents (lower(author_name)) WHERE searchable;
CREATE INDEX documents_community ON documents (community_id) WHERE searchable;
CREATE INDEX documents_community_slug ON documents (lower(community_slug)) WHERE kind = 'community';

-- Autocomplete: one row per suggestion and word start (pos 0 = the whole term, 1.. = from
-- the n-th word on, then aliases such as a slug), so that prefixes match at any word of a
-- title. `jamo` (Hangul decomposed into compatibility jamo, other text lower-cased) serves
-- plain prefixes and unfinished last syllables, `choseong` initial-consonant queries.
-- `vocab` (pos 0 only) lists the words the entry contributed to `vocabulary`.
CREATE TABLE suggestions (
    kind      text NOT NULL CHECK (kind IN ('title', 'tag', 'community', 'user')),
    ref       text NOT NULL,          -- post id, tag, community id, user id
    pos       smallint NOT NULL,
    term      text NOT NULL,          -- what is shown
    detail    text,                   -- community slug / display name / post id for the client
    weight    double precision NOT NULL DEFAULT 1,
    jamo      text NOT NULL,
    choseong  text NOT NULL DEFAULT '',
    vocab     text,
    PRIMARY KEY (kind, ref, pos)
);
-- Prefix scans read keys in index order and stop early; names (communities, tags, users)
-- and whole titles get indexes of their own so that the many later-word keys of titles
-- cannot crowd them out of a capped scan.
CREATE INDEX suggestions_jamo ON suggestions (jamo text_pattern_ops);
CREATE INDEX suggestions_jamo_names ON suggestions (jamo text_pattern_ops) WHERE kind <> 'title';
CREATE INDEX suggestions_jamo_titles ON suggestions (jamo text_pattern_ops) WHERE kind = 'title' AND pos = 0;
CREATE INDEX suggestions_choseong ON suggestions (choseong text_pattern_ops) WHERE choseong <> '';
CREATE INDEX suggestions_choseong_names ON suggestions (choseong text_pattern_ops) WHERE choseong <> '' AND kind <> 'title';

-- Typo tolerance: the distinct words of titles, tags, community and user names, with an
-- ASCII transliteration (Hangul romanised) under a trigram index. A misspelt word is
-- corrected to a close vocabulary word, then searched or completed as usual: trigram
-- candidates among words stay few, where a trigram scan over whole titles degenerates
-- when a common word is in most of them. (pg_trgm ignores non-ASCII letters under the C
-- locale; the transliteration works whatever the locale.)
CREATE TABLE vocabulary (
    word      text PRIMARY KEY,
    translit  text NOT NULL,
    uses      integer NOT NULL CHECK (uses >= 0)   -- suggestion entries using the word
);
CREATE INDEX vocabulary_translit_trgm ON vocabulary USING gin (translit public.gin_trgm_ops) WITH (gin_pending_list_limit = 256);

-- Query analytics: the normalised query, who (user id only; no IP, no user agent) and how
-- many results; clicks on results. Pruned after plugins.search.analyticsRetentionDays.
CREATE TABLE queries (
    id          bigserial PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now(),
    user_id     bigint,
    query       text NOT NULL,
    kind        text,
    results     integer NOT NULL,
    took_ms     integer NOT NULL DEFAULT 0
);
CREATE INDEX queries_created ON queries (created_at);

CREATE TABLE clicks (
    query_id     bigint NOT NULL REFERENCES queries (id) ON DELETE CASCADE,
    result_kind  text NOT NULL,
    result_id    bigint NOT NULL,
    position     integer NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (query_id, result_kind, result_id)
);

-- OR / AND of tsqueries (the functions behind || and &&), for building a query from
-- lexemes without ever parsing user text as tsquery syntax.
CREATE AGGREGATE tsq_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
CREATE AGGREGATE tsq_and(tsquery) (SFUNC = tsquery_and, STYPE = tsquery);

-- The query of a search: `latin` goes through websearch_to_tsquery('english') (quotes,
-- "or", "-word"; never an error whatever the text), `groups` is a JSON array of
-- {"any": [...], "all": [...], "not": bool} from the C++ analysis (Hangul words: any of
-- their stems, or all bigrams of a long stem; Han/Kana runs: all their bigrams). Every
-- lexeme passes through plainto_tsquery('simple'), so no operator in it is interpreted.
CREATE FUNCTION make_query(latin text, groups jsonb) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    q tsquery := websearch_to_tsquery('english', coalesce(latin, ''));
    g jsonb;
    alt tsquery;
    conj tsquery;
    part tsquery;
BEGIN
    FOR g IN SELECT value FROM jsonb_array_elements(coalesce(groups, '[]'::jsonb)) LOOP
        SELECT search.tsq_or(plainto_tsquery('simple', w)) INTO alt
        FROM jsonb_array_elements_text(coalesce(g -> 'any', '[]'::jsonb)) w;
        SELECT search.tsq_and(plainto_tsquery('simple', w)) INTO conj
        FROM jsonb_array_elements_text(coalesce(g -> 'all', '[]'::jsonb)) w;
        IF alt IS NOT NULL AND conj IS NOT NULL THEN
            part := alt || conj;
        ELSE
            part := coalesce(alt, conj);
        END IF;
        CONTINUE WHEN part IS NULL OR numnode(part) = 0;
        IF coalesce((g ->> 'not')::boolean, false) THEN
            part := !! part;
        END IF;
        IF numnode(q) = 0 THEN
            q := part;
        ELSE
            q := q && part;
        END IF;
    END LOOP;
    RETURN q;
END
$$;

-- The document vector from the C++ analysis of title, tags and body (docs/search.md):
-- title words and stems weigh A, title bigrams B, body words and stems C, body bigrams D.
CREATE FUNCTION doc_vector(latin_title text, stems_title text, grams_title text,
                           latin_tags text, stems_tags text,
                           latin_body text, stems_body text, grams_body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english', latin_title) || to_tsvector('simple', stems_title), 'A')
        || setweight(to_tsvector('simple', grams_title), 'B')
        || setweight(to_tsvector('english', latin_tags) || to_tsvector('simple', stems_tags), 'A')
        || setweight(to_tsvector('english', latin_body) || to_tsvector('simple', stems_body), 'C')
        || setweight(to_tsvector('simple', grams_body), 'D')
$$;
