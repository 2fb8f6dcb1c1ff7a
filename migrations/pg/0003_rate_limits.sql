CREATE UNLOGGED TABLE "rate_flight" (
	"scope" text NOT NULL,
	"instance" text NOT NULL,
	"n" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rate_flight_scope_instance_pk" PRIMARY KEY("scope","instance"),
	CONSTRAINT "rate_flight_n" CHECK ("rate_flight"."n" >= 0)
);
--> statement-breakpoint
CREATE UNLOGGED TABLE "rate_slots" (
	"scope" text NOT NULL,
	"kind" text NOT NULL,
	"slot" bigint NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "rate_slots_scope_kind_slot_pk" PRIMARY KEY("scope","kind","slot"),
	CONSTRAINT "rate_slots_amount" CHECK ("rate_slots"."amount" >= 0)
);
--> statement-breakpoint
-- Calls that ended: out of flight (kind 'parallel', delta = how many), and tokens-per-minute slots
-- corrected to what the calls used (never below 0; a slot no longer there is left alone).
CREATE FUNCTION apiyi_rate_release(
  p_scopes text[], p_kinds text[], p_slots bigint[], p_deltas bigint[], p_instance text
) RETURNS void
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  k int;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  -- every writer of a scope's rows holds its lock first (taken in one order): no two can deadlock
  PERFORM pg_advisory_xact_lock(1634756986, q.h) FROM (SELECT DISTINCT hashtext(unnest(p_scopes)) AS h ORDER BY 1) q;
  FOR k IN 1 .. coalesce(array_length(p_kinds, 1), 0) LOOP
    IF p_kinds[k] = 'parallel' THEN
      UPDATE rate_flight f SET n = greatest(f.n - p_deltas[k], 0) WHERE f.scope = p_scopes[k] AND f.instance = p_instance;
    ELSE
      UPDATE rate_slots r SET amount = greatest(r.amount + p_deltas[k], 0)
      WHERE r.scope = p_scopes[k] AND r.kind = p_kinds[k] AND r.slot = p_slots[k];
    END IF;
  END LOOP;
