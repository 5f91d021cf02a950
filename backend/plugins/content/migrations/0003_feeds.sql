-- SPDX-License-Identifier: Apache-2.0
-- SPDX-FileCopyrightText: Community Platform authors
-- Indexes for the feeds (src/feeds.cpp) beyond those of 0001, each backing one keyset
-- scan that would otherwise read and sort every visible post of its scope:
--   pinned posts above page 1 of a community feed (a handful per community);
--   GET /v1/posts?sort=hot|top over every community;
--   the home feed's per-followed-author scans for sort=hot and sort=top.
CREATE INDEX posts_community_pinned_idx ON content.posts (community_id, created_at DESC, id DESC)
    WHERE pinned AND state = 'visible';
CREATE INDEX posts_hot_idx ON content.posts (hot DESC, id DESC) WHERE state = 'visible';
CREATE INDEX posts_top_idx ON content.posts (score DESC, id DESC) WHERE state = 'visible';
CREATE INDEX posts_author_hot_idx ON content.posts (author_id, hot DESC, id DESC) WHERE state = 'visible';
CREATE INDEX posts_author_top_idx ON content.posts (author_id, score DESC, id DESC) WHERE state = 'visible';
