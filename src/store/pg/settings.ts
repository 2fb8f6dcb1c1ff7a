// Runtime settings on PostgreSQL: the twin of store/settings.ts (JSON values in a key/value table).
import { eq } from "drizzle-orm";
import { settings } from "../../db/pg/schema";
import type { Stores } from "../stores";
import type { PgTx } from "./pg-tx";

export const pgSettingStore = (tx: PgTx) =>
  ({
    async all(): Promise<Record<string, unknown>> {
      const rows = await tx.db().select().from(settings);
      return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
    },
    has: async (key: string) =>
      (await tx.db().select({ key: settings.key }).from(settings).where(eq(settings.key, key))).length > 0,
    /** the stored value, or undefined */
    async get(key: string): Promise<unknown> {
      const [row] = await tx.db().select().from(settings).where(eq(settings.key, key));
      return row ? JSON.parse(row.value) : undefined;
    },
    async set(key: string, value: unknown) {
      const json = JSON.stringify(value);
      await tx
        .db()
        .insert(settings)
        .values({ key, value: json })
        .onConflictDoUpdate({ target: settings.key, set: { value: json } });
    },
  }) satisfies Stores["settings"];
