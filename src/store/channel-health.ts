// Writes what the relay learns about a channel's health: which upstream keys are dead or out of
// credit, whether the channel has no live key left (then it is disabled automatically, status 3),
// and the breaker and last failure (the `health` column, for other processes such as the CLI).
// Each write applies only to the key set or recovery epoch it was learned on, and never undoes an
// admin's choice.
import { and, eq } from "drizzle-orm";
import type { KeyState } from "../core/snapshot";
import { parseJsonObject } from "../core/token-rules";
import { CHANNEL_STATUS, KEY_STATUS } from "../core/status";
import type { Db } from "../db/open";
import { channels } from "../db/schema";

/** What the server last saw (the `health` column's JSON). Times: unix seconds, open_until ms. */
export type ChannelHealth = {
  breaker?: "closed" | "open" | "half_open";
  open_until?: number;
  recent_failures?: number;
  last_error?: string;
  last_error_at?: number;
  last_ok_at?: number;
  /** the scheduled channel test's last run on this channel (unix s), whether every probe passed, and
   * the first failure's cause */
  last_probe_at?: number;
  last_probe_ok?: boolean;
  last_probe_error?: string;
  /** the median time to the upstream's answer over the last hour, and its sample count, as the server
   * last saved them (unix s) */
  latency_p50_ms?: number;
  latency_samples?: number;
  latency_at?: number;
};

export const parseHealth = (text: string): ChannelHealth => parseJsonObject<ChannelHealth>(text);

/** Why the channel was disabled when every key is dead (`deadReason`: why the last one died). */
export const allKeysDeadReason = (deadReason: string) =>
  `every upstream key was rejected by the upstream as invalid${deadReason ? `; last: ${deadReason}` : ""}`.slice(
    0,
    500,
  );

/** The latency fields `saveLatencies` writes of a row (null: none, the field removed). */
export const latencyPatch = (r: LatencyRow, at: number) => ({
  latency_p50_ms: r.p50,
  latency_samples: r.p50 === null ? null : r.samples,
  latency_at: at,
});
export type LatencyRow = { id: number; p50: number | null; samples: number; lastOk: number };

/** The fields of the saved breaker, which a server start clears. */
export const BREAKER_FIELDS = ["breaker", "open_until", "recent_failures"] as const;

const HEALTH = "CASE WHEN json_valid(health) THEN health ELSE '{}' END";

export const channelHealthStore = (db: Db) => ({
  /** The channel's key states, unless its keys changed since they were learned; no live key left: the
   * channel disabled automatically (not one an admin disabled). `deadReason`: why the last key died. */
  saveKeyStates(channelId: number, keysSealed: string, states: KeyState[], deadReason = "") {
    const sameKeys = and(eq(channels.id, channelId), eq(channels.keysSealed, keysSealed));
    db.transaction((tx) => {
      tx.update(channels)
        .set({ keyStates: JSON.stringify(states) })
        .where(sameKeys)
        .run();
      if (states.every((s) => s.status === KEY_STATUS.dead))
        tx.update(channels)
          .set({ status: CHANNEL_STATUS.autoDisabled, statusReason: allKeysDeadReason(deadReason) })
          .where(and(sameKeys, eq(channels.status, CHANNEL_STATUS.enabled)))
          .run();
    });
  },

  /** The fields of `health` written over the column's (others kept; a null removes one), unless a
   * recovery (a new epoch) happened since it was learned. */
  saveHealth(channelId: number, epoch: number, health: ChannelHealth) {
    db.$client.run(`UPDATE channels SET health = json_patch(${HEALTH}, ?) WHERE id = ? AND health_epoch = ?`, [
      JSON.stringify(health),
      channelId,
      epoch,
    ]);
  },

  /** The latency medians the server keeps in memory, and when each channel last answered (unix s; the
   * saved last_ok_at only moves forward), for other processes (the CLI); p50 null: no sample in the
   * window any more. One transaction. */
  saveLatencies(rows: LatencyRow[], at: number) {
    db.$client.transaction(() => {
      for (const r of rows)
        db.$client.run(
          `UPDATE channels SET health = json_set(json_patch(${HEALTH}, ?), '$.last_ok_at', max(coalesce(json_extract(${HEALTH}, '$.last_ok_at'), 0), ?)) WHERE id = ?`,
          [JSON.stringify(latencyPatch(r, at)), r.lastOk, r.id],
        );
    })();
  },

  /** At server start: breakers start closed, so what a previous run saved of them no longer holds
   * (the last failure's cause stays). */
  clearSavedBreakers() {
    db.$client.run(
      `UPDATE channels SET health = json_remove(health, ${BREAKER_FIELDS.map((f) => `'$.${f}'`).join(", ")}) WHERE json_valid(health) AND health <> '{}'`,
    );
  },
});
