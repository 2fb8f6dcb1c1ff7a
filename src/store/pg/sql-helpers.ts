// The PostgreSQL twins of store/sql-helpers.ts, for the stores under store/pg/.
import { sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { definedOnly } from "../sql-helpers";
import type { PgQuery } from "./pg-tx";

/** `column` contains `keyword` literally, ASCII case ignored as SQLite's LIKE does: % and _ are not wildcards.
 * COLLATE "C" keeps ILIKE's case folding to ASCII whatever the database's locale ('É' is not 'é' in SQLite). */
export function contains(column: PgColumn, keyword: string): SQL {
  const escaped = keyword.replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql`${column} COLLATE "C" ILIKE ${`%${escaped}%`} ESCAPE '\\'`;
}

/** Writes the defined fields of `patch` to the row `where` selects and returns the row (unchanged when
 * nothing was given); undefined when no row matched. */
export async function patchRow<T extends PgTable>(
  db: PgQuery,
  table: T,
  where: SQL,
  patch: Partial<T["$inferInsert"]>,
  /** the row as read back (default: the table's columns) */
  columns?: Record<string, unknown>,
): Promise<T["$inferSelect"] | undefined> {
  const set = definedOnly(patch as Record<string, unknown>);
  const rows = set
    ? await db
        .update(table)
        .set(set as never)
        .where(where)
        .returning(columns as never)
    : await db
        .select(columns as never)
        .from(table as PgTable)
        .where(where)
        .limit(1);
  return (rows as T["$inferSelect"][])[0];
}
