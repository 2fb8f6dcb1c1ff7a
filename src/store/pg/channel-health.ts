// PostgreSQL's twin of store/channel-health.ts: the same conditional writes of a channel's key states and
// of its `health` JSON, each one statement (SQLite's json_patch as jsonb operators), so that two
// instances' writes to one channel cannot interleave halfway.
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { KeyState } from "../../core/snapshot";
import { CHANNEL_STATUS, KEY_STATUS } from "../../core/status";
import { channels } from "../../db/pg/schema";
import {
  allKeysDeadReason,
  BREAKER_FIELDS,
  type ChannelHealth,
  latencyPatch,
  type LatencyRow,
} from "../channel-health";
import type { Stores } from "../stores";
import type { PgTx } from "./pg-tx";

/** The column as a JSON object, {} when its text is no object (SQLite's json_valid fallback). Text that
 * starts as an object but is no JSON fails the statement: PostgreSQL 15 has no test of JSON that does
 * not throw (16's IS JSON). */
const HEALTH = sql`(CASE WHEN ${channels.health} ~ '^\\s*\\{' THEN ${channels.health}::jsonb ELSE '{}'::jsonb END)`;

/** json_patch(target, patch) of a flat patch (RFC 7396): its fields written over, a null one removed. */
const mergePatch = (target: SQL, patch: SQL) =>
  sql`((${target} - ARRAY(SELECT key FROM jsonb_each(${patch}) WHERE value = 'null'::jsonb)) || jsonb_strip_nulls(${patch}))`;

/** last_ok_at as SQLite's max(coalesce(json_extract(…), 0), ?) leaves it: a number (true 1, false 0) or
 * none: the larger; text (SQLite orders it after numbers): kept. */
const lastOk = (latest: SQL) => {
  const saved = sql`(${HEALTH} -> 'last_ok_at')`;
  return sql`(CASE jsonb_typeof(${saved})
    WHEN 'number' THEN to_jsonb(GREATEST((${saved})::text::numeric, ${latest}))
    WHEN 'boolean' THEN to_jsonb(GREATEST(CASE WHEN ${saved} = 'true' THEN 1 ELSE 0 END, ${latest}))
    WHEN 'string' THEN ${saved}
    ELSE to_jsonb(${latest}) END)`;
};

/** `text` as a JSON object, or null when it is none */
function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

export const pgChannelHealthStore = (tx: PgTx) =>
  ({
    async saveKeyStates(channelId: number, keysSealed: string, states: KeyState[], deadReason = "") {
      const enabled = sql`${channels.status} = ${CHANNEL_STATUS.enabled}`;
      const disable = states.every((s) => s.status === KEY_STATUS.dead) && {
        status: sql`CASE WHEN ${enabled} THEN ${CHANNEL_STATUS.autoDisabled}::bigint ELSE ${channels.status} END`,
        statusReason: sql`CASE WHEN ${enabled} THEN ${allKeysDeadReason(deadReason)}::text ELSE ${channels.statusReason} END`,
      };
      await tx
        .db()
        .update(channels)
        .set({ keyStates: JSON.stringify(states), ...disable })
        .where(and(eq(channels.id, channelId), eq(channels.keysSealed, keysSealed)));
    },

    async saveHealth(channelId: number, epoch: number, health: ChannelHealth) {
      const patch = sql`${JSON.stringify(health)}::text::jsonb`;
      await tx
        .db()
        .update(channels)
        .set({ health: sql`${mergePatch(HEALTH, patch)}::text` })
        .where(and(eq(channels.id, channelId), eq(channels.healthEpoch, epoch)));
    },

    /** One statement for every row; last_ok_at only moves forward. */
    async saveLatencies(rows: LatencyRow[], at: number) {
      if (!rows.length) return;
      const values = sql.join(
        rows.map(
          (r) => sql`(${r.id}::bigint, ${JSON.stringify(latencyPatch(r, at))}::text::jsonb, ${r.lastOk}::bigint)`,
        ),
        sql`, `,
      );
      const saved = sql`jsonb_set(${mergePatch(HEALTH, sql`v.patch`)}, '{last_ok_at}', ${lastOk(sql`v.last_ok`)})`;
      await tx
        .db()
        .execute(
          sql`UPDATE channels SET health = ${saved}::text FROM (VALUES ${values}) AS v(id, patch, last_ok) WHERE channels.id = v.id`,
        );
    },

    /** Read and rewritten here, each row only if unchanged meanwhile: a start must not fail on a cell that
     * is no JSON (SQLite's json_valid skips it; PostgreSQL 15 could only throw). */
    async clearSavedBreakers() {
      const db = tx.db();
      const rows = await db
        .select({ id: channels.id, health: channels.health })
        .from(channels)
        .where(sql`${channels.health} <> '{}'`);
      for (const r of rows) {
        const h = jsonObject(r.health);
        if (!h || !BREAKER_FIELDS.some((f) => f in h)) continue;
        for (const f of BREAKER_FIELDS) delete h[f];
        await db
          .update(channels)
          .set({ health: JSON.stringify(h) })
          .where(and(eq(channels.id, r.id), eq(channels.health, r.health)));
      }
    },
  }) satisfies Stores["health"];
