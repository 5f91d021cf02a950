-- Chat messages for search within a room (IRoomSearch, docs/chat.md): a projection of
-- chat.message.created|edited|restored|deleted kept by the "search.chat" consumer. Text
-- is analysed like documents' bodies (search.doc_vector, body weights). Deleted and
-- purged messages stay as tombstones (text cleared) so that an older event cannot bring
-- them back; event_id orders the updates of one message.
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;

CREATE TABLE chat_messages (
    message_id  bigint PRIMARY KEY,
    room_id     bigint NOT NULL,
    sender_id   bigint,
    body        text NOT NULL DEFAULT '',        -- plain text (markdown stripped)
    visible     boolean NOT NULL DEFAULT true,
    event_id    bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    tsv         tsvector NOT NULL DEFAULT ''::tsvector
);
-- One GIN over (room, lexemes): a room's matches are found without visiting other rooms'.
CREATE INDEX chat_messages_room_tsv ON chat_messages USING gin (room_id, tsv) WITH (gin_pending_list_limit = 256)
    WHERE visible;
