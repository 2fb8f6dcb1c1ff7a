// The PostgreSQL address (`--database` / APIYI_DATABASE_URL): checked once at start, so a typo is one
// clear line instead of a driver error later, and shown only with its password hidden.
import { z } from "zod";
import { checkedUrl } from "../../core/checked-url";

/** A postgres:// (or postgresql://) URL naming a host and a database; query options pass through. */
export const databaseUrlSchema = z
  .string()
  .trim()
  .transform(
    checkedUrl(
      "must be a URL such as postgres://apiyi@db.internal:5432/apiyi",
      (url) => {
        if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
          return "must start with postgres:// (SQLite needs no flag: leave it out)";
        if (!url.hostname) return "must name a host, as in postgres://user@host:5432/db";
        if (url.pathname.replace(/^\//, "") === "") return "must name a database, as in postgres://user@host:5432/db";
        return null;
      },
      (_url, raw) => raw,
    ),
  );

/** The URL with its password replaced by "***" (for logs, errors and `apiyi serve`'s first lines); a
 * value that does not parse is not shown at all (it might be a password typed in the wrong place). */
export function redactDatabaseUrl(v: string): string {
  try {
    const url = new URL(v);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(not shown: not a URL)";
  }
}

/** True when the URL carries a password. */
const hasPassword = (v: string) => {
  try {
    return new URL(v).password !== "";
  } catch {
    return false;
  }
};

/** The refusal of a URL with a password given as a command-line flag (`ps` shows every process's flags
 * to every user), saying what to do `instead`; null when it carries none. */
export const passwordOnCommandLine = (flag: string, value: string, instead: string): string | null =>
  hasPassword(value)
    ? `${flag}: leave the password out of the command line (ps shows it to every user); ${instead}`
    : null;
