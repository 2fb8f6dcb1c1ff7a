// Text order as SQLite's: byte by byte (its BINARY collation), not by the PostgreSQL database's collation.
import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/** `column` ordered (or compared) byte by byte, as SQLite does. */
export const bytewise = (column: AnyColumn): SQL => sql`${column} COLLATE "C"`;
