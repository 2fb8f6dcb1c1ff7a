// Starts the WAL checkpointer (checkpointer.ts, a Worker) for a serving process, and hands checkpoints
// back to SQLite if it cannot run. Why: a checkpoint copies the pages the WAL gathered since the last
// one (about every 1,000 pages by default) and syncs both files; SQLite does it inside the commit that
// crossed the mark, which was a ledger commit on the event loop, so every call in flight waited
// for it (bench/ab.ts: p99 -1.8 ms, CPU -3 µs a JSON call with the checkpoints on their own thread).
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
  const giveBack = (why: string) => {
    if (ready && !stopping) {
      sqlite.run(`PRAGMA wal_autocheckpoint = ${AUTO_PAGES}`);
      console.warn(`checkpoints: ${why}; SQLite checkpoints on the serving thread again`);
    }
    ready = false;
  };
  worker.onmessage = (e: MessageEvent) => {
    if (e.data === "ready" && !stopping) {
      sqlite.run("PRAGMA wal_autocheckpoint = 0");
      ready = true;
    } else if (e.data === "stopped") stopped();
    else if (typeof e.data?.copied === "number") copied += e.data.copied;
    else if (e.data?.error) console.warn(`checkpoints: ${e.data.error}`);
  };
  worker.addEventListener("error", (e) => {
    ended = true;
    giveBack(`the checkpointer failed (${(e as ErrorEvent).message})`);
    stopped();
  });
  worker.addEventListener("close", () => {
    ended = true;
    giveBack("the checkpointer stopped");
    stopped();
  });
  (worker as unknown as { unref(): void }).unref(); // never what keeps the process alive
  worker.postMessage(path);
  return {
    running: () => ready,
    copied: () => copied,
    /** The last checkpoint, then the worker ends (bounded: 2 s). */
    async stop() {
      stopping = true;
      if (ready) sqlite.run(`PRAGMA wal_autocheckpoint = ${AUTO_PAGES}`);
      ready = false;
      if (ended) return;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      worker.postMessage("stop");
      await Promise.race([done, Bun.sleep(2000)]);
      worker.terminate();
    },
  };
}
