-- SPDX-License-Identifier: Apache-2.0
-- SPDX-FileCopyrightText: Community Platform authors
-- Content: communities, posts, threaded comments, votes, bookmarks, revisions, reports
-- and idempotency keys. User ids come from auth (through IUserDirectory); there are no
-- foreign keys into other plugins' schemas. Counters are maintained by the service in the
-- same transaction as the change they count (row locks keep them exact).

-- A local copy of each author's username (from the principal on every write and from
-- IUserDirectory changes), so that listings need no call into another plugin.
CREATE TABLE content.authors (
    user_id   bigint PRIMARY KEY,
    username  text NOT NULL,
    state     text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'suspended', 'disabled'))
);

CREATE TABLE content.communities (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          text NOT NULL,
    title         text NOT NULL,
    description   text NOT NULL DEFAULT '',
    rules         jsonb NOT NULL DEFAULT '[]'::jsonb,   -- [{"title": "...", "body": "..."}]
    created_by    bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    member_count  integer NOT NULL DEFAULT 0 CHECK (member_count >= 0),
    post_count    integer NOT NULL DEFAULT 0 CHECK (post_count >= 0)
);
CREATE UNIQUE INDEX communities_slug_key ON content.communities (lower(slug));

-- role: member < moderator < owner (the creator). Moderators act on the community's content.
CREATE TABLE content.members (
    community_id  bigint NOT NULL REFERENCES content.communities (id) ON DELETE CASCADE,
    user_id       bigint NOT NULL,
    role          text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'owner')),
    joined_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX members_user_idx ON content.members (user_id, community_id);
CREATE INDEX members_moderators_idx ON content.members (community_id) WHERE role <> 'member';

-- state: visible | deleted (by its author) | removed (by a moderator). Deleted and removed
-- rows keep their data for restore and audit; listings leave them out.
CREATE TABLE content.posts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id   bigint NOT NULL REFERENCES content.communities (id),
    author_id      bigint NOT NULL,
    title          text NOT NULL,
    body           text NOT NULL DEFAULT '',      -- markdown as written
    body_html      text NOT NULL DEFAULT '',      -- sanitised HTML, rendered once per revision
    tags           text[] NOT NULL DEFAULT '{}',
    state          text NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'deleted', 'removed')),
    removed_reason text,
    pinned         boolean NOT NULL DEFAULT false,
    locked         boolean NOT NULL DEFAULT false,
    score          integer NOT NULL DEFAULT 0,
    upvotes        integer NOT NULL DEFAULT 0 CHECK (upvotes >= 0),
    downvotes      integer NOT NULL DEFAULT 0 CHECK (downvotes >= 0),
    comment_count  integer NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
    -- Reddit-style hot rank: sign(score)*log10(max(|score|,1)) + epoch/45000; updated with
    -- the score so that feeds can keyset-paginate on it.
    hot            double precision NOT NULL DEFAULT 0,
    revision       integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    edited_at      timestamptz
);
CREATE INDEX posts_community_new_idx ON content.posts (community_id, created_at DESC, id DESC) WHERE state = 'visible';
CREATE INDEX posts_community_top_idx ON content.posts (community_id, score DESC, id DESC) WHERE state = 'visible';
CREATE INDEX posts_community_hot_idx ON content.posts (community_id, hot DESC, id DESC) WHERE state = 'visible';
CREATE INDEX posts_author_new_idx ON content.posts (author_id, created_at DESC, id DESC) WHERE state = 'visible';
CREATE INDEX posts_new_idx ON content.posts (created_at DESC, id DESC) WHERE state = 'visible';
CREATE INDEX posts_tags_idx ON content.posts USING gin (tags);

-- depth: 0 for a reply to the post, parent's depth + 1 otherwise (limited by config).
-- path: ids from the root comment down to this one (tree order = ORDER BY path).
CREATE TABLE content.comments (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id        bigint NOT NULL REFERENCES content.posts (id),
    parent_id      bigint REFERENCES content.comments (id),
    author_id      bigint NOT NULL,
    depth          smallint NOT NULL DEFAULT 0 CHECK (depth >= 0),
    path           bigint[] NOT NULL,
    body           text NOT NULL,
    body_html      text NOT NULL,
    state          text NOT NULL DEFAULT 'visible' CHECK (state IN ('visible', 'deleted', 'removed')),
    removed_reason text,
    score          integer NOT NULL DEFAULT 0,
    upvotes        integer NOT NULL DEFAULT 0 CHECK (upvotes >= 0),
    downvotes      integer NOT NULL DEFAULT 0 CHECK (downvotes >= 0),
    reply_count    integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
    revision       integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    edited_at      timestamptz
);
CREATE INDEX comments_post_roots_idx ON content.comments (post_id, id) WHERE parent_id IS NULL;
CREATE INDEX comments_parent_idx ON content.comments (parent_id, id) WHERE parent_id IS NOT NULL;
CREATE INDEX comments_post_path_idx ON content.comments (post_id, path);
CREATE INDEX comments_author_idx ON content.comments (author_id, id DESC);

-- Votes: one per user per target, value +1 or -1; changing or clearing it moves the
-- target's counters by the difference in the same transaction.
CREATE TABLE content.post_votes (
    post_id     bigint NOT NULL REFERENCES content.posts (id),
    user_id     bigint NOT NULL,
    value       smallint NOT NULL CHECK (value IN (-1, 1)),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX post_votes_user_idx ON content.post_votes (user_id, post_id);

CREATE TABLE content.comment_votes (
    comment_id  bigint NOT NULL REFERENCES content.comments (id),
    user_id     bigint NOT NULL,
    value       smallint NOT NULL CHECK (value IN (-1, 1)),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX comment_votes_user_idx ON content.comment_votes (user_id, comment_id);

CREATE TABLE content.bookmarks (
    user_id     bigint NOT NULL,
    post_id     bigint NOT NULL REFERENCES content.posts (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX bookmarks_user_new_idx ON content.bookmarks (user_id, created_at DESC, post_id DESC);

-- Revision history: the text of every earlier revision (the current one lives on the row).
CREATE TABLE content.revisions (
    target_type  text NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id    bigint NOT NULL,
    revision     integer NOT NULL,
    title        text,
    body         text NOT NULL,
    tags         text[],
    editor_id    bigint NOT NULL,
    created_at   timestamptz NOT NULL,   -- when this revision was written
    PRIMARY KEY (target_type, target_id, revision)
);

-- Reports for the moderation queue. One open report per reporter and target.
CREATE TABLE content.reports (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    target_type   text NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id     bigint NOT NULL,
    community_id  bigint NOT NULL REFERENCES content.communities (id),
    reporter_id   bigint NOT NULL,
    reason        text NOT NULL,            -- spam | harassment | off-topic | illegal | other
    details       text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    resolved_by   bigint,
    resolved_at   timestamptz,
    resolution    text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX reports_open_once ON content.reports (target_type, target_id, reporter_id) WHERE status = 'open';
CREATE INDEX reports_queue_idx ON content.reports (community_id, status, id DESC);
CREATE INDEX reports_status_idx ON content.reports (status, id DESC);

-- Idempotency-Key: the first response to (user, key) is stored in the transaction of the
-- create it belongs to, so a retry returns it and never creates twice.
CREATE TABLE content.idempotency_keys (
    user_id       bigint NOT NULL,
    key           text NOT NULL,
    route         text NOT NULL,
    request_hash  bytea NOT NULL,
    status        integer NOT NULL,
    response      bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON content.idempotency_keys (created_at);