END $$;
--> statement-breakpoint
-- The counters are UNLOGGED and their transactions do not wait for the WAL: they are not money, and a
-- PostgreSQL crash resets them, as a restart resets SQLite's in-memory counters.
-- Admits a batch of calls (p_calls: each row's call, rows in call order) against every limit of their
-- scopes, each call all or nothing, in order, as if one after another: the scopes are locked (one
-- admission at a time per scope across the cluster), the instance's calls of those scopes that ended
-- since its last admission are taken out first (p_rel_*: as apiyi_rate_release), each window's total is
-- read once, each call is checked against it and counted in it when every limit allows, and what the
-- admitted calls add is written once per window. Rows come back per call: for an admitted call, each of
-- its limits with what its window holds (the call included) and the ms until the oldest counted slot
-- leaves; for a refused one, the limit that refused, what its window holds, and the ms until enough has
-- left for the call (-1: the call alone is over the limit).
CREATE FUNCTION apiyi_rate_admit(
  p_calls int[], p_scopes text[], p_kinds text[], p_limits bigint[], p_needs bigint[], p_slot_ms bigint[],
  p_slots int[], p_now_ms bigint, p_instance text, p_ttl_s double precision,
  p_rel_scopes text[], p_rel_kinds text[], p_rel_slots bigint[], p_rel_deltas bigint[]
) RETURNS TABLE (call int, idx int, used bigint, wait_ms bigint, reset_ms bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  n int := coalesce(array_length(p_kinds, 1), 0);
  keys text[] := '{}';
  totals bigint[] := '{}';
  adds bigint[] := '{}';
  oldest bigint[] := '{}';
  widths bigint[] := '{}';
  curs bigint[] := '{}';
  key_of int[] := '{}';
  out_call int[] := '{}';
  out_idx int[] := '{}';
  out_used bigint[] := '{}';
  out_wait bigint[] := '{}';
  r int;
  i int;
  k int;
  c int;
  last int;
  width bigint;
  cur bigint;
  total bigint;
  first_slot bigint;
  w bigint;
  refused boolean;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  PERFORM pg_advisory_xact_lock(1634756986, q.h) FROM (SELECT DISTINCT hashtext(unnest(p_scopes)) AS h ORDER BY 1) q;
  PERFORM apiyi_rate_release(p_rel_scopes, p_rel_kinds, p_rel_slots, p_rel_deltas, p_instance);
  -- each window once: what it holds now, its oldest counted slot
  FOR r IN 1 .. n LOOP
    k := array_position(keys, p_scopes[r] || ' ' || p_kinds[r]);
    IF k IS NULL THEN
      IF p_kinds[r] = 'parallel' THEN
        DELETE FROM rate_flight f WHERE f.scope = p_scopes[r] AND f.expires_at < now();
        SELECT coalesce(sum(f.n), 0) INTO total FROM rate_flight f WHERE f.scope = p_scopes[r];
        width := 0;
        cur := 0;
        first_slot := NULL;
      ELSE
        width := p_slots[r] + 1;
        cur := p_now_ms / p_slot_ms[r];
        DELETE FROM rate_slots s WHERE s.scope = p_scopes[r] AND s.kind = p_kinds[r] AND s.slot <= cur - width;
        SELECT coalesce(sum(s.amount), 0), min(s.slot) FILTER (WHERE s.amount > 0) INTO total, first_slot
          FROM rate_slots s WHERE s.scope = p_scopes[r] AND s.kind = p_kinds[r];
      END IF;
      keys := keys || (p_scopes[r] || ' ' || p_kinds[r]);
      k := array_length(keys, 1);
      totals := totals || total;
      adds := adds || 0::bigint;
      oldest := oldest || first_slot;
      widths := widths || width;
      curs := curs || cur;
    END IF;
    key_of := key_of || k;
  END LOOP;
  -- the calls in order, each against what the ones before it left
  r := 1;
  WHILE r <= n LOOP
    c := p_calls[r];
    last := r;
    WHILE last < n AND p_calls[last + 1] = c LOOP
      last := last + 1;
    END LOOP;
    refused := false;
    FOR i IN r .. last LOOP
      k := key_of[i];
      total := totals[k] + adds[k];
      IF total + p_needs[i] > p_limits[i] THEN
        IF p_kinds[i] = 'parallel' THEN
          w := 1000;
        ELSIF p_needs[i] > p_limits[i] THEN
          w := -1;
        ELSE
          first_slot := NULL;
          SELECT x.slot INTO first_slot FROM (
            SELECT s.slot, sum(s.amount) OVER (ORDER BY s.slot) AS gone FROM rate_slots s
            WHERE s.scope = p_scopes[i] AND s.kind = p_kinds[i]) x
          WHERE total - x.gone + p_needs[i] <= p_limits[i] ORDER BY x.slot LIMIT 1;
          w := greatest(1, (coalesce(first_slot, curs[k]) + widths[k]) * p_slot_ms[i] - p_now_ms);
        END IF;
        out_call := out_call || c;
        out_idx := out_idx || i;
        out_used := out_used || total;
        out_wait := out_wait || w;
        refused := true;
        EXIT;
      END IF;
    END LOOP;
    IF NOT refused THEN
      FOR i IN r .. last LOOP
        k := key_of[i];
        adds[k] := adds[k] + p_needs[i];
        IF p_kinds[i] <> 'parallel' AND oldest[k] IS NULL AND p_needs[i] > 0 THEN
          oldest[k] := curs[k];
        END IF;
        out_call := out_call || c;
        out_idx := out_idx || i;
        out_used := out_used || (totals[k] + adds[k]);
        out_wait := out_wait || 0::bigint;
      END LOOP;
    END IF;
    r := last + 1;
  END LOOP;
  -- what the admitted calls added, once per window, in the one order
  FOR k IN SELECT g FROM generate_subscripts(keys, 1) g ORDER BY keys[g] LOOP
    CONTINUE WHEN adds[k] = 0;
    IF split_part(keys[k], ' ', 2) = 'parallel' THEN
      INSERT INTO rate_flight AS f (scope, instance, n, expires_at)
      VALUES (split_part(keys[k], ' ', 1), p_instance, adds[k], now() + make_interval(secs => p_ttl_s))
      ON CONFLICT (scope, instance) DO UPDATE SET n = f.n + excluded.n, expires_at = excluded.expires_at;
    ELSE
      INSERT INTO rate_slots AS s (scope, kind, slot, amount)
      VALUES (split_part(keys[k], ' ', 1), split_part(keys[k], ' ', 2), curs[k], adds[k])
      ON CONFLICT (scope, kind, slot) DO UPDATE SET amount = s.amount + excluded.amount;
    END IF;
  END LOOP;
  RETURN QUERY SELECT o.c, o.i, o.u, o.w,
      CASE WHEN o.w <> 0 OR p_kinds[o.i] = 'parallel' OR oldest[key_of[o.i]] IS NULL THEN 0::bigint
        ELSE greatest(1, (oldest[key_of[o.i]] + widths[key_of[o.i]]) * p_slot_ms[o.i] - p_now_ms) END
    FROM unnest(out_call, out_idx, out_used, out_wait) AS o(c, i, u, w);
END $$;
