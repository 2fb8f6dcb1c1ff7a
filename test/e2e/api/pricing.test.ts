// Model prices through HTTP and the CLI: GET /api/pricing/ (any signed-in user) lists the shipped list
// prices as exact decimal strings with API易's multipliers and the groups that serve each model;
// admins create/replace (POST) and remove (DELETE) prices, with 422s naming the field; a removed
// seeded price stays removed across a restart; `apiyi price set|list` on a data dir, one-line exit-2
// errors naming the flag, and a CLI price reaching a running server (and its relay) within 1 s.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectInvalid, expectReply, expectOneLineError } from "../../support/expect";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import {
  ADMIN_PASSWORD,
  call,
  cli,
  client,
  login,
  makeUser,
  removeDir,
  scratchDirs,
  startServer,
  useServer,
  type Auth,
} from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
const newDir = scratchDirs("apiyi-pricing-");
let mock: MockUpstream;
let adminAuth: Auth;
let admin: ReturnType<typeof client>;
let bob: Awaited<ReturnType<typeof makeUser>>;

type PriceView = {
  model: string;
  input: string | null;
  output: string | null;
  cached_input: string | null;
  cache_write: string | null;
  per_call: string | null;
  video: { per_second: string | null; per_video: string | null } | null;
  model_ratio: number | null;
  completion_ratio: number | null;
  groups: string[];
};

async function prices(api = bob.api): Promise<Map<string, PriceView>> {
  const data = expectReply(await api.get("/api/pricing/"), 200);
  expect(Array.isArray(data.items)).toBe(true);
  return new Map((data.items as PriceView[]).map((p) => [p.model, p]));
}

/** Exact ratio of two ≤6-decimal strings, as a double: (a ÷ b). */
const micros = (usd: string) => {
  const [w, f = ""] = usd.split(".");
  return Number(w) * 1_000_000 + Number(f.padEnd(6, "0"));
};

beforeAll(async () => {
  mock = startMockUpstream({ models: ["cli-live-model"] });
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  bob = await makeUser(app.url, adminAuth, "bob");
});

afterAll(() => mock?.stop());

describe("GET /api/pricing/", () => {
  test("anonymous: 401", async () => {
    expectReply(await call(app.url, "GET", "/api/pricing/"), 401);
    expectReply(await call(app.url, "GET", "/api/pricing"), 401);
  });

  test("any signed-in user reads the seeded list prices as decimal strings", async () => {
    const all = await prices();
    expect(all.get("gpt-4o-mini")).toMatchObject({
      input: "0.15",
      output: "0.6",
      cached_input: "0.075",
      per_call: null,
    });
    expect(all.get("claude-sonnet-4-5")).toMatchObject({
      input: "3",
      output: "15",
      cached_input: "0.3",
      cache_write: "3.75",
      per_call: null,
    });
    // Anthropic's cache writes cost 1.25 × input; elsewhere a cache write is billed as input
    expect(all.get("claude-opus-4-1")).toMatchObject({ input: "15", cache_write: "18.75" });
    expect(all.get("gpt-4o-mini")).toMatchObject({ cache_write: "0.15" });
    expect(all.get("text-embedding-3-small")).toMatchObject({ input: "0.02", output: null, per_call: null });
    expect(all.get("dall-e-3")).toMatchObject({ input: null, output: null, per_call: "0.04" });
    // Google, DeepSeek and a second image model are there too
    for (const model of ["gemini-2.5-flash", "deepseek-chat", "gpt-image-1"]) expect(all.has(model)).toBe(true);
    // the spelling without the slash, and an admin, read the same list
    expect(expectReply(await bob.api.get("/api/pricing"), 200).items).toEqual([...all.values()]);
    expect([...(await prices(admin)).keys()].sort()).toEqual([...all.keys()].sort());
  });

  test("every price field is null or a plain decimal string; cached input and cache write default to the input price", async () => {
    for (const p of (await prices()).values()) {
      for (const f of ["input", "output", "cached_input", "cache_write", "per_call"] as const) {
        if (p[f] !== null) expect(p[f]).toMatch(/^\d+(\.\d{1,6})?$/);
      }
      if (p.input === null) expect([p.cached_input, p.cache_write]).toEqual([null, null]);
      expect(p.input !== null || p.output !== null || p.per_call !== null || p.video !== null).toBe(true);
    }
    expect((await prices()).get("text-embedding-3-small")).toMatchObject({ cached_input: "0.02", cache_write: "0.02" });
  });

  test("API易's multipliers: model_ratio = input ÷ 2, completion_ratio = output ÷ input", async () => {
    const all = await prices();
    expect(all.get("gpt-4o-mini")).toMatchObject({ model_ratio: 0.075, completion_ratio: 4 });
    expect(all.get("claude-sonnet-4-5")).toMatchObject({ model_ratio: 1.5, completion_ratio: 5 });
    expect(all.get("dall-e-3")).toMatchObject({ model_ratio: null, completion_ratio: null });
    for (const p of all.values()) {
      if (p.input === null) continue;
      expect(p.model_ratio).toBeCloseTo(micros(p.input) / 2 / 1_000_000, 12);
      if (p.output !== null && micros(p.input) > 0)
        expect(p.completion_ratio).toBeCloseTo(micros(p.output) / micros(p.input), 12);
    }
  });

  test("the groups that serve each model: a channel in two groups shows both", async () => {
    for (const name of ["pg-east", "pg-west", "pg-idle"]) expectReply(await admin.post("/api/group/", { name }), 201);
    expectReply(await admin.post("/api/pricing/", { model: "twin-model", input: "1", output: "2" }), 201);
    expect((await prices()).get("twin-model")!.groups).toEqual([]);
    expectReply(
      await admin.post("/api/channel/", {
        name: "twin",
        base_url: mock.url,
        key: "sk-up-twin",
        models: ["twin-model", "gpt-4o-mini"],
        group: ["pg-west", "pg-east"],
      }),
      201,
    );
    const all = await prices();
    expect([...all.get("twin-model")!.groups].sort()).toEqual(["pg-east", "pg-west"]);
    expect(all.get("gpt-4o-mini")!.groups).toContain("pg-east");
    expect(all.get("gpt-4o-mini")!.groups).toContain("pg-west");
    expect(all.get("gpt-4o-mini")!.groups).not.toContain("pg-idle");
    // a seeded model no channel serves
    expect(all.get("claude-opus-4-1")!.groups).toEqual([]);
  });
});

