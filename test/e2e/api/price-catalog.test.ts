// The price catalog through HTTP and the CLI, on real servers: a first start prices every catalog
// model (≥ 1,000, all marked "catalog"); a newer binary's catalog (played by a catalog file the test
// writes, APIYI_TEST_PRICE_CATALOG) shows its diff, applies selectively (named models through the
// API, "all" through the CLI) and never replaces an admin's price or brings back a removed one unless
// named; a database from before the catalog keeps its edited seed prices as the admin's.
import { VIDEO_SEEDS } from "../../../src/catalog/video-prices";
import { Database } from "bun:sqlite";
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_CATALOG, type Catalog } from "../../../src/catalog/catalog";
import { expectInvalid, expectReply } from "../../support/expect";
import { waitFor } from "../../support/receiver";
import { ADMIN_PASSWORD, cli, client, login, removeDir, startServer, tempDir, type Server } from "../../support/server";
import { sqliteOnly } from "../../support/backend";

setDefaultTimeout(30_000);

const dirs: string[] = [];
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) removeDir(d);
});

async function serve(dataDir: string, catalogFile?: string) {
  const server = await startServer({ dataDir, env: catalogFile ? { APIYI_TEST_PRICE_CATALOG: catalogFile } : {} });
  servers.push(server);
  return { server, api: client(server.url, await login(server.url, "admin", ADMIN_PASSWORD)) };
}

type Item = { model: string; input: string | null; output: string | null; source: string };
const pricesOf = async (api: ReturnType<typeof client>) =>
  new Map((expectReply(await api.get("/api/pricing/"), 200).items as Item[]).map((p) => [p.model, p]));

/** The built-in catalog with claude-sonnet-4-5 repriced, gpt-4o repriced, and one model added. */
function newerCatalog(dir: string): string {
  const entries = BUILTIN_CATALOG.entries.map((e) =>
    e.model === "claude-sonnet-4-5" || e.model === "gpt-4o" ? { ...e, input: 1_000_000, output: 5_000_000 } : e,
  );
  entries.push({ model: "zz-brand-new-model", provider: "openai", id: "zz-brand-new-model", input: 7_000_000 });
  const newer: Catalog = { ...BUILTIN_CATALOG, version: "test-newer", entries };
  const file = join(dir, "newer-catalog.json");
  writeFileSync(file, JSON.stringify(newer));
  return file;
}

describe("first start", () => {
  test("prices every catalog model (≥ 1,000), all from the catalog, with nothing left to apply", async () => {
    const dir = tempDir();
    dirs.push(dir);
    const { api } = await serve(dir);
    const all = await pricesOf(api);
    // and the video models' per-second prices (src/catalog/video-prices.ts), also from the vendors
    expect(all.size).toBe(BUILTIN_CATALOG.entries.length + VIDEO_SEEDS.length);
    expect(all.size).toBeGreaterThanOrEqual(1000);
    expect([...all.values()].every((p) => p.source === "catalog")).toBe(true);
    // the vendors' own list prices, whatever the aggregators say
    expect(all.get("gpt-4o")).toMatchObject({ input: "2.5", output: "10" });
    expect(all.get("claude-sonnet-4-5-20250929")).toMatchObject({ input: "3", output: "15" });
    for (const model of [
      "deepseek-chat",
      "glm-5.2",
      "kimi-k2.6",
      "grok-4",
      "mistral-large-latest",
      "qwen-max",
      "MiniMax-M2",
    ])
      expect(all.has(model)).toBe(true);
    const status = expectReply(await api.get("/api/pricing/catalog"), 200);
    expect(status).toMatchObject({
      version: BUILTIN_CATALOG.version,
      applied_version: BUILTIN_CATALOG.version,
      models: BUILTIN_CATALOG.entries.length,
      prices: { total: all.size, catalog: all.size, admin: 0 },
      summary: { new: 0, changed: 0, admin: 0, removed: 0, same: BUILTIN_CATALOG.entries.length },
    });
    expect(status.diff).toEqual([]);
  });
});

