// The data dir and the server secret: APIYI_SECRET, or a random one generated once into
// <data-dir>/secret (mode 0600). Every key hash and sealed key depends on it: lose it and stored keys
// can no longer be matched. A data dir this process cannot use (a root-owned bind mount in Docker, a
// read-only disk, a file where the folder should be) stops the start with one line saying what to do.
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { randomBase62 } from "../core/keys";

/** Files of the data dir that must be readable and writable when they exist. */
const DATA_FILES = ["apiyi.db", "apiyi.db-wal", "apiyi.db-shm", "secret"];

/** The one-line reason a data dir cannot be used, from a file-system error (or the error itself). */
export function dataDirProblem(dataDir: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const where = err.path ?? dataDir;
  if (err.code === "EACCES" || err.code === "EPERM") {
    const uid = process.getuid?.() ?? "?";
    const gid = process.getgid?.() ?? "?";
    return new Error(
      `data dir ${dataDir}: permission denied on ${where} for this process (uid ${uid}); give the folder to that user: chown -R ${uid}:${gid} ${dataDir} (for a Docker bind mount, on the host folder)`,
    );
  }
  if (err.code === "EROFS")
    return new Error(`data dir ${dataDir}: ${where} is on a read-only file system; give --data-dir a writable folder`);
  if (err.code === "ENOTDIR" || err.code === "EEXIST")
    return new Error(
      `data dir ${dataDir}: it (or a folder above it) is a file, not a folder; give --data-dir a folder`,
    );
  return err instanceof Error ? err : new Error(String(e));
}

/** Creates the data dir (0700) and checks that this process may write it and its files. */
export function ensureDataDir(dataDir: string) {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (!statSync(dataDir).isDirectory())
      throw Object.assign(new Error("not a folder"), { code: "ENOTDIR", path: dataDir });
    accessSync(dataDir, constants.W_OK | constants.X_OK);
    for (const name of DATA_FILES) {
      const path = join(dataDir, name);
      if (existsSync(path)) accessSync(path, constants.R_OK | constants.W_OK);
    }
  } catch (e) {
    throw dataDirProblem(dataDir, e);
  }
}

export function loadSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const path = join(dataDir, "secret");
  try {
    if (existsSync(path)) {
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
      const secret = readFileSync(path, "utf8").trim();
      if (secret.length < 32) throw new Error(`${path}: secret is shorter than 32 characters`);
      return secret;
    }
    const secret = randomBase62(64);
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (e) {
    throw dataDirProblem(dataDir, e);
  }
}
