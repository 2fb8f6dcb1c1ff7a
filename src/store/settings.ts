// Runtime settings as JSON values in a key/value table.
import { eq } from "drizzle-orm";
import type { Db } from "../db/open";
import { settings } from "../db/schema";

export const settingStore = (db: Db) => ({
  all(): Record<string, unknown> {
    return Object.fromEntries(
      db
        .select()
        .from(settings)
        .all()
        .map((r) => [r.key, JSON.parse(r.value)]),
    );
  },
  has: (key: string) => !!db.select().from(settings).where(eq(settings.key, key)).get(),
  /** the stored value, or undefined */
  get(key: string): unknown {
    const row = db.select().from(settings).where(eq(settings.key, key)).get();
    return row ? JSON.parse(row.value) : undefined;
  },
  set(key: string, value: unknown) {
    const json = JSON.stringify(value);
    db.insert(settings)
      .values({ key, value: json })
      .onConflictDoUpdate({ target: settings.key, set: { value: json } })
      .run();
  },
});