describe("POST /api/pricing/ and DELETE /api/pricing/:model", () => {
  test("a user: 403; anonymous: 401; nothing written", async () => {
    expectReply(await bob.api.post("/api/pricing/", { model: "bob-model", input: "1", output: "1" }), 403);
    expectReply(await bob.api.del("/api/pricing/gpt-4o"), 403);
    expectReply(await call(app.url, "POST", "/api/pricing/", { model: "anon-model", input: "1" }), 401);
    expectReply(await call(app.url, "DELETE", "/api/pricing/gpt-4o"), 401);
    const all = await prices();
    expect(all.has("bob-model")).toBe(false);
    expect(all.has("anon-model")).toBe(false);
    expect(all.has("gpt-4o")).toBe(true);
  });

  test("creates (201) with exact decimals, then replaces the whole price", async () => {
    const created = expectReply(
      await admin.post("/api/pricing/", { model: "new-model", input: "1.1", output: 4.4, cached_input: "0.000001" }),
      201,
    );
    expect(created).toMatchObject({
      model: "new-model",
      input: "1.1",
      output: "4.4",
      cached_input: "0.000001",
      per_call: null,
      model_ratio: 0.55,
      completion_ratio: 4,
    });
    expect((await prices()).get("new-model")).toMatchObject({
      input: "1.1",
      output: "4.4",
      cached_input: "0.000001",
      per_call: null,
    });

    const replaced = expectReply(await admin.post("/api/pricing/", { model: "new-model", per_call: "0.015" }), 201);
    expect(replaced).toMatchObject({
      model: "new-model",
      input: null,
      output: null,
      cached_input: null,
      per_call: "0.015",
    });
    expect((await prices()).get("new-model")).toMatchObject({
      input: null,
      output: null,
      cached_input: null,
      per_call: "0.015",
      model_ratio: null,
    });

    // both kinds at once, and cached input left to default to the input price
    expectReply(
      await admin.post("/api/pricing/", { model: "new-model", input: "2", output: "8", per_call: "0.04" }),
      201,
    );
    expect((await prices()).get("new-model")).toMatchObject({
      input: "2",
      output: "8",
      cached_input: "2",
      per_call: "0.04",
      model_ratio: 1,
      completion_ratio: 4,
    });
    // an edit of a seeded price
    expectReply(await admin.post("/api/pricing/", { model: "gpt-4o", input: "2.75", output: "11" }), 201);
    expect((await prices()).get("gpt-4o")).toMatchObject({ input: "2.75", output: "11", cached_input: "2.75" });
  });

  test("cache_write: exact decimals, replaced with the price, defaulting to the input price", async () => {
    const created = expectReply(
      await admin.post("/api/pricing/", {
        model: "cw-model",
        input: "3",
        output: "15",
        cached_input: "0.3",
        cache_write: "3.75",
      }),
      201,
    );
    expect(created).toMatchObject({ input: "3", cached_input: "0.3", cache_write: "3.75" });
    expect((await prices()).get("cw-model")).toMatchObject({
      input: "3",
      output: "15",
      cached_input: "0.3",
      cache_write: "3.75",
    });
    // a number, the smallest step, and zero
    expect(
      expectReply(await admin.post("/api/pricing/", { model: "cw-model", input: "3", cache_write: 0.000001 }), 201)
        .cache_write,
    ).toBe("0.000001");
    expect(
      expectReply(await admin.post("/api/pricing/", { model: "cw-model", input: "3", cache_write: "0" }), 201)
        .cache_write,
    ).toBe("0");
    // left out, null or "": the input price (a replace drops the old one)
    for (const cache_write of [undefined, null, ""]) {
      expectReply(
        await admin.post("/api/pricing/", { model: "cw-model", input: "2.5", output: "10", cache_write }),
        201,
      );
      expect({ cache_write, got: (await prices()).get("cw-model")!.cache_write }).toEqual({ cache_write, got: "2.5" });
    }
    // per-call only: no token prices at all
    expect(
      expectReply(await admin.post("/api/pricing/", { model: "cw-model", per_call: "0.01", cache_write: "1" }), 201),
    ).toMatchObject({ input: null, cache_write: "1" });
    expectReply(await admin.del("/api/pricing/cw-model"), 200);
    for (const bad of ["1.1234567", "-1", "abc", "1e3", true, "1,5"]) {
      const r = await admin.post("/api/pricing/", { model: "cw-bad", input: "1", cache_write: bad });
      expectInvalid(r, "cache_write");
    }
    expect((await prices()).has("cw-bad")).toBe(false);
  });

  test("validation: 422 naming the field, nothing written", async () => {
    expectInvalid(await admin.post("/api/pricing/", { model: "bad-model" }), "input");
    expectInvalid(
      await admin.post("/api/pricing/", { model: "bad-model", input: null, output: null, per_call: null }),
      "input",
    );
    expectInvalid(await admin.post("/api/pricing/", { model: "bad-model", input: "1.1234567" }), "input");
    expectInvalid(await admin.post("/api/pricing/", { model: "bad-model", output: "0.0000001" }), "output");
    expectInvalid(
      await admin.post("/api/pricing/", { model: "bad-model", input: "1", cached_input: "0.1234567" }),
      "cached_input",
    );
    expectInvalid(await admin.post("/api/pricing/", { model: "bad-model", per_call: "-0.01" }), "per_call");
    expectInvalid(await admin.post("/api/pricing/", { model: "bad-model", input: -1 }), "input");
    expectInvalid(await admin.post("/api/pricing/", { model: "bad-model", output: "abc" }), "output");
    expectInvalid(await admin.post("/api/pricing/", { model: "bad-model", input: "1e3" }), "input");
    expectInvalid(await admin.post("/api/pricing/", { model: "bad-model", per_call: true }), "per_call");
    expectInvalid(await admin.post("/api/pricing/", { model: "bad-model", input: "1", output: "1,5" }), "output");
    expectInvalid(await admin.post("/api/pricing/", { input: "1" }), "model");
    expectInvalid(await admin.post("/api/pricing/", { model: "  ", input: "1" }), "model");
    expect((await prices()).has("bad-model")).toBe(false);
  });

  test("DELETE: an unknown model is 404; a price is removed", async () => {
    expectReply(await admin.del("/api/pricing/no-such-model"), 404);
    expectReply(await admin.post("/api/pricing/", { model: "doomed/model:v1", input: "1" }), 201);
    expect((await prices()).has("doomed/model:v1")).toBe(true);
    expectReply(await admin.del(`/api/pricing/${encodeURIComponent("doomed/model:v1")}`), 200);
    expect((await prices()).has("doomed/model:v1")).toBe(false);
    expectReply(await admin.del(`/api/pricing/${encodeURIComponent("doomed/model:v1")}`), 404);
  });
});

