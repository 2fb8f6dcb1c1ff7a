// The console's /groups and /pricing pages over HTTP: groups a user may pick (admins: all, with the
// user-pickable ones marked), each with its multiplier and the models its enabled channels serve;
// every priced model with its prices, API易 multipliers, billing types and serving groups, 50 a page;
// the GET `q` search, paged too; escaping; and the sign-in redirect for anonymous visitors.
import { beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import {
  ADMIN_PASSWORD,
  client,
  login,
  makeUser,
  removeDir,
  startServer,
  tempDir,
  useServer,
  type Auth,
} from "../../support/server";

const app = useServer();
let admin: Auth;
let bob: Awaited<ReturnType<typeof makeUser>>;

const { page } = consoleHttp(app);

/** The HTML of one element found by its id (up to the matching close of `tag`; no nesting of `tag` inside). */
const section = (html: string, id: string, tag = "article") => {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) return "";
  return html.slice(start, html.indexOf(`</${tag}>`, start));
};

/** The table row of a model on /pricing. */
const priceRow = (html: string, model: string) => {
  const m = new RegExp(`<tr><td class="name">${model.replace(/[.]/g, "\\.")}</td>.*?</tr>`).exec(html);
  return m ? m[0] : "";
};

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const api = client(app.url, admin);
  bob = await makeUser(app.url, admin, "bob");
  expectReply(
    await api.post("/api/group/", {
      name: "vip",
      description: "Fast lane <b>now</b>",
      multiplier: "1.4",
      selectable: true,
    }),
    201,
  );
  expectReply(
    await api.post("/api/group/", {
      name: "staff",
      description: "Internal only",
      multiplier: "0.5",
      selectable: false,
    }),
    201,
  );
  expectReply(
    await api.post("/api/group/", { name: "empty", description: "", multiplier: "2", selectable: true }),
    201,
  );
  const channel = (name: string, models: string[], group: string[], status?: number) =>
    api.post("/api/channel/", {
      name,
      base_url: "http://127.0.0.1:9",
      key: `sk-up-${name}`,
      models,
      group,
      ...(status ? { status } : {}),
    });
  expectReply(await channel("main", ["gpt-4o-mini", "claude-sonnet-4-5", "dall-e-3"], ["default", "vip"]), 201);
  expectReply(await channel("internal", ["gpt-4o", "secret-model"], ["staff"]), 201);
  const off = expectReply(await channel("off", ["gpt-5"], ["vip"]), 201);
  expectReply(await api.put("/api/channel/?status_only=true", { id: off.id, status: 2 }), 200);
});

test("anonymous visitors are sent to sign in from /groups, /pricing and /account", async () => {
  for (const path of ["/groups", "/pricing?q=gpt", "/account"]) {
    const r = await page(path, {});
    expect(r.status).toBe(302);
    expect(r.location).toBe(`/login?next=${encodeURIComponent(path)}`);
  }
});

test("/groups for a user: the groups they may pick, each with description, multiplier and its models", async () => {
  const r = await page("/groups", bob.auth);
  expect(r.status).toBe(200);
  expect(r.text).toContain("<title>Groups · apiyi</title>");
  const vip = section(r.text, "group-vip");
  expect(vip).toContain("×1.4");
  expect(vip).toContain("Fast lane &lt;b&gt;now&lt;/b&gt;"); // escaped
  expect(vip).toContain("you can pick it");
  expect(vip).toMatch(/<details class="models"><summary>3 models<\/summary>/);
  for (const m of ["gpt-4o-mini", "claude-sonnet-4-5", "dall-e-3"])
    expect(vip).toContain(`href="/pricing?q=${m}">${m}</a>`);
  expect(vip).not.toContain("gpt-5"); // its only channel there is disabled
  expect(section(r.text, "group-default")).toContain("3 models");
  expect(section(r.text, "group-empty")).toContain("No models yet");
  expect(r.text).not.toContain('id="group-staff"'); // not selectable: users do not see it
  expect(r.text).not.toContain("secret-model");
});

test("/groups for an admin: every group, with the ones users can pick marked", async () => {
  const r = await page("/groups", admin);
  const staff = section(r.text, "group-staff");
  expect(staff).toContain("×0.5");
  expect(staff).toContain("admins only");
  expect(staff).toContain("2 models");
  expect(staff).toContain("secret-model");
  expect(section(r.text, "group-vip")).toContain("users can pick it");
  expect(section(r.text, "group-default")).toContain("users can pick it");
  expect(r.text).toContain("As an admin you may pick any group");
});

test("/pricing: prices per 1M, per-call prices, API易 multipliers, billing types and serving groups", async () => {
  const r = await page("/pricing?q=gpt-4o-mini", bob.auth);
  expect(r.status).toBe(200);
  expect(r.text).toContain("<title>Pricing · apiyi</title>");
  const mini = priceRow(r.text, "gpt-4o-mini");
  // input, cached, cache write (= input when not set), output, per call, model ratio (input ÷ 2), completion ratio (output ÷ input)
  expect(mini).toContain("<td>$0.15</td><td>$0.075</td><td>$0.15</td><td>$0.60</td><td>—</td><td>0.075</td><td>4</td>");
  expect(mini).toContain("by tokens");
  expect(mini).not.toContain("per call");
  expect(mini).toContain('<span class="chip" title="price multiplier of this group">default ×1</span>');
  expect(mini).toContain("vip ×1.4");
  const dalle = priceRow((await page("/pricing?q=dall-e-3", bob.auth)).text, "dall-e-3");
  expect(dalle).toContain("<td>—</td><td>—</td><td>—</td><td>—</td><td>$0.04</td><td>—</td><td>—</td>");
  expect(dalle).toContain("per call");
  // the catalog's Claude prices carry Anthropic's cache write price (1.25 × input)
  const claude = (await page("/pricing?q=claude-sonnet-4-5", bob.auth)).text;
  expect(priceRow(claude, "claude-sonnet-4-5")).toContain("<td>$3.00</td><td>$0.30</td><td>$3.75</td><td>$15.00</td>");
  expect(claude).toContain("Cache write / 1M</th>");
  // a group the user cannot pick is shown muted; a priced model nobody serves says so
  expect(priceRow((await page("/pricing?q=gpt-4o", bob.auth)).text, "gpt-4o")).toContain('class="chip muted"');
  expect(priceRow((await page("/pricing?q=o3", bob.auth)).text, "o3")).toContain("not served now");
  expect(r.text).toMatch(/[\d,]+ of [\d,]+ models match/);
});

