// The server secret: APIYI_SECRET, or a random one generated once into <data-dir>/secret (mode 0600).
// Every key hash and sealed key depends on it: lose it and stored keys can no longer be matched.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomBase62 } from "../core/keys";

export function ensureDataDir(dataDir: string) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

export function loadSecret(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const path = join(dataDir, "secret");
  if (existsSync(path)) {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    const secret = readFileSync(path, "utf8").trim();
    if (secret.length < 32) throw new Error(`${path}: secret is shorter than 32 characters`);
    return secret;
  }
  const secret = randomBase62(64);
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}
