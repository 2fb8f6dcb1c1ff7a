-- Adds two latency histograms of the hourly rollups ({"bucket": count} as JSON text) bucket by bucket,
-- so a ledger slice merges them in its one multi-row upsert instead of reading each stored row first.
CREATE FUNCTION apiyi_merge_histogram(stored text, added text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(bucket, n)::text, '{}') FROM (
    SELECT bucket, sum(count::bigint) AS n FROM (
      SELECT key AS bucket, value AS count FROM jsonb_each_text(stored::jsonb)
      UNION ALL
      SELECT key, value FROM jsonb_each_text(added::jsonb)
    ) both_sides GROUP BY bucket
  ) summed
$$;
