-- The index generation (docs/search.md, "Result cache"): one counter bumped by every
-- statement that writes documents, suggestions or vocabulary, in the writer's own
-- transaction, so that a reader that sees the new generation also sees the writes. Each
-- node's cache of search answers keys its entries by the generation it read, which makes
-- invalidation exact across several daemons on one database whichever node indexed.
CREATE TABLE index_state (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    generation  bigint NOT NULL
);
INSERT INTO index_state (singleton, generation) VALUES (true, 1);

CREATE FUNCTION bump_generation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: the indexer writes many statements per event and the seeder
    -- hundreds of events per transaction; the row lock is held until commit either way.
    IF current_setting('search.generation_bumped', true) IS DISTINCT FROM 'on' THEN
        UPDATE search.index_state SET generation = generation + 1;
        PERFORM set_config('search.generation_bumped', 'on', true);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER documents_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION bump_generation();
CREATE TRIGGER suggestions_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON suggestions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_generation();
CREATE TRIGGER vocabulary_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON vocabulary
    FOR EACH STATEMENT EXECUTE FUNCTION bump_generation();
