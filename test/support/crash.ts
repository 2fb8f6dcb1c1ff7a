// Test support: a crash of a server started by startServer, as kill -9 does it: SIGKILL to the spawned
// process and to the serving child `apiyi serve` relaunches itself as, then a wait until no process of
// it is left (so the data dir is the crashed server's, with nothing written after).
import { expect } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import type { Server } from "./server";

/** Pids whose parent is `pid` (the serving child `apiyi serve` relaunches itself as). */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) kids.push(Number(name));
    } catch {}
  }
  return kids;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** SIGKILL the server (its child dies with it, like a crash) and wait until no process of it is left. */
export async function crash(server: Server) {
  const kids = childrenOf(server.proc.pid);
  server.proc.kill("SIGKILL");
  await server.proc.exited;
  const until = Date.now() + 5000;
  while (kids.some(alive) && Date.now() < until) await Bun.sleep(20);
  const left = kids.filter(alive);
  for (const pid of left) process.kill(pid, "SIGKILL");
  expect(left).toEqual([]);
}
