// The console's /log page and its CSV export over HTTP, after real calls through the relay to the mock
// upstream: filters narrow the rows and stay in the links, totals equal the sum of the rows (from the
// daily rollups or from the rows), keyset pages show every row once, the CSV quotes what it must, a
// user sees only their own rows, anonymous visitors sign in first, and names render as text.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { LOG_TYPE } from "../../../src/core/status";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, priceModels, useServer, chatCall } from "../../support/server";
import { parseCsv } from "../../support/csv";

setDefaultTimeout(20_000);

const mock = startMockUpstream({ models: ["m-a", "m-b"] });
const app = useServer();
afterAll(() => mock.stop());

const XSS = "<img src=x onerror=alert(1)>";
const COMMA_QUOTE = 'a,b"c';

type ApiRow = {
  id: number;
  type: number;
  request_id: string;
  token_name: string;
  model_name: string;
  group: string;
  prompt_tokens: number;
  completion_tokens: number;
  quota: number;
  created_at_ms: number;
};
let alice: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;
let adminAuth: Awaited<ReturnType<typeof login>>;
/** alice's rows as the management API gives them (the ground truth), newest first */
let rows: ApiRow[] = [];
const ids: Record<string, string> = {};
const today = new Date().toISOString().slice(0, 10);

async function chat(key: string, model: string, stream = false) {
  const res = await chatCall(app.url, key, model, { stream });
  await res.text();
  return res.headers.get("x-request-id")!;
}

const { page } = consoleHttp(app, { as: () => alice.auth });

const decode = (s: string) =>
  s
    .replaceAll("&amp;", "&")
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&#39;", "'");
const shownIds = (html: string) => [...html.matchAll(/<tr class="type-\w+" id="log-(\d+)"/g)].map((m) => Number(m[1]));
const link = (html: string, label: string) => {
  const m = new RegExp(`<a href="([^"]+)">${label}</a>`).exec(html);
  return m ? decode(m[1]) : null;
};
function totals(html: string) {
  const m = /<p class="log-totals"([^>]*)>/.exec(html)!;
  const attr = (k: string) => Number(new RegExp(`data-${k}="(-?\\d+)"`).exec(m[1])?.[1] ?? NaN);
  return { count: attr("count"), tokens: attr("tokens"), quota: attr("quota") };
}
const isCall = (r: ApiRow) => r.type === LOG_TYPE.consume || r.type === LOG_TYPE.error;
const sums = (list: ApiRow[]) => {
  const calls = list.filter(isCall);
  return {
    count: calls.length,
    tokens: calls.reduce((a, r) => a + r.prompt_tokens + r.completion_tokens, 0),
    quota: calls.reduce((a, r) => a + r.quota, 0),
  };
};

beforeAll(async () => {
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, adminAuth);
  expectReply(await admin.post("/api/group/", { name: "vip", multiplier: 1 }), 201);
  expectReply(
    await admin.post("/api/channel/", {
      name: "a",
      base_url: mock.url,
      key: "sk-up",
      models: "m-a,m-b",
      group: "default",
    }),
    201,
  );
  expectReply(
    await admin.post("/api/channel/", { name: "v", base_url: mock.url, key: "sk-up", models: "m-b", group: "vip" }),
    201,
  );
  await priceModels(app.url, adminAuth, "m-a,m-b");
  alice = await makeUser(app.url, adminAuth, "alice");
  bob = await makeUser(app.url, adminAuth, "bob");
  expectReply(await admin.post(`/api/user/${alice.id}/topup`, { quota: 5_000_000 }), 200);
  expectReply(await admin.post(`/api/user/${alice.id}/adjust`, { delta: -1_000, reason: "correction" }), 200);
  expectReply(await admin.put("/api/user/", { id: bob.id, unlimited: true }), 200);
  const key = async (who: typeof alice, name: string, group = "default") =>
    expectReply(await who.api.post("/api/token/", { name, unlimited_quota: true, group }), 201).key as string;
  const one = await key(alice, "one");
  const two = await key(alice, "two", "vip");
  const cq = await key(alice, COMMA_QUOTE);
  const xss = await key(alice, XSS);
  const bobKey = await key(bob, "bobtok");

  ids.a1 = await chat(one, "m-a");
  mock.set({ completionTokens: 50 });
  ids.b1 = await chat(one, "m-b");
  mock.set({ completionTokens: 120, promptTokens: 30 });
  ids.s1 = await chat(one, "m-a", true);
  mock.set({ completionTokens: 7, promptTokens: 10 });
  ids.b2 = await chat(two, "m-b");
  ids.c1 = await chat(cq, "m-a");
  ids.x1 = await chat(xss, "m-a");
  ids.err = await chat(one, "nope");
  ids.bob = await chat(bobKey, "m-a");
  // 7 calls, the top-up and the adjustment; rows are written in batches
  for (let i = 0; i < 100; i++) {
    rows = expectReply(await alice.api.get("/api/log/self?pageSize=100"), 200).items;
    if (rows.length >= 9 && (await bob.api.get("/api/log/self")).body.data.total >= 1) break;
    await Bun.sleep(20);
  }
  expect(rows.length).toBe(9);
});