describe("seeded prices across a restart", () => {
  test("a deleted seeded price does not come back; an edited one keeps the edit", async () => {
    const dataDir = newDir();
    let server = await startServer({ dataDir });
    try {
      let auth = await login(server.url, "admin", ADMIN_PASSWORD);
      let api = client(server.url, auth);
      expectReply(await api.del("/api/pricing/gpt-4.1-nano"), 200);
      expectReply(await api.post("/api/pricing/", { model: "claude-haiku-4-5", input: "0.9", output: "4.5" }), 201);
      expect(await server.stop()).toBe(0);

      server = await startServer({ dataDir });
      auth = await login(server.url, "admin", ADMIN_PASSWORD);
      api = client(server.url, auth);
      const items = expectReply(await api.get("/api/pricing/"), 200).items as PriceView[];
      const byModel = new Map(items.map((p) => [p.model, p]));
      expect(byModel.has("gpt-4.1-nano")).toBe(false);
      expect(byModel.get("claude-haiku-4-5")).toMatchObject({ input: "0.9", output: "4.5" });
      expect(byModel.has("gpt-4o-mini")).toBe(true);
    } finally {
      await server.stop();
      removeDir(dataDir);
    }
  });
});

describe("apiyi price set / price list", () => {
  let cwd: string;
  beforeAll(() => {
    cwd = newDir(); // any default ./data lands here, never in the repository
  });
  const run = (args: string[]) => cli(args, { cwd });

  test("set prints the price; list prints it as model, input, output, cached, per call, cache write", async () => {
    const dir = newDir();
    const set = await run(["price", "set", "--model", "m", "--input", "1.5", "--output", "3", "--data-dir", dir]);
    expect({ code: set.code, stderr: set.stderr }).toEqual({ code: 0, stderr: "" });
    expect(set.stdout).toContain("m");
    expect(set.stdout).toContain("1.5");
    expect(set.stdout).toContain("3");

    const set2 = await run(["price", "set", "--model", "img", "--per-call", "0.04", "--data-dir", dir]);
    expect(set2.code).toBe(0);

    const list = await run(["price", "list", "--data-dir", dir]);
    expect(list.code).toBe(0);
    const lines = list.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    // the last column is the cache write price (the input price when not set)
    expect(lines).toContainEqual(["m", "1.5", "3", "1.5", "-", "1.5"]);
    expect(lines).toContainEqual(["img", "-", "-", "-", "0.04", "-"]);

    // replace through the CLI
    const replaced = await run([
      "price",
      "set",
      "--model",
      "m",
      "--input",
      "2",
      "--cached-input",
      "0.5",
      "--cache-write",
      "2.5",
      "--data-dir",
      dir,
    ]);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain("cache write 2.5");
    const again = (await run(["price", "list", "--data-dir", dir])).stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    expect(again).toContainEqual(["m", "2", "-", "0.5", "-", "2.5"]);
  });

  test("bad values: exit 2, one line naming the flag, nothing written", async () => {
    const dir = newDir();
    const bad: [string[], string][] = [
      [["--input", "abc"], "--input"],
      [["--input", "1", "--output", "1.1234567"], "--output"],
      [["--input", "1", "--cached-input=-1"], "--cached-input"],
      [["--input", "1", "--cache-write", "1.2.3"], "--cache-write"],
      [["--input", "1", "--cache-write=-0.5"], "--cache-write"],
      [["--per-call", "1.2.3"], "--per-call"],
      [["--input", "1", "--hold-cap", "lots"], "--hold-cap"],
      [[], "--input"], // no price at all
    ];
    for (const [flags, name] of bad) {
      expectOneLineError(await run(["price", "set", "--model", "bad", ...flags, "--data-dir", dir]), name);
    }
    expectOneLineError(await run(["price", "set", "--input", "1", "--data-dir", dir]), "--model");
    const list = await run(["price", "list", "--data-dir", dir]);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toMatch(/^bad\t/m);
  });

  test("a price set while a server runs on the data dir reaches it (API and relay) within 1 s", async () => {
    // a channel for the model, and a user key: unpriced, the call is refused
    expectReply(
      await admin.post("/api/channel/", {
        name: "live",
        base_url: mock.url,
        key: "sk-up-live",
        models: ["cli-live-model"],
        group: ["default"],
      }),
      201,
    );
    const key = expectReply(await bob.api.post("/api/token/", { name: "live", unlimited_quota: true }), 201)
      .key as string;
    expectReply(await admin.post(`/api/user/${bob.id}/topup`, { quota: 1_000_000 }), 200);
    const ask = () =>
      fetch(`${app.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "cli-live-model", messages: [{ role: "user", content: "hi" }] }),
      });
    const refused = await ask();
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("model_price_not_set");
    expect((await prices()).has("cli-live-model")).toBe(false);

    const r = await run([
      "price",
      "set",
      "--model",
      "cli-live-model",
      "--input",
      "2",
      "--output",
      "4",
      "--data-dir",
      app.server.dataDir,
    ]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const written = Date.now();

    let seen: PriceView | undefined;
    while (!seen && Date.now() - written < 1000) {
      seen = (await prices()).get("cli-live-model");
      if (!seen) await Bun.sleep(20);
    }
    expect(seen).toMatchObject({ input: "2", output: "4", groups: ["default"] });

    let status = 0;
    while (Date.now() - written < 1000) {
      const res = await ask();
      status = res.status;
      await res.arrayBuffer();
      if (status === 200) break;
      await Bun.sleep(20);
    }
    expect(status).toBe(200);
  });
});