describe("a newer catalog", () => {
  test("an admin's price and removal survive it; its diff applies selectively (API by name, CLI all)", async () => {
    const dir = tempDir();
    dirs.push(dir);
    let { server, api } = await serve(dir);
    expectReply(await api.post("/api/pricing/", { model: "gpt-4o", input: "2", output: "8" }), 201);
    expectReply(await api.del("/api/pricing/o3"), 200);
    await server.stop();

    const newer = newerCatalog(dir);
    ({ server, api } = await serve(dir, newer));
    const status = expectReply(await api.get("/api/pricing/catalog"), 200);
    expect(status).toMatchObject({ version: "test-newer", applied_version: BUILTIN_CATALOG.version });
    expect(status.summary).toMatchObject({ new: 1, changed: 1, admin: 1, removed: 1 });
    const kinds = Object.fromEntries(status.diff.map((d: { model: string; kind: string }) => [d.model, d.kind]));
    expect(kinds).toEqual({
      "claude-sonnet-4-5": "changed",
      "gpt-4o": "admin",
      o3: "removed",
      "zz-brand-new-model": "new",
    });
    expect(status.diff.find((d: { model: string }) => d.model === "gpt-4o")).toMatchObject({
      applied_by_all: false,
      current: { input: "2", output: "8" },
      catalog: { input: "1", output: "5" },
    });

    // named models only: the new one; nothing else moves
    expect(expectReply(await api.post("/api/pricing/catalog/apply", { models: ["zz-brand-new-model"] }), 200)).toEqual({
      applied: 1,
      models: ["zz-brand-new-model"],
      version: "test-newer",
    });
    let prices = await pricesOf(api);
    expect(prices.get("zz-brand-new-model")).toMatchObject({ input: "7", source: "catalog" });
    expect(prices.get("claude-sonnet-4-5")).toMatchObject({ input: "3" });
    expectInvalid(await api.post("/api/pricing/catalog/apply", { models: ["no-such-model"] }), "models");
    expectInvalid(await api.post("/api/pricing/catalog/apply", { models: [] }), "models");

    // "all" from the terminal while the server runs: the changed catalog price, not the admin's nor the removal
    const env = { APIYI_TEST_PRICE_CATALOG: newer }; // the same newer binary
    const r = await cli(["price", "catalog", "--apply", "all", "--data-dir", dir], { env });
    expect({ code: r.code, out: r.stdout.trim() }).toEqual({ code: 0, out: "applied catalog test-newer to 1 model" });
    // the server picks up another process's writes by itself
    prices = await waitFor(async () => {
      const now = await pricesOf(api);
      return now.get("claude-sonnet-4-5")?.input === "1" ? now : undefined;
    }, "the CLI's apply to reach the server");
    expect(prices.get("claude-sonnet-4-5")).toMatchObject({ input: "1", output: "5", source: "catalog" });
    expect(prices.get("gpt-4o")).toMatchObject({ input: "2", output: "8", source: "admin" });
    expect(prices.has("o3")).toBe(false);
    const after = expectReply(await api.get("/api/pricing/catalog"), 200);
    expect(after).toMatchObject({
      applied_version: "test-newer",
      summary: { new: 0, changed: 0, admin: 1, removed: 1 },
    });

    // naming them takes the catalog's price over the admin's, and brings the removed one back
    expectReply(await api.post("/api/pricing/catalog/apply", { models: ["gpt-4o", "o3"] }), 200);
    prices = await pricesOf(api);
    expect(prices.get("gpt-4o")).toMatchObject({ input: "1", source: "catalog" });
    expect(prices.get("o3")).toMatchObject({ source: "catalog" });
    expect(expectReply(await api.get("/api/pricing/catalog"), 200).diff).toEqual([]);

    const text = await cli(["price", "catalog", "--data-dir", dir], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("catalog test-newer");
    expect(text.stdout).toContain("diff: 0 new, 0 changed");
  });
});

describe("a database from before the catalog", () => {
  sqliteOnly(
    "unedited seed prices become the catalog's, an edited one stays the admin's, a deleted one stays removed",
    async () => {
      const dir = tempDir();
      dirs.push(dir);
      const { server } = await serve(dir);
      await server.stop();
      // what 0.1.0 left: the seed rows only (all "admin" after the migration's default), one edited, one deleted
      const db = new Database(join(dir, "apiyi.db"));
      db.run("DELETE FROM prices");
      db.run("DELETE FROM settings WHERE key LIKE 'price_catalog%'");
      const seed = (model: string, input: number, output: number) =>
        db.run("INSERT INTO prices (model, input_micros, output_micros, source) VALUES (?, ?, ?, 'admin')", [
          model,
          input,
          output,
        ]);
      seed("gpt-4.1", 2_000_000, 8_000_000); // unedited: the seed's 2 / 8 / cached 0.5
      db.run("UPDATE prices SET cached_input_micros = 500000 WHERE model = 'gpt-4.1'");
      seed("claude-haiku-4-5", 900_000, 4_500_000); // edited by an admin
      db.close();

      const { api } = await serve(dir);
      const prices = await pricesOf(api);
      expect(prices.get("gpt-4.1")).toMatchObject({ source: "catalog" });
      expect(prices.get("claude-haiku-4-5")).toMatchObject({ input: "0.9", source: "admin" });
      expect(prices.size).toBe(2); // nothing is applied by itself after the first start
      const status = expectReply(await api.get("/api/pricing/catalog"), 200);
      expect(status.applied_version).toBe("legacy-seed");
      const kind = (m: string) => status.diff.find((d: { model: string }) => d.model === m)?.kind;
      expect([kind("claude-haiku-4-5"), kind("gpt-4o-mini"), kind("gpt-5")]).toEqual(["admin", "removed", "removed"]);
      expect(kind("grok-4")).toBe("new");
      expect(status.summary.new).toBeGreaterThan(1000);
    },
  );
});
