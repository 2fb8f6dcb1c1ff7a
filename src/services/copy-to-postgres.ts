// `apiyi copy`: a SQLite data dir into an empty PostgreSQL database, all or nothing. SQLite is read in
// one read transaction (every table as of one moment); PostgreSQL is written in one transaction that is
// committed only after both sides agree on every table's row count and the money totals.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KeyRing } from "../core/keys";
import { FINAL_STATES } from "../core/video/job-state";
import { openDatabase, type Db } from "../db/open";
import { openPostgres } from "../db/pg/client";
import * as lite from "../db/schema";
import { AppError } from "../errors";
import { claimEmptyTarget, compareSides, continueSequences, type Counted, type Summed } from "../store/pg/copy-checks";
import { COPIED_TABLES, copyTable } from "../store/pg/copy-tables";

/** Where the secret that seals the keys comes from: what every instance on the copy must be given. */
export type SecretSource = { from: "env" } | { from: "file"; path: string } | { from: "none" };

export type CopyReport = {
  source: string;
  counts: Counted[];
  sums: Summed[];
  ms: number;
  secret: SecretSource;
  /** whether that secret opens a sealed key of the copy (null: the copy has none to try) */
  secretOpensKeys: boolean | null;
};

const refuse = (message: string) => new AppError(400, "invalid_request", message);

/** The secret the server on this data dir runs with: APIYI_SECRET wins over the data dir's file. */
function secretOf(dataDir: string, fromEnv: string | undefined): { source: SecretSource; value?: string } {
  if (fromEnv) return { source: { from: "env" }, value: fromEnv };
  const path = join(dataDir, "secret");
  if (!existsSync(path)) return { source: { from: "none" } };
  return { source: { from: "file", path }, value: readFileSync(path, "utf8").trim() };
}

/** Whether `secret` opens the first sealed key the database holds (a token's, else a channel's). */
function opensKeys(db: Db, secret: string | undefined): boolean | null {
  const sealed =
    db.select({ v: lite.tokens.keySealed }).from(lite.tokens).limit(1).get()?.v ??
    db.select({ v: lite.channels.keysSealed }).from(lite.channels).limit(1).get()?.v;
  if (sealed === undefined) return null;
  try {
    new KeyRing(secret ?? "").unseal(sealed);
    return true;
  } catch {
    return false;
  }
}

/** Refuses while holds are left: calls in flight (a server runs here), a crash's, or running video jobs'. */
function refuseHolds(db: Db) {
  const s = db.$client;
  const count = (sql: string) => (s.query(sql).get() as { n: number }).n;
  const holds = count("SELECT count(*) AS n FROM holds");
  if (holds === 0) return;
  const finals = FINAL_STATES.map((state) => `'${state}'`).join(", ");
  const videos = count(
    `SELECT count(*) AS n FROM holds WHERE request_id IN (SELECT id FROM video_jobs WHERE state NOT IN (${finals}))`,
  );
  if (videos === holds)
    throw refuse(
      `refusing: ${videos} video job(s) still running hold quota; start the server, let them finish, stop it, then copy`,
    );
  throw refuse(
    `refusing: ${holds - videos} hold(s) of calls in flight: a server is running on this data dir or did not stop cleanly; stop the server (if it crashed, start and stop it once so it releases them)`,
  );
}

export async function copyToPostgres(
  dataDir: string,
  url: string,
  opts: { envSecret?: string; progress?: (table: string, rows: number) => void } = {},
): Promise<CopyReport> {
  const started = performance.now();
  const path = join(dataDir, "apiyi.db");
  if (!existsSync(path)) throw refuse(`no database at ${path} (is --data-dir right?)`);
  // migrated to this version's schema first, so its columns are the ones both schemas name
  const source = openDatabase(path);
  try {
    source.$client.run("BEGIN"); // one snapshot for the checks, the copy and the comparison
    refuseHolds(source);
    const secret = secretOf(dataDir, opts.envSecret);
    const secretOpensKeys = opensKeys(source, secret.value);
    const target = await openPostgres(url);
    try {
      const { counts, sums } = await target.$client.begin(async (tx) => {
        await claimEmptyTarget(tx, COPIED_TABLES);
        for (const table of COPIED_TABLES)
          await copyTable(source.$client, tx, table, (rows) => opts.progress?.(table.name, rows));
        const compared = await compareSides(source.$client, tx, COPIED_TABLES);
        // last: sequences are not transactional, so a rollback before here leaves them untouched
        await continueSequences(tx, COPIED_TABLES);
        return compared;
      });
      return { source: path, counts, sums, ms: performance.now() - started, secret: secret.source, secretOpensKeys };
    } finally {
      await target.$client.close();
    }
  } finally {
    if (source.$client.inTransaction) source.$client.run("ROLLBACK");
    source.$client.close();
  }
}