test("anonymous visitors are sent to sign in, and come back to the filtered page", async () => {
  const r = await page("/log?model_name=m-a", {});
  expect(r.status).toBe(302);
  expect(r.location).toBe("/login?next=%2Flog%3Fmodel_name%3Dm-a");
  expect((await page("/log.csv", {})).status).toBe(302);
});

test("the table: the user's rows newest first, each type distinct, stream tag, request ids to copy, error codes", async () => {
  const r = await page("/log");
  expect(r.status).toBe(200);
  expect(shownIds(r.text)).toEqual(rows.map((x) => x.id));
  for (const [type, tone] of [
    ["consume", "ok"],
    ["error", "bad"],
    ["top-up", "info"],
    ["admin adjustment", "warn"],
  ]) {
    expect(r.text).toContain(`<span class="badge ${tone}">${type}</span>`);
  }
  const stream = r.text.slice(r.text.indexOf(`data-copy="${ids.s1}"`) - 2000, r.text.indexOf(`data-copy="${ids.s1}"`));
  expect(stream).toContain('<span class="stream-tag">stream</span>');
  for (const id of Object.values(ids).filter((x) => x !== ids.bob)) expect(r.text).toContain(`data-copy="${id}"`);
  const err = rows.find((x) => x.request_id === ids.err)!;
  const errRow = r.text.slice(
    r.text.indexOf(`id="log-${err.id}"`),
    r.text.indexOf("</tr>", r.text.indexOf(`id="log-${err.id}"`)),
  );
  expect(errRow).toMatch(/<span class="badge bad">\d{3}<\/span> <code>[a-z_]+<\/code>/);
  expect(r.text).toContain("+$10.00"); // the top-up, in dollars
  expect(r.text).toContain("-$0.002"); // the adjustment
  const first = rows[0];
  const iso = new Date(first.created_at_ms).toISOString();
  // the day and the time as English writes them, in the reader's zone (UTC here: budget_timezone)
  const [y, m, d] = iso.slice(0, 10).split("-");
  expect(r.text).toContain(
    `<time datetime="${iso}"><small class="muted">${m}/${d}/${y}</small> <span>${iso.slice(11, 19)}</span></time>`,
  );
});

