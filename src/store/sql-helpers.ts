// Small SQL helpers shared by the repositories.
import { sql, type SQL } from "drizzle-orm";
import type { AnySQLiteTable, SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/open";

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

/** Writes the defined fields of `patch` to the row `where` selects and returns the row (unchanged
 * when nothing was given). Fields left undefined keep their values. */
export function patchRow<T extends AnySQLiteTable>(db: Db, table: T, where: SQL, patch: Partial<T["$inferInsert"]>) {
  const set = definedOnly(patch as Record<string, unknown>);
  const row = set
    ? db
        .update(table)
        .set(set as never)
        .where(where)
        .returning()
        .get()
    : db
        .select()
        .from(table as AnySQLiteTable)
        .where(where)
        .get();
  return row as T["$inferSelect"] | undefined;
}
