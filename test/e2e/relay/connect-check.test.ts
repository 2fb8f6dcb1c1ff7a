// The connect check behind timeout_connect_ms: a listening host answers "ok" (and is then warm),
// a closed port answers "error" at once. (A host that never answers cannot be staged on loopback
// here; the timer path is the same setTimeout that bounds every probe.)
import { expect, test } from "bun:test";
import { isWarm, probeOrigin, tcpConnect } from "../../../src/relay/attempt/connect-check";

test("a listening origin is reachable and then warm; a closed port is an error", async () => {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("ok") });
  const base = `http://127.0.0.1:${server.port}/v1`;
  try {
    expect(isWarm(base)).toBe(false);
    expect(await probeOrigin(base, 2000)).toBe("ok");
    expect(isWarm(base)).toBe(true);
  } finally {
    server.stop(true);
  }
  expect(await tcpConnect("127.0.0.1", 9, 2000)).toBe("error");
});
