// Small SQL helpers shared by the repositories.
import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** `column` contains `keyword` literally: % and _ in the keyword are not wildcards. */
export function contains(column: SQLiteColumn, keyword: string): SQL {
  const escaped = keyword.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`${column} LIKE ${`%${escaped}%`} ESCAPE '\\'`;
}

/** Drops undefined fields; null when nothing is left to write (drizzle refuses an empty SET). */
export function definedOnly<T extends Record<string, unknown>>(patch: T): Partial<T> | null {
  const out = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
  return Object.keys(out).length ? out : null;
}
