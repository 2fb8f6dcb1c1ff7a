// WAL checkpoints on their own thread (store/checkpoints.ts, store/checkpointer.ts): a serving process,
// from source or the compiled binary (APIYI_TEST_BIN: the worker is the build's second entry point),
// runs the checkpointer and it copies what the writes put in the WAL; it stops cleanly with the server.
import { afterAll, expect, test } from "bun:test";
import { ADMIN_PASSWORD, client, login, removeDir, startServer, type Server } from "../../support/server";

let server: Server | undefined;
afterAll(async () => {
  await server?.stop("SIGKILL");
  if (server) removeDir(server.dataDir);
});

const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1] ?? NaN);

test("the checkpointer runs in the server and copies the WAL's frames; the server still stops with 0", async () => {
  server = await startServer();
  const admin = client(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
  let text = "";
  // writes (tokens) until a checkpoint has copied frames: bounded, 10 s
  for (let i = 0; i < 100; i++) {
    expect((await admin.post("/api/token/", { name: `cp-${i}`, unlimited_quota: true })).status).toBe(201);
    text = String((await admin.get("/metrics")).body);
    if (metric(text, "apiyi_wal_checkpointed_frames_total") > 0) break;
    await Bun.sleep(100);
  }
  expect(metric(text, "apiyi_wal_checkpointer_up")).toBe(1);
  expect(metric(text, "apiyi_wal_checkpointed_frames_total")).toBeGreaterThan(0);
  expect(await server.stop("SIGTERM")).toBe(0);
  expect(server.errors()).not.toContain("checkpoints:");
});
