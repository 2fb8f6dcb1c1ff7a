// A consistent copy of the data dir's database while the server runs (`apiyi backup FILE`).
// The copy is one committed state: the ledger writes each slice of events (holds, settlements, log
// rows, balance deltas) in one transaction, so balance + what is held + Σ logged costs = initial in
// the copy. Calls in flight at that moment are there as holds, which a server started on the copy
// gives back first; what the running server still had queued (at most a fraction of a second) is not
// in it. The copy is written next to the target and moved into place only once checked, with mode
// 0600 (it holds key hashes and sealed upstream keys), and never over an existing file unless forced.
import { closeSync, existsSync, linkSync, openSync, renameSync, statSync, unlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { AppError } from "../errors";
import { describeCopy, vacuumInto } from "../store/backup";

export type BackupResult = {
  path: string;
  bytes: number;
  users: number;
  tokens: number;
  logs: number;
  secretFile: string | null;
};

const refuse = (message: string) => new AppError(400, "invalid_request", message);

export function backupDatabase(dataDir: string, target: string, opts: { force?: boolean } = {}): BackupResult {
  const source = join(dataDir, "apiyi.db");
  const path = resolve(target);
  if (!existsSync(source)) throw refuse(`no database at ${source} (is --data-dir right?)`);
  if (existsSync(path) && !opts.force)
    throw refuse(`${path} already exists; choose another file, or add --force to replace it`);
  if (existsSync(path) && !statSync(path).isFile()) throw refuse(`${path} is not a file`);
  if (!existsSync(dirname(path))) throw refuse(`folder ${dirname(path)} does not exist`);
  if (resolve(source) === path) throw refuse("the backup cannot be the database itself");

  const partial = `${path}.partial-${process.pid}`;
  closeSync(openSync(partial, "wx", 0o600)); // VACUUM INTO fills an empty file and keeps its mode
  try {
    vacuumInto(source, partial);
    const copy = describeCopy(partial);
    if (copy.problem) throw new Error(`the copy failed its check (${copy.problem}); nothing was written to ${path}`);
    if (opts.force) renameSync(partial, path);
    else {
      try {
        linkSync(partial, path); // fails if the file appeared meanwhile: never overwrite unasked
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST")
          throw refuse(`${path} already exists; choose another file, or add --force to replace it`);
        throw e;
      }
    }
    const secret = join(dataDir, "secret");
    return {
      path,
      bytes: statSync(path).size,
      users: copy.users,
      tokens: copy.tokens,
      logs: copy.logs,
      secretFile: existsSync(secret) ? secret : null,
    };
  } finally {
    if (existsSync(partial)) unlinkSync(partial);
  }
}
