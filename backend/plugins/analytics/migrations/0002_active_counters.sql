-- Distinct-user counters for the configured report zones (ADR 0018, update of 2026-12-03):
-- 30-day active users and retention cohorts read a few thousand counter rows instead of
-- every (hour, user) of the range.
--
-- For each zone, a user's local active days form a set; each (user, day) of it is counted
-- under its day and its gap (days since the user's previous active day; 100000 when none).
-- The distinct users active in any interval [a, b] are then
--     sum over days d in [a, b] of the counts with gap > d - a
-- (a user counts once: on the first active day inside the interval). DAU, WAU, MAU and
-- "active in the range" are intervals of 1, 7, 30 and N days; a cohort cell is the interval
-- of one week clipped to the range, over the cohort's users only (gaps capped at 7 there,
-- enough for intervals of at most 7 days). The counts are a pure function of the set of
-- user-days and signups, so incremental upkeep and a rebuild from active_hours agree.

CREATE TABLE report_zones (
    zone  text PRIMARY KEY
);

-- The set itself (per zone): what the neighbour look-ups of a new user-day read.
CREATE TABLE active_days (
    user_id  bigint NOT NULL,
    zone     text NOT NULL,
    day      date NOT NULL,
    PRIMARY KEY (user_id, zone, day)
);

-- Counts are summed over `shard`, like the rollups (concurrent batches, different rows).
CREATE TABLE active_gaps (
    zone   text NOT NULL,
    day    date NOT NULL,
    gap    integer NOT NULL,
    shard  smallint NOT NULL DEFAULT 0,
    n      bigint NOT NULL,
    PRIMARY KEY (zone, day, gap, shard)
);
CREATE TABLE cohort_gaps (
    zone        text NOT NULL,
    signup_day  date NOT NULL,
    day         date NOT NULL,
    gap         smallint NOT NULL,
    shard       smallint NOT NULL DEFAULT 0,
    n           bigint NOT NULL,
    PRIMARY KEY (zone, signup_day, day, gap, shard)
);
CREATE TABLE signup_days (
    zone   text NOT NULL,
    day    date NOT NULL,
    shard  smallint NOT NULL DEFAULT 0,
    n      bigint NOT NULL,
    PRIMARY KEY (zone, day, shard)
);

