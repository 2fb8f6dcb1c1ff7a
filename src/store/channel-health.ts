// Writes what the relay learns about a channel's health: which upstream keys are invalid, and
// whether the channel has no usable key left (then it is disabled automatically, status 3).
// Both writes apply only to the key set they were learned on, and never undo an admin's choice.
import { and, eq } from "drizzle-orm";
import type { KeyState } from "../core/snapshot";
import type { Db } from "../db/open";
import { channels } from "../db/schema";

export function saveKeyStates(db: Db, channelId: number, keysSealed: string, states: KeyState[]) {
  const sameKeys = and(eq(channels.id, channelId), eq(channels.keysSealed, keysSealed));
  db.transaction((tx) => {
    tx.update(channels).set({ keyStates: JSON.stringify(states) }).where(sameKeys).run();
    if (states.every((s) => s.status !== 1)) {
      tx.update(channels)
        .set({ status: 3, statusReason: "every upstream key was rejected by the upstream as invalid" })
        .where(and(sameKeys, eq(channels.status, 1)))
        .run();
    }
  });
}
