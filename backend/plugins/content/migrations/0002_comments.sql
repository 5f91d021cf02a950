-- SPDX-License-Identifier: Apache-2.0
-- SPDX-FileCopyrightText: Community Platform authors
-- Comment trees sorted by score ("best"): keyset pages of a post's top-level comments and
-- of one comment's replies read an index range instead of sorting the whole thread.
-- (0001 has the (post_id, id) and (parent_id, id) indexes for the "new" and "old" sorts.)

CREATE INDEX comments_post_roots_score_idx ON content.comments (post_id, score, id) WHERE parent_id IS NULL;
CREATE INDEX comments_parent_score_idx ON content.comments (parent_id, score, id) WHERE parent_id IS NOT NULL;