-- Count rows in key order (concurrent batches of one shard lock them in the same order).
CREATE FUNCTION add_gap_counts(p_zones text[], p_signups date[], p_days date[], p_gaps integer[], p_ns integer[],
                               p_shard smallint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO analytics.active_gaps (zone, day, gap, shard, n)
    SELECT z, d, g, p_shard, sum(n) FROM unnest(p_zones, p_days, p_gaps, p_ns) AS v(z, d, g, n)
    GROUP BY z, d, g ORDER BY z, d, g
    ON CONFLICT (zone, day, gap, shard) DO UPDATE SET n = analytics.active_gaps.n + EXCLUDED.n;
    INSERT INTO analytics.cohort_gaps (zone, signup_day, day, gap, shard, n)
    SELECT z, s, d, least(g, 7), p_shard, sum(n) FROM unnest(p_zones, p_signups, p_days, p_gaps, p_ns) AS v(z, s, d, g, n)
    WHERE s IS NOT NULL GROUP BY z, s, d, least(g, 7) ORDER BY 1, 2, 3, 4
    ON CONFLICT (zone, signup_day, day, gap, shard) DO UPDATE SET n = analytics.cohort_gaps.n + EXCLUDED.n;
$$;

-- New (hour, user) pairs of a batch: the user-days they add in each zone, with the counts
-- they change. A user's new days are handled under a per-user advisory lock (taken in hash
-- order, so batches never wait on each other in a cycle): two batches adding days to the
-- same user's set must see each other's days.
CREATE FUNCTION mark_active(p_hours bigint[], p_users bigint[], p_shard smallint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    prev date;
    nxt date;
    signup date;
    zs text[] := '{}';
    ss date[] := '{}';
    ds date[] := '{}';
    gs integer[] := '{}';
    ns integer[] := '{}';
    added integer := 0;
BEGIN
    FOR r IN
        WITH c AS (SELECT DISTINCT v.u AS user_id, z.zone, (to_timestamp(v.h) AT TIME ZONE z.zone)::date AS day
                   FROM unnest(p_hours, p_users) AS v(h, u) CROSS JOIN analytics.report_zones z)
        SELECT c.* FROM c WHERE NOT EXISTS (SELECT 1 FROM analytics.active_days a
                                            WHERE a.user_id = c.user_id AND a.zone = c.zone AND a.day = c.day)
        ORDER BY hashint8(c.user_id), c.user_id, c.zone, c.day
    LOOP
        PERFORM pg_advisory_xact_lock(1634625900, hashint8(r.user_id));
        INSERT INTO analytics.active_days (user_id, zone, day) VALUES (r.user_id, r.zone, r.day) ON CONFLICT DO NOTHING;
        CONTINUE WHEN NOT FOUND;
        added := added + 1;
        SELECT max(day) INTO prev FROM analytics.active_days WHERE user_id = r.user_id AND zone = r.zone AND day < r.day;
        SELECT min(day) INTO nxt FROM analytics.active_days WHERE user_id = r.user_id AND zone = r.zone AND day > r.day;
        SELECT (signed_up_at AT TIME ZONE r.zone)::date INTO signup FROM analytics.accounts WHERE user_id = r.user_id;
        zs := zs || r.zone; ss := ss || signup; ds := ds || r.day;
        gs := gs || coalesce(r.day - prev, 100000); ns := ns || 1;
        IF nxt IS NOT NULL THEN
            -- The next day's previous day is now this one.
            zs := zs || ARRAY[r.zone, r.zone]; ss := ss || ARRAY[signup, signup]; ds := ds || ARRAY[nxt, nxt];
            gs := gs || ARRAY[coalesce(nxt - prev, 100000), nxt - r.day]; ns := ns || ARRAY[-1, 1];
        END IF;
    END LOOP;
    IF added > 0 THEN
        PERFORM analytics.add_gap_counts(zs, ss, ds, gs, ns, p_shard);
    END IF;
    RETURN added;
END $$;

-- A new account: its signup day per zone, and its existing active days join its cohort.
CREATE FUNCTION add_account(p_user bigint, p_at timestamptz, p_shard smallint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics.accounts (user_id, signed_up_at) VALUES (p_user, p_at) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    PERFORM pg_advisory_xact_lock(1634625900, hashint8(p_user));
    INSERT INTO analytics.signup_days (zone, day, shard, n)
    SELECT zone, (p_at AT TIME ZONE zone)::date, p_shard, 1 FROM analytics.report_zones ORDER BY 1, 2
    ON CONFLICT (zone, day, shard) DO UPDATE SET n = analytics.signup_days.n + 1;
    INSERT INTO analytics.cohort_gaps (zone, signup_day, day, gap, shard, n)
    SELECT zone, (p_at AT TIME ZONE zone)::date, day, gap, p_shard, 1
    FROM (SELECT zone, day, least(coalesce(day - lag(day) OVER (PARTITION BY zone ORDER BY day), 7), 7) AS gap
          FROM analytics.active_days WHERE user_id = p_user) x
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (zone, signup_day, day, gap, shard) DO UPDATE SET n = analytics.cohort_gaps.n + 1;
    RETURN true;
END $$;

-- One zone's counters from scratch, from active_hours and accounts (rebuild, new zone).
CREATE FUNCTION rebuild_zone(p_zone text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM analytics.active_days WHERE zone = p_zone;
    DELETE FROM analytics.active_gaps WHERE zone = p_zone;
    DELETE FROM analytics.cohort_gaps WHERE zone = p_zone;
    DELETE FROM analytics.signup_days WHERE zone = p_zone;
    INSERT INTO analytics.active_days (user_id, zone, day)
    SELECT DISTINCT user_id, p_zone, (hour AT TIME ZONE p_zone)::date FROM analytics.active_hours;
    CREATE TEMP TABLE rebuild_gaps ON COMMIT DROP AS
    SELECT user_id, day, coalesce(day - lag(day) OVER (PARTITION BY user_id ORDER BY day), 100000) AS gap
    FROM analytics.active_days WHERE zone = p_zone;
    INSERT INTO analytics.active_gaps (zone, day, gap, shard, n)
    SELECT p_zone, day, gap, 0, count(*) FROM rebuild_gaps GROUP BY day, gap;
    INSERT INTO analytics.cohort_gaps (zone, signup_day, day, gap, shard, n)
    SELECT p_zone, (a.signed_up_at AT TIME ZONE p_zone)::date, g.day, least(g.gap, 7), 0, count(*)
    FROM rebuild_gaps g JOIN analytics.accounts a USING (user_id) GROUP BY 2, 3, 4;
    INSERT INTO analytics.signup_days (zone, day, shard, n)
    SELECT p_zone, (signed_up_at AT TIME ZONE p_zone)::date, 0, count(*) FROM analytics.accounts GROUP BY 2;
    DROP TABLE rebuild_gaps;
END $$;
