// The WAL checkpointer, a Worker with its own connection to the database (started by checkpoints.ts):
// every EVERY_MS it copies the frames the WAL has gathered into the database file
// (PRAGMA wal_checkpoint(PASSIVE): it never waits for a writer, nor makes one wait). The serving
// thread's own automatic checkpoint is turned off meanwhile, so that copy and its fsyncs no longer run
// inside a ledger commit on the event loop. Messages in: the database's path, then "stop"; out:
// "ready", { copied } after a checkpoint that copied frames, { error }, and "stopped".
import { Database } from "bun:sqlite";

declare const self: Worker;

const EVERY_MS = 200;
let db: Database | null = null;
let timer: ReturnType<typeof setInterval> | null = null;
/** the WAL's frames and how many of them were copied, at the last checkpoint */
let last = { log: 0, checkpointed: 0 };

function checkpoint() {
  try {
    const r = db?.query("PRAGMA wal_checkpoint(PASSIVE)").get() as { log: number; checkpointed: number } | null;
    if (!r || r.checkpointed <= 0) return;
    // the WAL starts over once wholly copied: frames counted again from the start
    const copied = r.log < last.log ? r.checkpointed : r.checkpointed - last.checkpointed;
    last = { log: r.log, checkpointed: r.checkpointed };
    if (copied > 0) self.postMessage({ copied });
  } catch (e) {
    // a busy or locked database: the next tick tries again; anything else is reported once a tick
    const message = (e as Error).message;
    if (!/busy|locked/i.test(message)) self.postMessage({ error: message });
  }
}

self.onmessage = (e: MessageEvent) => {
  if (e.data === "stop") {
    if (timer) clearInterval(timer);
    checkpoint();
    db?.close();
    db = null;
    self.postMessage("stopped");
    return;
  }
  if (db) return;
  db = new Database(String(e.data));
  db.run("PRAGMA busy_timeout = 1000");
  timer = setInterval(checkpoint, EVERY_MS);
  self.postMessage("ready");
};
