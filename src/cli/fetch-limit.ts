// Bun's fetch keeps at most 256 requests in flight unless BUN_CONFIG_MAX_HTTP_REQUESTS is set when
// the process starts (setting it later has no effect): a gateway with 1,000 open streams would queue
// most of them. Upstream calls go through apiyi's own HTTP/1.1 client (net/h1), which has no such cap,
// so this matters only when that client is switched off (APIYI_UPSTREAM_CLIENT=fetch): then `serve`
// without the variable runs itself again as a child with it set, forwards SIGTERM and SIGINT, and exits
// with the child's code. The child dies at once (like kill -9) if it is orphaned (cli/lifeline.ts).
// (What the client leaves to fetch, multipart uploads, stays under the 256 otherwise.)
import { upstreamClient } from "../config";

const VAR = "BUN_CONFIG_MAX_HTTP_REQUESTS";
const LIMIT = "16384";

export const needsRelaunch = () => !process.env[VAR] && upstreamClient() === "fetch";

export async function relaunchWithFetchLimit(argv: string[]): Promise<number> {
  const entry = Bun.isStandaloneExecutable ? [] : [Bun.main];
  const child = Bun.spawn([process.execPath, ...entry, ...argv], {
    env: { ...process.env, [VAR]: LIMIT, APIYI_PARENT_PID: String(process.pid) },
    stdio: ["inherit", "inherit", "inherit"],
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => child.kill(signal));
  return child.exited;
}
