// The PostgreSQL address (`--database` / APIYI_DATABASE_URL): checked once at start, so a typo is one
// clear line instead of a driver error later, and shown only with its password hidden.
import { z } from "zod";

/** A postgres:// (or postgresql://) URL naming a host and a database; query options pass through. */
export const databaseUrlSchema = z
  .string()
  .trim()
  .transform((v, c) => {
    const bad = (message: string) => {
      c.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      return bad("must be a URL such as postgres://apiyi@db.internal:5432/apiyi");
    }
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
      return bad("must start with postgres:// (SQLite needs no flag: leave it out)");
    if (!url.hostname) return bad("must name a host, as in postgres://user@host:5432/db");
    if (url.pathname.replace(/^\//, "") === "") return bad("must name a database, as in postgres://user@host:5432/db");
    return v;
  });

/** The URL with its password replaced by "***" (for logs, errors and `apiyi serve`'s first lines). */
export function redactDatabaseUrl(v: string): string {
  try {
    const url = new URL(v);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(unparseable database URL)";
  }
}

/** True when the URL carries a password (refused on the command line, where `ps` shows it). */
export const hasPassword = (v: string) => {
  try {
    return new URL(v).password !== "";
  } catch {
    return false;
  }
};