test("/pricing?q= filters by model or group name, and says when nothing matches", async () => {
  const claude = await page("/pricing?q=CLAUDE-SONNET-4-5", bob.auth);
  expect(priceRow(claude.text, "claude-sonnet-4-5")).not.toBe("");
  expect(priceRow(claude.text, "gpt-4o-mini")).toBe("");
  expect(claude.text).toMatch(/[\d,]+ of [\d,]+ models match “CLAUDE-SONNET-4-5”/);
  expect(claude.text).toContain('value="CLAUDE-SONNET-4-5"');

  const byGroup = await page("/pricing?q=vip", bob.auth);
  expect(priceRow(byGroup.text, "gpt-4o-mini")).not.toBe("");
  expect(priceRow(byGroup.text, "o3")).toBe("");

  const none = await page(`/pricing?q=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`, bob.auth);
  expect(none.status).toBe(200);
  expect(none.text).toContain("No model matches “&quot;&gt;&lt;img src=x onerror=alert(1)&gt;”");
  expect(none.text).toContain('value="&#34;><img'); // stays inside the attribute
  expect(none.text).not.toContain('"><img');
});

/** The model names of a /pricing page's rows, in order. */
const rowModels = (html: string) => [...html.matchAll(/<tr><td class="name">([^<]*)<\/td>/g)].map((m) => m[1]);

test("/pricing shows every priced model 50 a page, and pages a search too", async () => {
  const prices = expectReply(await client(app.url, admin).get("/api/pricing/"), 200).items as { model: string }[];
  const total = prices.length;
  expect(total).toBeGreaterThan(1000);
  const pages = Math.ceil(total / 50);
  const n = (x: number) => x.toLocaleString("en-US"); // counts are grouped: "2,588 models"
  const first = await page("/pricing", bob.auth);
  expect(first.text).toContain(`${n(total)} models</p>`);
  expect(first.text).toContain(`Page 1 of ${n(pages)} · ${n(total)} models`);
  expect(first.text).toContain('href="/pricing?p=2"');
  const second = await page("/pricing?p=2", bob.auth);
  // in model order, each page its own 50, the last the rest
  expect(rowModels(first.text)).toEqual(prices.slice(0, 50).map((p) => p.model));
  expect(rowModels(second.text)).toEqual(prices.slice(50, 100).map((p) => p.model));
  expect(rowModels((await page(`/pricing?p=${pages}`, bob.auth)).text)).toHaveLength(total - (pages - 1) * 50);
  expect((await page(`/pricing?p=${pages + 1}`, bob.auth)).text).toContain("past the last one");

  const gpt = prices.filter((p) => p.model.toLowerCase().includes("gpt"));
  expect(gpt.length).toBeGreaterThan(50);
  const s1 = await page("/pricing?q=gpt", bob.auth);
  expect(s1.text).toContain(`${n(gpt.length)} of ${n(total)} models match “gpt”`);
  expect(rowModels(s1.text)).toEqual(gpt.slice(0, 50).map((p) => p.model));
  expect(s1.text).toContain('href="/pricing?q=gpt&p=2"');
  const s2 = await page("/pricing?q=gpt&p=2", bob.auth);
  expect(rowModels(s2.text)).toEqual(gpt.slice(50, 100).map((p) => p.model));
  expect((await page("/pricing?p=0", bob.auth)).status).not.toBe(500);
});

// Issue 10 item 20: the seeded default group once said "Default group: every model", untrue as soon as
// a channel serves fewer. A new server seeds a truthful text, and one that still has the old seed
// (never edited by an admin) has it replaced at start; an edited description is kept.
test("the default group's description does not claim every model, on a new server or an old one", async () => {
  type Groups = { items: { name: string; description: string }[] };
  const defaultOf = (data: Groups) => data.items.find((g) => g.name === "default")!.description;
  expect(defaultOf(expectReply(await client(app.url, admin).get("/api/group/"), 200))).not.toContain("every model");
  const dataDir = tempDir();
  /** One server on `dataDir` for `use`, stopped afterwards whatever happens. */
  const withServer = async (use: (api: ReturnType<typeof client>) => Promise<void>) => {
    const server = await startServer({ dataDir });
    try {
      await use(client(server.url, await login(server.url, "admin", ADMIN_PASSWORD)));
    } finally {
      await server.stop();
    }
  };
  try {
    await withServer(async (api) => {
      expectReply(
        await api.put("/api/group/default", { description: "Default group: every model, multiplier 1" }),
        200,
      );
    });
    await withServer(async (api) => {
      expect(defaultOf(expectReply(await api.get("/api/group/"), 200))).toBe(
        "The group every new token uses; multiplier 1",
      );
      expectReply(await api.put("/api/group/default", { description: "Ours: every model we have" }), 200);
    });
    await withServer(async (api) => {
      expect(defaultOf(expectReply(await api.get("/api/group/"), 200))).toBe("Ours: every model we have");
    });
  } finally {
    removeDir(dataDir);
  }
}, 30_000);
