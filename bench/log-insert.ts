// The ledger's log INSERT: a statement per row against LogRows' multi-row statements (32 rows each), on
// a fresh file migrated to the real schema (every index of `logs`), 256 rows per transaction as a
// ledger slice writes them, request ids time-ordered as the relay makes them.
// Usage: bun bench/log-insert.ts [--rounds 200]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../src/db/open";
import { LogRows } from "../src/store/log-rows";
import { LOG_COLUMNS, LOG_TYPE, type NewLog } from "../src/store/logs";
import { flag } from "./lib";

const ROUNDS = Number(flag("--rounds") ?? 200);
const SLICE = 256;
const dir = mkdtempSync(join(tmpdir(), "apiyi-log-insert-"));
const db = openDatabase(join(dir, "apiyi.db"));
const sqlite = db.$client;
const single = sqlite.prepare(
  `INSERT INTO logs (${LOG_COLUMNS.map(([c]) => `"${c}"`).join(", ")}) VALUES (${LOG_COLUMNS.map(() => "?").join(", ")})`,
);
const batch = new LogRows(sqlite);

const row = (): NewLog => ({
  createdAt: Date.now(),
  type: LOG_TYPE.consume,
  userId: 1,
  username: "admin",
  tokenId: 1,
  tokenName: "bench",
  model: "bench-model",
  upstreamModel: "bench-model",
  group: "default",
  channelId: 1,
  endpoint: "chat",
  promptTokens: 12,
  completionTokens: 20,
  quota: 52,
  durationMs: 3,
  requestId: Bun.randomUUIDv7(),
  statusCode: 200,
  ip: "127.0.0.1",
  attempts: '[{"channel_id":1,"status":200,"ms":2}]',
});

function measure(name: string, write: (rows: NewLog[]) => void) {
  const slices = Array.from({ length: ROUNDS }, () => Array.from({ length: SLICE }, row));
  const started = Bun.nanoseconds();
  for (const slice of slices) sqlite.transaction(() => write(slice)).immediate();
  const us = (Bun.nanoseconds() - started) / 1000 / (ROUNDS * SLICE);
  console.log(`| ${name} | ${us.toFixed(2)} |`);
}

console.log(`${ROUNDS} slices of ${SLICE} rows, twice each, alternating\n\n| statement | µs per row |\n|---|---|`);
for (let round = 0; round < 2; round++) {
  measure("one per row", (rows) => {
    for (const r of rows) single.run(...(LOG_COLUMNS.map(([, k, f]) => r[k] ?? f) as never[]));
  });
  measure("LogRows (32 rows each)", (rows) => batch.write(rows));
}
sqlite.close();
rmSync(dir, { recursive: true, force: true });
