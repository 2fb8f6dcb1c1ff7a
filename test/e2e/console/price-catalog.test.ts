// The console's price catalog: /admin/pricing marks each price's source (catalog or admin) and links
// to /admin/pricing/catalog, which shows the diff a newer catalog brings (filtered by kind) and
// applies the ticked models, then all; an admin's price stays through "apply all".
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_CATALOG } from "../../../src/catalog/catalog";
import { consoleSession } from "../../support/console";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, removeDir, startServer, tempDir, type Server } from "../../support/server";

setDefaultTimeout(30_000);

const dir = tempDir();
let server: Server;
let admin: Awaited<ReturnType<typeof consoleSession>>;

beforeAll(async () => {
  // first start on the built-in catalog, one admin price, then the "newer binary"
  server = await startServer({ dataDir: dir });
  const api = client(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
  expectReply(await api.post("/api/pricing/", { model: "gpt-4o", input: "2", output: "8" }), 201);
  await server.stop();
  const entries = BUILTIN_CATALOG.entries.map((e) =>
    e.model === "gpt-4o" || e.model === "o3" ? { ...e, input: 1_000_000 } : e,
  );
  entries.push({ model: "zz-new-a", provider: "openai", id: "zz-new-a", input: 1_000_000 });
  entries.push({ model: "zz-new-b", provider: "openai", id: "zz-new-b", per_call: 40_000 });
  const file = join(dir, "newer.json");
  writeFileSync(file, JSON.stringify({ ...BUILTIN_CATALOG, version: "console-newer", entries }));
  server = await startServer({ dataDir: dir, env: { APIYI_TEST_PRICE_CATALOG: file } });
  admin = await consoleSession(server.url, "admin", ADMIN_PASSWORD);
});

afterAll(async () => {
  await server?.stop();
  removeDir(dir);
});

test("/admin/pricing marks the source of each price and says how much the catalog would change", async () => {
  const mine = await admin.page("/admin/pricing?keyword=gpt-4o-mini");
  expect(mine.text).toContain(
    '<span class="badge info" title="from the price catalog this binary carries">catalog</span>',
  );
  const edited = await admin.page("/admin/pricing?keyword=gpt-4o");
  expect(edited.text).toContain('title="set by an admin: catalog updates never replace it">admin</span>');
  expect(edited.text).toContain('href="/admin/pricing/catalog">Catalog (3 to apply)</a>');
  expect(edited.text).toMatch(/Page 1 of \d+ · \d+ of [\d,]+ models match/);
});

test("the catalog page lists each difference by kind; ticked models apply, then all; the admin's price stays", async () => {
  const page = await admin.page("/admin/pricing/catalog");
  expect(page.status).toBe(200);
  expect(page.text).toContain("Catalog console-newer");
  expect(page.text).toContain("would add 2 new models and change 1 catalog prices; 1 admin prices and 0 removals");
  expect(page.text).toContain("Apply all (3)");
  for (const m of ["gpt-4o", "o3", "zz-new-a", "zz-new-b"]) expect(page.text).toContain(`value="${m}"`);
  const onlyNew = await admin.page("/admin/pricing/catalog?kind=new");
  expect(onlyNew.text).toContain('value="zz-new-a"');
  expect(onlyNew.text).not.toContain('value="o3"');

  const ticked = await admin.act("POST", "/admin/pricing/catalog/apply", { scope: "picked", model: ["zz-new-b"] });
  expect(admin.toast(ticked)).toBe("Applied the catalog to 1 model");
  expect(ticked.headers.get("hx-redirect")).toBe("/admin/pricing/catalog");
  const none = await admin.act("POST", "/admin/pricing/catalog/apply", { scope: "picked" });
  expect(admin.toast(none)).toContain("name at least one model");

  const rest = await admin.act("POST", "/admin/pricing/catalog/apply", { scope: "all" });
  expect(admin.toast(rest)).toBe("Applied the catalog to 2 models");
  const api = client(server.url, await login(server.url, "admin", ADMIN_PASSWORD));
  const prices = new Map(
    (
      expectReply(await api.get("/api/pricing/"), 200).items as {
        model: string;
        input: string | null;
        per_call: string | null;
        source: string;
      }[]
    ).map((p) => [p.model, p]),
  );
  expect(prices.get("zz-new-b")).toMatchObject({ per_call: "0.04", source: "catalog" });
  expect(prices.get("zz-new-a")).toMatchObject({ input: "1", source: "catalog" });
  expect(prices.get("o3")).toMatchObject({ input: "1", source: "catalog" });
  expect(prices.get("gpt-4o")).toMatchObject({ input: "2", source: "admin" });
  const after = await admin.page("/admin/pricing/catalog");
  expect(after.text).toContain("Apply all (0)");
  expect(after.text).toContain("Last applied in full: console-newer");
});
