// What each index on `logs` costs every call (issue 16): a logs table made by our migrations, filled
// (console-data.ts's rows, no secondary index while filling) to 1,000,000 and 10,000,000 rows; then,
// per index set, rows are appended as the ledger appends them (batches of 250, one transaction each,
// WAL, synchronous NORMAL, SQLite's default cache) and the insert's CPU µs per row is read from this
// process. The sets: the 8 indexes logs had before issue 16, each of them left out in turn, the set
// the schema has now, and none (the table alone). The sets alternate in rounds, so noise from other
// work on the machine falls on all of them alike; the table shows each set's median over the rounds.
// Usage: bun bench/log-indexes.ts [--rows 1000000,10000000] [--rounds 3] [--batches 100]
// Temp dir, removed at the end; a watchdog stops it (10 minutes plus 4 per million rows).
import { Database, type SQLQueryBindings } from "bun:sqlite";
import { join } from "node:path";
import { openDatabase } from "../src/db/open";
import { INSERT_LOG, logRows, type Caller } from "./console-data";
import { flag, runMain, TMP } from "./lib";

const SIZES = (flag("--rows") ?? "1000000,10000000").split(",").map(Number);
const ROUNDS = Number(flag("--rounds") ?? 3);
const BATCHES = Number(flag("--batches") ?? 100);
const BATCH = 250;

/** the indexes logs had before issue 16 */
const BEFORE: Record<string, string> = {
  logs_user_id: "(user_id, id)",
  logs_created_at: "(created_at)",
  logs_request_id: "(request_id)",
  logs_user_token: "(user_id, token_name, id)",
  logs_user_model: "(user_id, model, id)",
  logs_model: "(model, id)",
  logs_user_type: "(user_id, type, id)",
  logs_user_created: "(user_id, created_at)",
};

const admin = { id: 1, username: "admin" };
const groups = ["default", "vip", "svip"];
const tokens = Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, name: `bench-${i}`, group: groups[i % 3] }));
const others: Caller[] = Array.from({ length: 200 }, (_, i) => ({
  id: 1001 + i,
  name: "main",
  group: groups[i % 3],
  userId: i + 2,
  username: `user-${i}`,
}));

/** Index name → its columns: the ones before issue 16 and the ones the schema has now. */
function definitions(db: Database) {
  const now = db
    .query("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'logs' AND sql IS NOT NULL")
    .all() as { name: string; sql: string }[];
  const defs = { ...BEFORE };
  for (const { name, sql } of now) defs[name] = sql.slice(sql.indexOf("("));
  return { defs, current: now.map((i) => i.name).sort() };
}

function bench(rows: number) {
  const path = join(TMP, `logs-${rows}.db`);
  openDatabase(path).$client.close(); // our schema, by our migrations
  const db = new Database(path, { strict: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = OFF");
  db.run("PRAGMA cache_size = -262144");
  const { defs, current } = definitions(db);
  const have = new Set(current);
  const use = (set: string[]) => {
    for (const name of [...have]) if (!set.includes(name)) db.run(`DROP INDEX ${name}`), have.delete(name);
    for (const name of set) if (!have.has(name)) db.run(`CREATE INDEX ${name} ON logs ${defs[name]}`), have.add(name);
    db.run("PRAGMA wal_checkpoint(TRUNCATE)");
  };

  const t0 = performance.now();
  use([]);
  const insert = db.prepare(INSERT_LOG);
  // rows past `rows` keep going forward in time, as new calls do
  const { row } = logRows(admin, tokens, others, rows, Date.now());
  let next = 0;
  const fill = db.transaction((n: number) => {
    for (const end = next + n; next < end; next++) insert.run(...row(next));
  });
  while (next < rows) fill(Math.min(100_000, rows - next));
  use(Object.keys(BEFORE));
  console.log(
    `${rows.toLocaleString("en-US")} rows and the 8 indexes in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );

  /** CPU µs per row of BATCHES transactions of BATCH rows each, with the index set of now */
  const measure = () => {
    db.run("PRAGMA synchronous = NORMAL");
    db.run("PRAGMA cache_size = -2000");
    // the rows are made first: only the INSERTs and their commits are timed
    const batches = Array.from({ length: BATCHES }, () => Array.from({ length: BATCH }, () => row(next++)));
    const batch = db.transaction((values: SQLQueryBindings[][]) => {
      for (const v of values) insert.run(...v);
    });
    const cpu = process.cpuUsage();
    for (const values of batches) batch.immediate(values);
    const used = process.cpuUsage(cpu);
    db.run("PRAGMA synchronous = OFF");
    db.run("PRAGMA cache_size = -262144");
    return (used.user + used.system) / (BATCHES * BATCH);
  };

  const sets: [string, string[]][] = [
    ["the 8 before issue 16", Object.keys(BEFORE)],
    ...Object.keys(BEFORE).map((n): [string, string[]] => [
      `8 without ${n}`,
      Object.keys(BEFORE).filter((m) => m !== n),
    ]),
    [`now: ${current.join(", ")}`, current],
    ["none (the table alone)", []],
  ];
  const results = new Map<string, number[]>(sets.map(([label]) => [label, []]));
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [...sets].reverse() : sets;
    for (const [label, set] of order) {
      use(set);
      results.get(label)!.push(measure());
    }
    console.log(`round ${r + 1} of ${ROUNDS} done, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  db.close();
  return results;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

await runMain(
  "log-indexes",
  async () => {
    const all = SIZES.map((n) => ({ n, results: bench(n) }));
    const labels = [...all[0].results.keys()];
    const base = (r: Map<string, number[]>) => median(r.get(labels[0])!);
    console.log(
      `\nCPU µs per inserted row (batches of ${BATCH} rows in a transaction, ${BATCHES} batches a sample, median of ${ROUNDS} rounds; Δ: against the 8)\n`,
    );
    console.log(`| index set | ${all.map(({ n }) => `${n / 1e6}M rows µs | Δ µs`).join(" | ")} |`);
    console.log(`|---|${all.map(() => "---|---").join("|")}|`);
    for (const label of labels) {
      const cells = all.map(({ results }) => {
        const m = median(results.get(label)!);
        return `${m.toFixed(2)} | ${(m - base(results)).toFixed(2)}`;
      });
      console.log(`| ${label} | ${cells.join(" | ")} |`);
    }
  },
  (10 + 4 * (SIZES.reduce((s, n) => s + n, 0) / 1e6)) * 60_000,
);
