// The tables `apiyi copy` moves from SQLite into PostgreSQL, and the move of one table. Tables are
// paired by their export names in src/db/schema.ts and src/db/pg/schema.ts and columns by their keys,
// so a column added to both schemas is copied with no change here; a table comes after the ones its
// foreign keys name. Rows go through COPY … FROM STDIN (text format), read from SQLite in rowid order.
import type { Database } from "bun:sqlite";
import type { SQL } from "bun";
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as pg from "../../db/pg/schema";
import * as lite from "../../db/schema";

export type CopiedTable = {
  /** the SQL name, the same in both databases */
  name: string;
  /** SQL column names, the same in both databases */
  columns: string[];
  /** per column: PostgreSQL boolean (SQLite keeps 0/1; COPY wants t/f) */
  booleans: boolean[];
  /** identity columns, whose sequences must move past the copied ids */
  identities: string[];
  /** the tables its foreign keys name */
  references: string[];
};

/** Rows read from SQLite and sent to PostgreSQL at a time. */
const CHUNK_ROWS = 2000;
/** How often a long table reports how far it got. */
export const PROGRESS_EVERY = 100_000;

export const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

function pair(key: string, source: SQLiteTable): CopiedTable {
  const target = (pg as Record<string, unknown>)[key];
  const name = getTableName(source);
  if (!is(target, PgTable) || getTableName(target) !== name)
    throw new Error(`the PostgreSQL schema has no table ${name} (export ${key})`);
  const from = getTableColumns(source);
  const to = getTableColumns(target);
  const keys = Object.keys(from);
  const drift = keys.find((k) => to[k]?.name !== from[k].name) ?? Object.keys(to).find((k) => !(k in from));
  if (drift) throw new Error(`table ${name}: column ${drift} differs between the SQLite and PostgreSQL schemas`);
  return {
    name,
    columns: keys.map((k) => from[k].name),
    booleans: keys.map((k) => to[k].getSQLType() === "boolean"),
    identities: keys.filter((k) => to[k].generatedIdentity).map((k) => to[k].name),
    references: getTableConfig(target)
      .foreignKeys.map((fk) => getTableName(fk.reference().foreignTable))
      .filter((other) => other !== name),
  };
}

/** Each table after those it references, so every foreign key finds its row already copied. */
function foreignKeyOrder(tables: CopiedTable[]): CopiedTable[] {
  const ordered: CopiedTable[] = [];
  while (ordered.length < tables.length) {
    const done = new Set(ordered.map((t) => t.name));
    const next = tables.find((t) => !done.has(t.name) && t.references.every((r) => done.has(r)));
    if (!next) throw new Error("the schema's foreign keys form a cycle");
    ordered.push(next);
  }
  return ordered;
}

/** Every table of the SQLite schema, in an order PostgreSQL's foreign keys accept. */
export const COPIED_TABLES: CopiedTable[] = foreignKeyOrder(
  Object.entries(lite).flatMap(([key, value]) => (is(value, SQLiteTable) ? [pair(key, value)] : [])),
);

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One value in COPY's text format: \N for NULL, t/f for booleans, backslash escapes in text. */
function field(value: unknown, boolean: boolean): string {
  if (value === null) return "\\N";
  if (boolean) return value ? "t" : "f";
  return String(value).replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]);
}

/** The smallest rowid SQLite allows: the first chunk starts after it. */
const BEFORE_FIRST_ROWID = -(2n ** 63n);

/** Streams one table's rows from SQLite (inside the caller's read transaction) into PostgreSQL (inside
 * `tx`); integers are read as bigint so that no value is rounded on the way. Returns the rows sent. */
export async function copyTable(
  source: Database,
  tx: SQL,
  table: CopiedTable,
  progress: (rows: number) => void,
): Promise<number> {
  const columns = table.columns.map(quoted).join(", ");
  const read = source
    .query(`SELECT rowid, ${columns} FROM ${quoted(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT ${CHUNK_ROWS}`)
    .safeIntegers(true);
  const copy = tx.unsafe(`COPY ${quoted(table.name)} (${columns}) FROM STDIN`);
  const writer = copy.writable().getWriter();
  let sent = 0;
  try {
    for (let after = BEFORE_FIRST_ROWID; ; ) {
      const rows = read.values(after) as unknown[][];
      if (rows.length === 0) break;
      after = rows[rows.length - 1][0] as bigint;
      let text = "";
      for (const row of rows) {
        for (let i = 1; i < row.length; i++) text += `${i > 1 ? "\t" : ""}${field(row[i], table.booleans[i - 1])}`;
        text += "\n";
      }
      await writer.write(text);
      if (Math.floor((sent + rows.length) / PROGRESS_EVERY) > Math.floor(sent / PROGRESS_EVERY))
        progress(sent + rows.length);
      sent += rows.length;
    }
  } catch (e) {
    await writer.abort(e).catch(() => {});
    throw e;
  }
  await writer.close();
  await copy;
  return sent;
}