test("filters narrow the rows, and the form, pager and CSV links keep them", async () => {
  const expectIds = async (query: string, pick: (x: ApiRow) => boolean) =>
    expect(shownIds((await page(`/log?${query}`)).text)).toEqual(rows.filter(pick).map((x) => x.id));
  await expectIds("model_name=m-b", (x) => x.model_name === "m-b");
  await expectIds("token_name=two", (x) => x.token_name === "two");
  await expectIds(`token_name=${encodeURIComponent(COMMA_QUOTE)}`, (x) => x.token_name === COMMA_QUOTE);
  await expectIds("group=vip", (x) => x.group === "vip");
  await expectIds("type=5", (x) => x.type === LOG_TYPE.error);
  await expectIds("type=1", (x) => x.type === LOG_TYPE.topup);
  await expectIds(`request_id=${ids.b1}`, (x) => x.request_id === ids.b1);
  await expectIds("model_name=m-a&token_name=one", (x) => x.model_name === "m-a" && x.token_name === "one");
  await expectIds(`from=${today}&to=${today}`, () => true);
  const none = await page("/log?from=2999-01-01");
  expect(shownIds(none.text)).toEqual([]);
  expect(none.text).toContain("Nothing matches these filters");

  const r = await page("/log?model_name=m-a&token_name=one&size=1");
  expect(r.text).toContain('name="model_name" list="log-models" maxlength="200" value="m-a"');
  expect(r.text).toContain('value="one"');
  const older = link(r.text, "Older →")!;
  expect(older).toMatch(/^\/log\?token_name=one&model_name=m-a&before=\d+&size=1$/);
  const next = await page(older);
  expect(link(next.text, "← Newer")).toMatch(/^\/log\?token_name=one&model_name=m-a&after=\d+&size=1$/);
  expect(link(next.text, "⇤ Newest")).toBe("/log?token_name=one&model_name=m-a&size=1");
  expect(r.text).toMatch(/href="\/log\.csv\?token_name=one&(amp;)?model_name=m-a"/);

  const odd = await page("/log?model_name=m-b&model_name=m-a&type=9&size=x&before=y");
  expect(odd.status).toBe(200);
  expect(odd.text).toContain("Ignored: type: unknown type");
  const byModel = (m: string) => rows.filter((x) => x.model_name === m).map((x) => x.id);
  expect([byModel("m-a"), byModel("m-b")]).toContainEqual(shownIds(odd.text)); // one of the repeated values
  const bad = await page("/log?from=2025-13-45&model_name=m-b");
  expect(bad.text).toContain("Ignored: from: not a day (YYYY-MM-DD)");
  expect(shownIds(bad.text)).toEqual(rows.filter((x) => x.model_name === "m-b").map((x) => x.id));
});

test("the totals line equals the sum of the filtered rows, from the daily rollups or from the rows", async () => {
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, "daily" | "rows"][] = [
    ["", "daily"],
    ["model_name=m-a", "daily"],
    ["token_name=one", "daily"],
    ["group=vip", "daily"],
    [`from=${today}&to=${today}`, "daily"],
    ["model_name=m-a&token_name=one", "daily"],
    // the rollups keep consume and error calls apart, so a call type's totals come from them too
    ["type=2", "daily"],
    ["type=5", "daily"],
    [`request_id=${ids.s1}`, "rows"],
    [`start_timestamp=${now - 3600}`, "rows"],
    ["token_name=no-such-token", "rows"],
  ];
  for (const [query, source] of cases) {
    const r = await page(`/log?${query}&size=100`);
    const shown = new Set(shownIds(r.text));
    expect({ query, totals: totals(r.text) }).toEqual({ query, totals: sums(rows.filter((x) => shown.has(x.id))) });
    expect(r.text).toContain(source === "daily" ? "from the daily totals" : "from the rows");
  }
  const all = totals((await page("/log")).text);
  expect(all.count).toBe(7);
  expect(all.quota).toBeGreaterThan(0);
  // a top-up filter sums the amounts added
  const topups = await page("/log?type=1");
  expect(topups.text).toContain('data-count="1" data-quota="5000000"');
  expect(topups.text).toContain("top-up rows");
});

test("keyset pages show every row exactly once, forwards and back", async () => {
  for (const filter of ["", "model_name=m-a&"]) {
    const expected = rows.filter((x) => !filter || x.model_name === "m-a").map((x) => x.id);
    const pages: number[][] = [];
    let next: string | null = `/log?${filter}size=2`;
    while (next) {
      const r = await page(next);
      pages.push(shownIds(r.text));
      expect(pages.length).toBeLessThan(20);
      next = link(r.text, "Older →");
    }
    expect(pages.flat()).toEqual(expected);
    expect(pages.slice(0, -1).every((p) => p.length === 2)).toBe(true);
    // and back: "Newer" from the last page walks the same pages in reverse
    let back = link((await page(`/log?${filter}size=2&before=${pages.at(-1)![0] + 1}`)).text, "← Newer");
    const seen = [pages.at(-1)!];
    while (back) {
      const r = await page(back);
      seen.unshift(shownIds(r.text));
      back = link(r.text, "← Newer");
    }
    expect(seen.flat()).toEqual(expected);
  }
});

