ALTER TABLE items ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
CREATE TABLE item_tags (
    item_id bigint NOT NULL REFERENCES items(id),
    tag text NOT NULL,
    PRIMARY KEY (item_id, tag)
);
