CREATE TABLE "rate_flight" (
	"scope" text NOT NULL,
	"instance" text NOT NULL,
	"n" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rate_flight_scope_instance_pk" PRIMARY KEY("scope","instance"),
	CONSTRAINT "rate_flight_n" CHECK ("rate_flight"."n" >= 0)
);
--> statement-breakpoint
CREATE TABLE "rate_slots" (
	"scope" text NOT NULL,
	"kind" text NOT NULL,
	"slot" bigint NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "rate_slots_scope_kind_slot_pk" PRIMARY KEY("scope","kind","slot"),
	CONSTRAINT "rate_slots_amount" CHECK ("rate_slots"."amount" >= 0)
);
--> statement-breakpoint
-- Admits one call against every limit of its scopes, or none: the scopes are locked in one order (one
-- admission at a time per scope across the cluster), every limit is checked, and only when all allow it
-- is the call counted. Rows come back per limit: what its window holds (with the call), and either the
-- ms until the oldest counted slot leaves (admitted), or the ms until enough has left for the call
-- (refused: that one row only; -1 when the call alone is over the limit).
CREATE FUNCTION apiyi_rate_admit(
  p_scopes text[], p_kinds text[], p_limits bigint[], p_needs bigint[], p_slot_ms bigint[], p_slots int[],
  p_now_ms bigint, p_instance text, p_ttl_s double precision
) RETURNS TABLE (idx int, used bigint, wait_ms bigint, reset_ms bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  k int;
  width bigint;
  cur bigint;
  total bigint;
  first_slot bigint;
  sums bigint[] := '{}';
BEGIN
  PERFORM pg_advisory_xact_lock(1634756986, hashtext(q.s)) FROM (SELECT DISTINCT unnest(p_scopes) AS s ORDER BY 1) q;
  FOR k IN 1 .. coalesce(array_length(p_kinds, 1), 0) LOOP
    IF p_kinds[k] = 'parallel' THEN
      DELETE FROM rate_flight f WHERE f.scope = p_scopes[k] AND f.expires_at < now();
      SELECT coalesce(sum(f.n), 0) INTO total FROM rate_flight f WHERE f.scope = p_scopes[k];
      IF total + 1 > p_limits[k] THEN
        RETURN QUERY SELECT k, total, 1000::bigint, 0::bigint;
        RETURN;
      END IF;
      sums := sums || (total + 1);
    ELSE
      width := p_slots[k] + 1;
      cur := p_now_ms / p_slot_ms[k];
      DELETE FROM rate_slots r WHERE r.scope = p_scopes[k] AND r.kind = p_kinds[k] AND r.slot <= cur - width;
      SELECT coalesce(sum(r.amount), 0) INTO total FROM rate_slots r WHERE r.scope = p_scopes[k] AND r.kind = p_kinds[k];
      IF total + p_needs[k] > p_limits[k] THEN
        IF p_needs[k] > p_limits[k] THEN
          RETURN QUERY SELECT k, total, -1::bigint, 0::bigint;
          RETURN;
        END IF;
        SELECT x.slot INTO first_slot FROM (
          SELECT r.slot, sum(r.amount) OVER (ORDER BY r.slot) AS gone FROM rate_slots r
          WHERE r.scope = p_scopes[k] AND r.kind = p_kinds[k]) x
        WHERE total - x.gone + p_needs[k] <= p_limits[k] ORDER BY x.slot LIMIT 1;
        RETURN QUERY SELECT k, total, greatest(1, (first_slot + width) * p_slot_ms[k] - p_now_ms), 0::bigint;
        RETURN;
      END IF;
      sums := sums || (total + p_needs[k]);
    END IF;
  END LOOP;
  FOR k IN 1 .. coalesce(array_length(p_kinds, 1), 0) LOOP
    IF p_kinds[k] = 'parallel' THEN
      INSERT INTO rate_flight AS f (scope, instance, n, expires_at)
      VALUES (p_scopes[k], p_instance, 1, now() + make_interval(secs => p_ttl_s))
      ON CONFLICT (scope, instance) DO UPDATE SET n = f.n + 1, expires_at = excluded.expires_at;
      RETURN QUERY SELECT k, sums[k], 0::bigint, 0::bigint;
    ELSE
      width := p_slots[k] + 1;
      cur := p_now_ms / p_slot_ms[k];
      IF p_needs[k] > 0 THEN
        INSERT INTO rate_slots AS r (scope, kind, slot, amount) VALUES (p_scopes[k], p_kinds[k], cur, p_needs[k])
        ON CONFLICT (scope, kind, slot) DO UPDATE SET amount = r.amount + excluded.amount;
      END IF;
      SELECT min(r.slot) INTO first_slot FROM rate_slots r
      WHERE r.scope = p_scopes[k] AND r.kind = p_kinds[k] AND r.amount > 0;
      RETURN QUERY SELECT k, sums[k], 0::bigint,
        CASE WHEN first_slot IS NULL THEN 0::bigint ELSE greatest(1, (first_slot + width) * p_slot_ms[k] - p_now_ms) END;
    END IF;
  END LOOP;
END $$;
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
  FOR k IN 1 .. coalesce(array_length(p_kinds, 1), 0) LOOP
    IF p_kinds[k] = 'parallel' THEN
      UPDATE rate_flight f SET n = greatest(f.n - p_deltas[k], 0) WHERE f.scope = p_scopes[k] AND f.instance = p_instance;
    ELSE
      UPDATE rate_slots r SET amount = greatest(r.amount + p_deltas[k], 0)
      WHERE r.scope = p_scopes[k] AND r.kind = p_kinds[k] AND r.slot = p_slots[k];
    END IF;
  END LOOP;
END $$;