test("a time range pages by time (newest first) and shows every row of it exactly once, both ways", async () => {
  const day = new Date().toISOString().slice(0, 10);
  const byTime = [...rows].sort((a, b) => b.created_at_ms - a.created_at_ms || b.id - a.id).map((x) => x.id);
  const pages: number[][] = [];
  let url: string | null = `/log?from=${day}&to=${day}&size=2`;
  let last = url;
  while (url) {
    const r = await page(url);
    pages.push(shownIds(r.text));
    expect(pages.length).toBeLessThan(20);
    last = url;
    url = link(r.text, "Older →");
  }
  expect(pages.flat()).toEqual(byTime);
  let back = link((await page(last)).text, "← Newer");
  const seen = [pages.at(-1)!];
  while (back) {
    const r = await page(back);
    seen.unshift(shownIds(r.text));
    back = link(r.text, "← Newer");
  }
  expect(seen.flat()).toEqual(byTime);
});

test("CSV export: the filtered rows, UTC ISO times, a header, quoting, an attachment", async () => {
  const res = await page("/log.csv");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="apiyi-log-\d{4}-\d\d-\d\d\.csv"$/);
  const { text } = res;
  expect(text).toContain(`,"a,b""c",`);
  const [header, ...lines] = parseCsv(text);
  expect(header).toEqual([
    "time_utc",
    "request_id",
    "type",
    "token",
    "model",
    "group",
    "stream",
    "prompt_tokens",
    "cached_tokens",
    "completion_tokens",
    "quota",
    "cost_usd",
    "duration_ms",
    "ttft_ms",
    "status_code",
    "error_code",
    "detail",
  ]);
  expect(lines.map((l) => l[1])).toEqual(rows.map((x) => x.request_id));
  expect(lines.every((l) => l.length === header.length)).toBe(true);
  for (const [i, l] of lines.entries()) {
    expect(l[0]).toBe(new Date(rows[i].created_at_ms).toISOString());
    expect(Number(l[10])).toBe(rows[i].quota);
    expect(Number(l[11]) * 500_000).toBeCloseTo(rows[i].quota, 6);
  }
  expect(lines.find((l) => l[1] === ids.c1)![3]).toBe(COMMA_QUOTE);
  expect(lines.find((l) => l[1] === ids.x1)![3]).toBe(XSS);
  expect(lines.find((l) => l[1] === ids.s1)![6]).toBe("yes");
  expect(lines.find((l) => l[2] === "top-up")![10]).toBe("5000000");

  const filtered = parseCsv((await page("/log.csv?model_name=m-b")).text).slice(1);
  expect(filtered.map((l) => l[1])).toEqual(rows.filter((x) => x.model_name === "m-b").map((x) => x.request_id));
  // the CSV's costs are the totals line's
  const callQuota = lines.filter((l) => l[2] === "consume" || l[2] === "error").reduce((a, l) => a + Number(l[10]), 0);
  expect(totals((await page("/log")).text).quota).toBe(callQuota);
});

test("a user never sees another user's rows; an admin's /log is their own", async () => {
  const mine = await page("/log");
  expect(mine.text).not.toContain(ids.bob);
  expect(mine.text).not.toContain("bobtok");
  const theirs = await page("/log", bob.auth);
  expect(shownIds(theirs.text).length).toBe(1);
  expect(theirs.text).toContain(ids.bob);
  for (const id of [ids.a1, ids.b1, ids.x1]) expect(theirs.text).not.toContain(id);
  expect(theirs.text).not.toContain("a,b&quot;c");
  expect(shownIds((await page(`/log?request_id=${ids.a1}`, bob.auth)).text)).toEqual([]);
  expect(totals((await page(`/log?token_name=one`, bob.auth)).text).count).toBe(0);
  const csv = (await page("/log.csv", bob.auth)).text;
  expect(
    parseCsv(csv)
      .slice(1)
      .map((l) => l[1]),
  ).toEqual([ids.bob]);
  const admin = await page("/log", adminAuth);
  expect(shownIds(admin.text)).toEqual([]);
  expect(admin.text).toContain("No calls yet — create a key on the");
});

test("a token named like HTML renders as text, in the table and in the filter's suggestions", async () => {
  const r = await page(`/log?token_name=${encodeURIComponent(XSS)}`);
  expect(shownIds(r.text).length).toBe(1);
  expect(r.text).toContain('<td data-label="Token" class="name">&lt;img src=x onerror=alert(1)&gt;</td>');
  // inside a quoted attribute (the filter's value, a suggestion) it is inert text; nowhere else
  const outsideAttributes = (html: string) => html.replaceAll(`value="${XSS}"`, "");
  expect(outsideAttributes(r.text)).not.toContain(XSS);
  expect(outsideAttributes((await page("/log")).text)).not.toContain(XSS);
});
