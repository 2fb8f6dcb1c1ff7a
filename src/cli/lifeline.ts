// Ties a server's life to the command that started it, so that stopping that command stops the server:
// - the relaunched child (cli/fetch-limit.ts) dies at once, like kill -9, if its parent disappears;
// - a server started by a package script (`npx -y bun@1.4.5 run start`, `bun run start`, `npm start`)
//   stops gracefully when the chain that started it breaks. npx runs the script through `sh -c`, and a
//   SIGTERM to npx kills that sh without passing the signal on: `bun run start` and the server below
//   it ran on as orphans. So the process right under the script runner watches its parent and its
//   grandparent, and when either is replaced (the process was reparented) it sends itself SIGTERM,
//   which drains like any other stop. Only under a package script: `nohup ./apiyi serve &` must
//   outlive its shell. Linux (/proc) only; elsewhere the watch is skipped.
import { readFileSync } from "node:fs";

const WATCH_MS = 250;

/** The parent pid of `pid`, or null when it cannot be read (gone, or no /proc). */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/** In the relaunched child: if the parent disappears (killed with -9), die the same way. */
export function dieWithParent() {
  const parent = Number(process.env.APIYI_PARENT_PID);
  if (!parent) return;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGKILL");
  }, 100).unref();
}

/** In the process a package script started (not the relaunched child): stop when the script's chain breaks. */
export function stopWithLauncher() {
  if (!process.env.npm_lifecycle_event || process.env.APIYI_PARENT_PID) return;
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  if (grandparent === null) return;
  const timer = setInterval(() => {
    if (process.ppid === parent && parentOf(parent) === grandparent) return;
    clearInterval(timer);
    console.error(
      `apiyi: the command that started this server (${process.env.npm_lifecycle_event} script) has stopped; stopping too`,
    );
    process.kill(process.pid, "SIGTERM");
  }, WATCH_MS);
  timer.unref();
}
