// Starts the WAL checkpointer (checkpointer.ts, a Worker) for a serving process, and hands checkpoints
// back to SQLite if it cannot run. Why: a checkpoint copies the pages the WAL gathered since the last
// one (about every 1,000 pages by default) and syncs both files; SQLite does it inside the commit that
// crossed the mark, which was a ledger commit on the event loop, so every call in flight waited
// for it (bench/ab.ts, 10 rounds: p99 -0.99 ms JSON and -2.10 ms SSE with the checkpoints on their own
// thread, CPU a call unchanged; the worker costs 5–9 MiB of RSS).
// The CLI's short-lived processes keep SQLite's automatic checkpoints.
import type { Database } from "bun:sqlite";

/** SQLite's default: a checkpoint once the WAL holds this many pages */
const AUTO_PAGES = 1000;

/** The worker's module: beside this one from source; in the compiled binary, the second entry point
 * of the build (package.json's build script), under the bundle's root. */
const MODULE = import.meta.url.includes("$bunfs")
  ? "./store/checkpointer.js"
  : new URL("./checkpointer.ts", import.meta.url).href;

export type Checkpoints = {
  stop(): Promise<void>;
  /** whether the checkpointer runs (SQLite's automatic checkpoints are off) */
  running(): boolean;
  /** WAL frames it copied into the database so far */
  copied(): number;
};

export function startCheckpoints(sqlite: Database, path: string): Checkpoints {
  let ready = false;
  let stopping = false;
  let copied = 0;
  let ended = false;
  let stopped: () => void = () => {};
  const worker = new Worker(MODULE, { smol: true });
  /** SQLite's own checkpoints back on the serving connection, if they were off */
  const handBack = () => {
    if (ready) sqlite.run(`PRAGMA wal_autocheckpoint = ${AUTO_PAGES}`);
    ready = false;
  };
  /** The worker is gone (failed, or stopped by stop(), which has handed back already). */
  const over = (why: string) => {
    ended = true;
    if (ready) console.warn(`checkpoints: ${why}; SQLite checkpoints on the serving thread again`);
    handBack();
    stopped();
  };
  worker.onmessage = (e: MessageEvent) => {
    if (e.data === "ready" && !stopping) {
      sqlite.run("PRAGMA wal_autocheckpoint = 0");
      ready = true;
    } else if (e.data === "stopped") stopped();
    else if (typeof e.data?.copied === "number") copied += e.data.copied;
    else if (e.data?.error) console.warn(`checkpoints: ${e.data.error}`);
  };
  worker.addEventListener("error", (e) => over(`the checkpointer failed (${(e as ErrorEvent).message})`));
  worker.addEventListener("close", () => over("the checkpointer stopped"));
  (worker as unknown as { unref(): void }).unref(); // never what keeps the process alive
  worker.postMessage(path);
  return {
    running: () => ready,
    copied: () => copied,
    /** The last checkpoint, then the worker ends (bounded: 2 s). */
    async stop() {
      stopping = true;
      handBack();
      if (ended) return;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      worker.postMessage("stop");
      await Promise.race([done, Bun.sleep(2000)]);
      worker.terminate();
    },
  };
}
