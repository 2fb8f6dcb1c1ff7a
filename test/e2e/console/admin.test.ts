// The console's admin pages over HTTP: every admin page, fragment, download and action refuses users
// (403) and anonymous visitors (sign in / 401); channels (create, edit with write-only keys,
// enable/disable, Test against the mock upstream, auto-disabled reason, delete) never show a key;
// users (create, top up with its log row, disable, tokens, delete); groups (the "still in use"
// refusal as a toast); prices (edit, delete, JSON export → import round trip, invalid entries named);
// settings drawn from the registry (save, inline validation); /admin/logs with the attempts chain
// after a failover; and names that look like HTML render as text.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { LOG_TYPE } from "../../../src/core/status";
import { SETTINGS } from "../../../src/services/settings";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, call, login, makeUser, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const mock = startMockUpstream({ models: ["adm-model"] });
const app = useServer();
afterAll(() => mock.stop());

const XSS = "<img src=x onerror=alert(1)>";
/** every upstream key this file gives a channel: no console reply may ever contain one */
const upstreamKeys: string[] = [];
const newKey = () => {
  const key = `sk-adm-${crypto.randomUUID().replaceAll("-", "")}`;
  upstreamKeys.push(key);
  return key;
};
/** the raw text of every console reply this file saw */
const seen: string[] = [];

let admin: Awaited<ReturnType<typeof login>>;
let carol: Awaited<ReturnType<typeof login>> & { id: number };

const { page, act } = consoleHttp(app, { as: () => admin, seen: (text) => seen.push(text) });

/** the body of a table row by its id attribute */
const rowOf = (html: string, id: string) => new RegExp(`<tr id="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? null;
const hex = (s: string) => Buffer.from(s).toString("hex");

async function poll<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const c = await makeUser(app.url, admin, "carol");
  carol = { id: c.id, ...c.auth };
});

describe("who may open the admin pages", () => {
  const PAGES = [
    "/admin/channels",
    "/admin/users",
    "/admin/groups",
    "/admin/pricing",
    "/admin/settings",
    "/admin/logs",
  ];
  const GETS = [
    "/admin/channels/new",
    "/admin/channels/1/edit",
    "/admin/users/new",
    "/admin/users/1/topup",
    "/admin/users/1/tokens",
    "/admin/groups/new",
    "/admin/groups/default/edit",
    "/admin/pricing/new",
    "/admin/pricing/import",
    "/admin/pricing/model/gpt-4o/edit",
    "/admin/pricing.json",
  ];
  const ACTIONS: [string, string, Record<string, string> | unknown[]][] = [
    [
      "POST",
      "/admin/channels",
      { name: "nope", base_url: "http://127.0.0.1:9/v1", key: "k", models: "m", group: "default" },
    ],
    ["POST", "/admin/channels/1", { name: "nope" }],
    ["PUT", "/admin/channels/1/status", { status: "2" }],
    ["DELETE", "/admin/channels/1", {}],
    ["POST", "/admin/channels/1/test", {}],
    ["POST", "/admin/users", { username: "mallory", password: "mallory-pass-1", role: "admin" }],
    ["PUT", "/admin/users/1/status", { status: "2" }],
    ["PUT", "/admin/users/1/unlimited", { unlimited: "1" }],
    ["POST", "/admin/users/1/topup", { amount_usd: "100" }],
    ["DELETE", "/admin/users/1", {}],
    ["POST", "/admin/groups", { name: "sneaky", multiplier: "0.01" }],
    ["POST", "/admin/groups/default", { multiplier: "0.01" }],
    ["DELETE", "/admin/groups/default", {}],
    ["POST", "/admin/pricing", { model: "free-model", input: "0" }],
    ["POST", "/admin/pricing/model/gpt-4o", { input: "0" }],
    ["DELETE", "/admin/pricing/model/gpt-4o", {}],
    ["POST", "/admin/pricing/import", [{ model: "gpt-4o", input: "0" }]],
    ["POST", "/admin/settings", { register_enabled: "1" }],
  ];

  test("anonymous visitors are sent to sign in (pages, downloads) or get 401 (htmx fragments and actions)", async () => {
    for (const path of [...PAGES, ...GETS]) {
      const r = await page(path, {});
      expect({ path, status: r.status, location: r.location }).toEqual({
        path,
        status: 302,
        location: `/login?next=${encodeURIComponent(path)}`,
      });
    }
    for (const path of GETS)
      expect({ path, status: (await page(path, {}, { "hx-request": "true" })).status }).toEqual({ path, status: 401 });
    for (const [method, path, form] of ACTIONS)
      expect({ method, path, status: (await act(method, path, form, {})).status }).toEqual({
        method,
        path,
        status: 401,
      });
  });

  test("a signed-in user gets 403 from every admin page, fragment, download and action, and changes nothing", async () => {
    for (const path of PAGES) {
      const r = await page(path, carol);
      expect({ path, status: r.status }).toEqual({ path, status: 403 });
      expect(r.text).toContain("This page is for admins.");
    }
    for (const path of GETS) {
      const r = await page(path, carol);
      expect({ path, status: r.status }).toEqual({ path, status: 403 });
      expect(r.text).toBe("admins only");
    }
    for (const [method, path, form] of ACTIONS) {
      const r = await act(method, path, form, carol);
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 403 });
    }
    const users = await page("/admin/users");
    expect(users.text).not.toContain("mallory");
    expect(rowOf(users.text, "user-1")).toContain("enabled");
    const groups = await page("/admin/groups");
    expect(groups.text).not.toContain("sneaky");
    expect(rowOf(groups.text, `group-${hex("default")}`)).toContain("×1<");
    expect((await page("/admin/pricing")).text).not.toContain("free-model");
  });

  test("admins get every page, with the admin tabs", async () => {
    for (const path of PAGES) {
      const r = await page(path);
      expect({ path, status: r.status }).toEqual({ path, status: 200 });
      expect(r.text).toContain('class="admin-tabs"');
      expect(r.text).toContain(`href="${path}" class="active"`);
    }
  });

  test("actions need the CSRF token even for admins", async () => {
    const r = await act("POST", "/admin/groups", { name: "forged", multiplier: "1" }, { ...admin, csrf: "forged" });
    expect(r.status).toBe(403);
    expect((await page("/admin/groups")).text).not.toContain(">forged<");
  });
});

describe("/admin/channels", () => {
  let id = "";
  let firstKeys: string[] = [];

  test("create in the dialog: the row appears with its key count, never a key", async () => {
    const dialog = await page("/admin/channels/new");
    expect(dialog.text).toContain("<dialog");
    expect(dialog.text).toContain('name="key"');
    expect(dialog.text).toContain('id="dialog-error"');
    firstKeys = [newKey(), newKey()];
    // priced first: a model without a price adds a warning to the toast
    for (const model of ["adm-model", "other-model"])
      await act("POST", "/admin/pricing", { model, input: "1", output: "2" });
    const r = await act("POST", "/admin/channels", {
      type: "openai",
      name: "mock-main",
      base_url: mock.url,
      key: firstKeys.join("\n"),
      models: "adm-model, other-model",
      model_mapping: "other-model=adm-model",
      group: "default",
      priority: "5",
      weight: "3",
      timeout_connect_ms: "2000",
      timeout_first_byte_ms: "5000",
      timeout_idle_ms: "6000",
    });
    expect(r.status).toBe(200);
    expect(r.trigger).toEqual({ toast: { message: "Channel created", kind: "ok" }, "close-dialog": true });
    expect(r.text).toContain('hx-swap-oob="afterbegin:#channel-rows"');
    id = /id="channel-(\d+)"/.exec(r.text)![1];
    const row = rowOf((await page("/admin/channels")).text, `channel-${id}`)!;
    expect(row).toContain("mock-main");
    expect(row).toContain("•••• 2 keys");
    expect(row).toContain("enabled");
    expect(row).toContain("2 models");
    expect(row).toContain("1 mapped");
    expect(row).toContain("5 / 3");
  });

  test("a refused save names the field in the dialog and does not echo the keys typed", async () => {
    const key = newKey();
    const bad = await act("POST", "/admin/channels", {
      name: "bad-url",
      base_url: "ftp://127.0.0.1/v1",
      key,
      models: "m",
      group: "default",
    });
    expect(bad.text).toContain('id="dialog-error"');
    expect(bad.text).toContain('hx-swap-oob="true"');
    expect(bad.text).toContain("base_url: must start with http:// or https://");
    const noKey = await act("POST", "/admin/channels", {
      name: "no-key",
      base_url: mock.url,
      key: "",
      models: "m",
      group: "default",
    });
    expect(noKey.text).toContain("key: at least one upstream key");
    const mapping = await act("POST", "/admin/channels", {
      name: "bad-map",
      base_url: mock.url,
      key,
      models: "m",
      group: "default",
      model_mapping: "just-a-name",
    });
    expect(mapping.text).toContain("model_mapping: line 1: write client=upstream");
    const group = await act("POST", "/admin/channels", {
      name: "bad-group",
      base_url: mock.url,
      key,
      models: "m",
      group: "nope",
    });
    expect(group.text).toContain("group: group &quot;nope&quot; does not exist");
    const timeout = await act("POST", "/admin/channels", {
      name: "bad-timeout",
      base_url: mock.url,
      key,
      models: "m",
      group: "default",
      timeout_idle_ms: "soon",
    });
    expect(timeout.text).toContain("timeout_idle_ms: a whole number");
    expect((await page("/admin/channels")).text).not.toContain("bad-url");
  });

  test("edit: the dialog is pre-filled without keys; empty keys keep them, new keys replace them", async () => {
    const dialog = await page(`/admin/channels/${id}/edit`);
    expect(dialog.text).toContain('value="mock-main"');
    expect(dialog.text).toContain("other-model=adm-model");
    expect(dialog.text).toContain("2 stored; leave empty to keep them");
    expect(dialog.text).toMatch(/<textarea name="key"[^>]*><\/textarea>/);
    const form = {
      type: "openai",
      name: "mock-renamed",
      base_url: mock.url,
      key: "",
      models: "adm-model\nother-model",
      model_mapping: "other-model=adm-model",
      group: "default",
      priority: "7",
      weight: "1",
      timeout_connect_ms: "2000",
      timeout_first_byte_ms: "5000",
      timeout_idle_ms: "6000",
    };
    const kept = await act("POST", `/admin/channels/${id}`, form);
    expect(kept.trigger.toast.message).toBe("Saved");
    expect(kept.text).toContain(`<tr hx-swap-oob="true" id="channel-${id}"`);
    let row = rowOf((await page("/admin/channels")).text, `channel-${id}`)!;
    expect(row).toContain("mock-renamed");
    expect(row).toContain("•••• 2 keys");
    expect(row).toContain("7 / 1");
    const replaced = await act("POST", `/admin/channels/${id}`, { ...form, key: newKey() });
    expect(replaced.trigger.toast.message).toBe("Saved");
    row = rowOf((await page("/admin/channels")).text, `channel-${id}`)!;
    expect(row).toContain("•••• 1 key<");
    const bad = await act("POST", `/admin/channels/${id}`, { ...form, weight: "-1" });
    expect(bad.text).toContain("weight: at least 0");
  });

  test("Test: status and latency from the mock upstream; a failing upstream shows its status", async () => {
    const before = mock.requests.length;
    const r = await act("POST", `/admin/channels/${id}/test`);
    expect(r.text).toMatch(new RegExp(`id="test-${id}"[\\s\\S]*badge ok[^>]*>200 · (\\d+|&lt;1) ms<`));
    expect(r.trigger.toast.message).toMatch(/^Test: 200 in (\d+|<1) ms$/);
    expect(mock.requests.length).toBe(before + 1);
    const failing = await act("POST", "/admin/channels", {
      name: "mock-500",
      base_url: mock.urlFor("status=500"),
      key: newKey(),
      models: "adm-model",
      group: "default",
    });
    const failingId = /id="channel-(\d+)"/.exec(failing.text)![1];
    const t = await act("POST", `/admin/channels/${failingId}/test`);
    expect(t.text).toContain("badge bad");
    expect(t.text).toMatch(/>500 · (\d+|&lt;1) ms</);
    expect(t.trigger.toast.message).toBe(
      "Test failed: the upstream answered 500: The server had an error while processing your request. Sorry about that!",
    );
    expect(t.text).toContain("The server had an error");
    expect((await act("DELETE", `/admin/channels/${failingId}`)).status).toBe(200);
  });

  test("disable and enable", async () => {
    const off = await act("PUT", `/admin/channels/${id}/status`, { status: "2" });
    expect(off.trigger.toast.message).toBe("Disabled");
    expect(off.text).toContain('<span class="badge off">disabled</span>');
    expect(off.text).toContain(">Enable<");
    const on = await act("PUT", `/admin/channels/${id}/status`, { status: "1" });
    expect(on.text).toContain('<span class="badge ok">enabled</span>');
    expect(on.text).toContain(">Disable<");
  });

  test("a channel whose only key the upstream rejects shows as auto-disabled with the reason and the key's state", async () => {
    await act("POST", "/admin/pricing", { model: "adm-401-model", input: "1", output: "2" });
    const made = await act("POST", "/admin/channels", {
      name: "mock-401",
      base_url: mock.urlFor("unauthorized"),
      key: newKey(),
      models: "adm-401-model",
      group: "default",
    });
    const badId = /id="channel-(\d+)"/.exec(made.text)![1];
    const token = expectReply(
      await call(app.url, "POST", "/api/token/", { name: "for-401", unlimited_quota: true }, admin),
      201,
    );
    const res = await fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "adm-401-model", messages: [{ role: "user", content: "hi" }] }),
    });
    await res.text();
    const row = await poll("the auto-disabled row", async () => {
      const r = rowOf((await page("/admin/channels")).text, `channel-${badId}`);
      return r?.includes("auto-disabled") ? r : null;
    });
    expect(row).toContain("every upstream key was rejected by the upstream as invalid");
    expect(row).toContain("•••• 1 key · 1 disabled");
    expect(row).toMatch(/<li class="warn">disabled: the upstream answered 401/);
    expect(row).toContain(">Enable<");
    await act("DELETE", `/admin/channels/${badId}`);
  });

  test("delete", async () => {
    const made = await act("POST", "/admin/channels", {
      name: "to-delete",
      base_url: mock.url,
      key: newKey(),
      models: "adm-model",
      group: "default",
    });
    const delId = /id="channel-(\d+)"/.exec(made.text)![1];
    const r = await act("DELETE", `/admin/channels/${delId}`);
    expect({ status: r.status, text: r.text, toast: r.trigger.toast.message }).toEqual({
      status: 200,
      text: "",
      toast: "Deleted",
    });
    expect((await page("/admin/channels")).text).not.toContain(`id="channel-${delId}"`);
    const again = await act("DELETE", `/admin/channels/${delId}`);
    expect(again.headers.get("hx-reswap")).toBe("none");
    expect(again.trigger.toast).toEqual({ message: `channel ${delId} not found`, kind: "error" });
  });
});

describe("/admin/users", () => {
  let daveId = "";

  test("create: the row appears; a refused one is named in the dialog without echoing the password", async () => {
    expect((await page("/admin/users/new")).text).toContain('name="password"');
    const short = await act("POST", "/admin/users", { username: "dave", password: "short-1", role: "user" });
    expect(short.text).toContain("password: at least 8 characters");
    expect(short.text).not.toContain("short-1");
    const made = await act("POST", "/admin/users", { username: "dave", password: "dave-password-1", role: "user" });
    expect(made.trigger).toEqual({ toast: { message: "User dave created", kind: "ok" }, "close-dialog": true });
    expect(made.text).toContain('hx-swap-oob="beforeend:#user-rows"');
    daveId = /id="user-(\d+)"/.exec(made.text)![1];
    const taken = await act("POST", "/admin/users", { username: "dave", password: "dave-password-1", role: "user" });
    expect(taken.text).toContain("username &quot;dave&quot; is taken");
    const row = rowOf((await page("/admin/users")).text, `user-${daveId}`)!;
    expect(row).toContain("dave");
    expect(row).toContain(">user<");
    expect(row).toContain("enabled");
    expect(row).toContain("$0.00");
    expect(await login(app.url, "dave", "dave-password-1")).toHaveProperty("cookie");
  });

  test("top up: the balance grows and the top-up row appears in the user's logs", async () => {
    expect((await page(`/admin/users/${daveId}/topup`)).text).toContain("Balance now: $0.00");
    const bad = await act("POST", `/admin/users/${daveId}/topup`, { amount_usd: "lots" });
    expect(bad.text).toContain("amount: &quot;lots&quot; is not a non-negative decimal number");
    expect((await act("POST", `/admin/users/${daveId}/topup`, { amount_usd: "0" })).text).toContain(
      "amount: must be more than $0",
    );
    const r = await act("POST", `/admin/users/${daveId}/topup`, { amount_usd: "12.5" });
    expect(r.trigger.toast.message).toBe("Added $12.50: the balance is $12.50");
    expect(r.text).toContain(`<tr hx-swap-oob="true" id="user-${daveId}"`);
    expect(rowOf((await page("/admin/users")).text, `user-${daveId}`)).toContain("$12.50");
    const logs = await page("/admin/logs?user=dave&type=1");
    expect(logs.text).toContain("top-up");
    expect(logs.text).toContain("$12.50");
    expect(logs.text).toContain("top-up by admin");
    const dave = await login(app.url, "dave", "dave-password-1");
    const own = expectReply(await call(app.url, "GET", "/api/log/self?type=1", undefined, dave), 200);
    expect(own.items).toHaveLength(1);
    expect(own.items[0]).toMatchObject({ type: LOG_TYPE.topup, quota: 6_250_000 });
  });

  test("a user's tokens: their own only, masked", async () => {
    const r = await page(`/admin/users/${daveId}/tokens`);
    expect(r.text).toContain("Tokens of <span>dave</span>");
    expect(r.text).toContain(">default<");
    expect(r.text).toMatch(/sk-[0-9A-Za-z]{4}…[0-9A-Za-z]{4}/);
    expect(r.text).not.toMatch(/sk-[0-9A-Za-z]{48}/);
    expect(r.text).not.toContain("for-401"); // the admin's token, not dave's
    expect((await page("/admin/users/999999/tokens")).headers.get("hx-trigger")).toContain("user 999999 not found");
  });

  test("unlimited on and off", async () => {
    const on = await act("PUT", `/admin/users/${daveId}/unlimited`, { unlimited: "1" });
    expect(on.text).toContain('<span class="badge accent">unlimited</span>');
    const off = await act("PUT", `/admin/users/${daveId}/unlimited`, { unlimited: "0" });
    expect(off.text).not.toContain('<span class="badge accent">unlimited</span>');
  });

  test("disable ends their sessions and sign-in; enable lets them back", async () => {
    const dave = await login(app.url, "dave", "dave-password-1");
    const off = await act("PUT", `/admin/users/${daveId}/status`, { status: "2" });
    expect(off.trigger.toast.message).toBe("Disabled");
    expect(off.text).toContain('<span class="badge off">disabled</span>');
    expect((await page("/token", dave)).status).toBe(302);
    await expect(login(app.url, "dave", "dave-password-1")).rejects.toThrow();
    const on = await act("PUT", `/admin/users/${daveId}/status`, { status: "1" });
    expect(on.text).toContain('<span class="badge ok">enabled</span>');
    expect(await login(app.url, "dave", "dave-password-1")).toHaveProperty("cookie");
  });

  test("the last admin cannot disable themself: the refusal is a toast", async () => {
    const self = await page("/admin/users");
    expect(rowOf(self.text, "user-1")).not.toContain(">Disable<"); // no such button on one's own row
    const r = await act("PUT", "/admin/users/1/status", { status: "2" });
    expect(r.trigger.toast).toEqual({
      message: "this is the last enabled admin; make another admin first",
      kind: "error",
    });
  });

  test("delete", async () => {
    const r = await act("DELETE", `/admin/users/${daveId}`);
    expect(r.trigger.toast.message).toBe("Deleted");
    expect((await page("/admin/users")).text).not.toContain(`id="user-${daveId}"`);
  });
});

describe("/admin/groups", () => {
  test("create, edit, refuse bad values in the dialog", async () => {
    const made = await act("POST", "/admin/groups", {
      name: "vip",
      description: "fast lane",
      multiplier: "1.5",
      selectable: ["0"],
    });
    expect(made.trigger.toast.message).toBe("Group vip created");
    let row = rowOf((await page("/admin/groups")).text, `group-${hex("vip")}`)!;
    expect(row).toContain("fast lane");
    expect(row).toContain("×1.5");
    expect(row).toContain("admins only");
    const dialog = await page("/admin/groups/vip/edit");
    expect(dialog.text).toContain('value="1.5"');
    expect(dialog.text).toContain('value="fast lane"');
    const edited = await act("POST", "/admin/groups/vip", {
      description: "cheaper now",
      multiplier: "0.9",
      selectable: ["0", "1"],
    });
    expect(edited.trigger.toast.message).toBe("Saved");
    row = rowOf((await page("/admin/groups")).text, `group-${hex("vip")}`)!;
    expect(row).toContain("cheaper now");
    expect(row).toContain("×0.9");
    expect(row).toContain("users may pick");
    expect((await act("POST", "/admin/groups/vip", { multiplier: "cheap" })).text).toContain(
      "multiplier: &quot;cheap&quot; is not a non-negative decimal number",
    );
    expect((await act("POST", "/admin/groups", { name: "vip", multiplier: "1" })).text).toContain(
      "group &quot;vip&quot; already exists",
    );
    expect((await act("POST", "/admin/groups", { name: "bad name!", multiplier: "1" })).text).toContain(
      "name: 1–64 letters",
    );
  });

  test("a group still in use is refused with a toast; an unused one is deleted", async () => {
    const chan = await act("POST", "/admin/channels", {
      name: "vip-chan",
      base_url: mock.url,
      key: newKey(),
      models: "adm-model",
      group: ["default", "vip"],
    });
    const chanId = /id="channel-(\d+)"/.exec(chan.text)![1];
    const refused = await act("DELETE", "/admin/groups/vip");
    expect(refused.headers.get("hx-reswap")).toBe("none");
    expect(refused.trigger.toast).toEqual({
      message: 'group "vip" is still used by 0 token(s) and 1 channel(s)',
      kind: "error",
    });
    expect((await page("/admin/groups")).text).toContain(`id="group-${hex("vip")}"`);
    await act("DELETE", `/admin/channels/${chanId}`);
    const gone = await act("DELETE", "/admin/groups/vip");
    expect(gone.trigger.toast.message).toBe("Group vip deleted");
    expect((await page("/admin/groups")).text).not.toContain(`id="group-${hex("vip")}"`);
    expect((await page("/admin/groups")).text).not.toContain('hx-delete="/admin/groups/default"');
  });
});

describe("/admin/pricing", () => {
  test("create, edit, refuse, delete", async () => {
    const made = await act("POST", "/admin/pricing", {
      model: "org/price-a",
      input: "1.25",
      output: "5",
      cached_input: "",
      per_call: "",
      hold_cap_tokens: "4096",
    });
    expect(made.trigger.toast.message).toBe("Price of org/price-a set");
    let row = rowOf((await page("/admin/pricing?keyword=price-a")).text, `price-${hex("org/price-a")}`)!;
    expect(row).toContain("$1.25");
    expect(row).toContain("$5<");
    expect(row).toContain("4,096"); // grouped as the reader's locale writes it
    const dialog = await page(`/admin/pricing/model/${encodeURIComponent("org/price-a")}/edit`);
    expect(dialog.text).toContain('value="1.25"');
    const edited = await act("POST", `/admin/pricing/model/${encodeURIComponent("org/price-a")}`, {
      input: "2",
      output: "",
      cached_input: "0.5",
      per_call: "0.01",
      hold_cap_tokens: "8192",
    });
    expect(edited.trigger.toast.message).toBe("Saved");
    row = rowOf((await page("/admin/pricing?keyword=price-a")).text, `price-${hex("org/price-a")}`)!;
    expect(row).toContain("$2<");
    expect(row).toContain("$0.5<");
    expect(row).toContain("$0.01<");
    expect((await act("POST", "/admin/pricing", { model: "org/price-a", input: "1" })).text).toContain(
      "already has a price; edit it instead",
    );
    expect((await act("POST", "/admin/pricing", { model: "price-b", input: "-1" })).text).toContain(
      "input: &quot;-1&quot; is not a non-negative decimal number",
    );
    expect((await act("POST", "/admin/pricing", { model: "price-b" })).text).toContain(
      "input: give at least one of input, output or per_call",
    );
    const del = await act("DELETE", `/admin/pricing/model/${encodeURIComponent("org/price-a")}`);
    expect(del.trigger.toast.message).toBe("Price of org/price-a deleted");
    expect((await page("/admin/pricing?keyword=price-a")).text).not.toContain(`price-${hex("org/price-a")}`);
  });

  test("export → import round trip", async () => {
    await act("POST", "/admin/pricing", {
      model: "round-trip",
      input: "0.15",
      output: "0.6",
      cached_input: "0.075",
      hold_cap_tokens: "1000",
    });
    const exported = await page("/admin/pricing.json");
    expect(exported.headers.get("content-type")).toContain("application/json");
    expect(exported.headers.get("content-disposition")).toBe('attachment; filename="apiyi-prices.json"');
    const list = JSON.parse(exported.text) as Record<string, unknown>[];
    expect(list.length).toBeGreaterThan(1);
    expect(list.find((p) => p.model === "round-trip")).toEqual({
      model: "round-trip",
      input: "0.15",
      output: "0.6",
      cached_input: "0.075",
      cache_write: "0.15",
      per_call: null,
      hold_cap_tokens: 1000,
    });
    await act("DELETE", "/admin/pricing/model/round-trip");
    const r = await act("POST", "/admin/pricing/import", list);
    expect(r.trigger).toEqual({
      toast: { message: `Imported ${list.length.toLocaleString("en")} prices`, kind: "ok" },
      "close-dialog": true,
    });
    // the list is shown again (HX-Redirect), with every imported price, now the admin's
    expect(rowOf((await page("/admin/pricing?keyword=round-trip")).text, `price-${hex("round-trip")}`)).toContain(
      "admin</span>",
    );
    const again = JSON.parse((await page("/admin/pricing.json")).text) as Record<string, unknown>[];
    expect(again).toEqual(list);
  });

  test("import from the dialog's text; an invalid entry is named and nothing is written", async () => {
    const ok = await act("POST", "/admin/pricing/import", {
      json: JSON.stringify([{ model: "pasted", per_call: "0.02" }]),
    });
    expect(ok.trigger.toast.message).toBe("Imported 1 price");
    expect(rowOf((await page("/admin/pricing?keyword=pasted")).text, `price-${hex("pasted")}`)).toContain("$0.02");
    const bad = await act("POST", "/admin/pricing/import", [
      { model: "would-be-set", input: "1" },
      { model: "broken", input: "1", output: "two" },
    ]);
    expect(bad.text).toContain('id="dialog-error"');
    expect(bad.text).toContain(
      "entry 2 (&quot;broken&quot;): output: &quot;two&quot; is not a non-negative decimal number",
    );
    expect((await page("/admin/pricing?keyword=would-be-set")).text).not.toContain("would-be-set</td>");
    expect((await act("POST", "/admin/pricing/import", [{ input: "1" }])).text).toContain("entry 1: model:");
    expect((await act("POST", "/admin/pricing/import", { json: "{not json" })).text).toContain(
      "json: is not valid JSON",
    );
    expect((await act("POST", "/admin/pricing/import", { json: '{"model": "x"}' })).text).toContain(
      "json: must be a JSON array",
    );
  });
});

describe("/admin/settings", () => {
  test("the form has one field per registry entry: switches for booleans, numbers for numbers", async () => {
    const r = await page("/admin/settings");
    for (const [key, def] of Object.entries(SETTINGS)) {
      expect(r.text).toContain(`id="setting-${key}"`);
      expect(r.text).toContain(Bun.escapeHTML(def.help));
    }
    expect(r.text).toMatch(
      /<input type="checkbox" role="switch" id="setting-register_enabled" name="register_enabled" value="1"/,
    );
    expect(r.text).toMatch(
      /<input type="number" id="setting-max_attempts" name="max_attempts" value="\d+" min="1" max="10" step="1"/,
    );
  });

  test("save: values are stored and shown; a bad value is refused beside its field and nothing is saved", async () => {
    const saved = await act("POST", "/admin/settings", {
      register_enabled: ["0", "1"],
      max_attempts: "3",
      new_user_quota: "250000",
    });
    expect(saved.trigger.toast.message).toBe("Settings saved");
    expect(saved.text).toMatch(/id="setting-register_enabled" name="register_enabled" value="1" checked/);
    expect(saved.text).toContain('name="max_attempts" value="3"');
    const stored = expectReply(await call(app.url, "GET", "/api/setting", undefined, admin), 200);
    expect(stored).toMatchObject({ register_enabled: true, max_attempts: 3, new_user_quota: 250000 });

    const bad = await act("POST", "/admin/settings", {
      register_enabled: ["0"],
      max_attempts: "99",
      new_user_quota: "lots",
    });
    expect(bad.trigger.toast).toBeUndefined();
    expect(bad.text).toContain("Nothing was saved: fix the fields marked below.");
    expect(bad.text).toMatch(
      /class="setting invalid"[\s\S]*id="setting-max_attempts"[^>]*value="99"[\s\S]*class="field-error" role="alert">[^<]*10/,
    );
    expect(bad.text).toMatch(/id="setting-new_user_quota"[^>]*value="lots"[\s\S]*?class="field-error"/);
    const after = expectReply(await call(app.url, "GET", "/api/setting", undefined, admin), 200);
    expect(after).toMatchObject({ register_enabled: true, max_attempts: 3, new_user_quota: 250000 });

    const off = await act("POST", "/admin/settings", { register_enabled: ["0"], max_attempts: "4" });
    expect(off.trigger.toast.message).toBe("Settings saved");
    expect(expectReply(await call(app.url, "GET", "/api/setting", undefined, admin), 200)).toMatchObject({
      register_enabled: false,
      max_attempts: 4,
      new_user_quota: 250000,
    });
  });
});

describe("/admin/logs", () => {
  test("every user's rows, the user filter, and the attempts chain after a failover", async () => {
    await act("POST", "/admin/pricing", { model: "adm-fo-model", input: "1", output: "2" });
    const bad = await act("POST", "/admin/channels", {
      name: "fo-first",
      base_url: mock.urlFor("status=502"),
      key: newKey(),
      models: "adm-fo-model",
      group: "default",
      priority: "10",
    });
    const good = await act("POST", "/admin/channels", {
      name: "fo-second",
      base_url: mock.url,
      key: newKey(),
      models: "adm-fo-model",
      group: "default",
      priority: "1",
    });
    const badId = /id="channel-(\d+)"/.exec(bad.text)![1];
    const goodId = /id="channel-(\d+)"/.exec(good.text)![1];
    const carolToken = expectReply(
      await call(app.url, "POST", "/api/token/", { name: "carol-fo", unlimited_quota: true }, carol),
      201,
    );
    await call(app.url, "PUT", `/api/user/`, { id: carol.id, unlimited: true }, admin);
    const res = await fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${carolToken.key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "adm-fo-model", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const requestId = res.headers.get("x-request-id")!;
    const text = await poll("the log row", async () => {
      const r = await page(`/admin/logs?user=carol&request_id=${requestId}`);
      return r.text.includes("carol-fo") ? r.text : null;
    });
    expect(text).toMatch(
      new RegExp(
        `<li class="bad" title="the upstream answered 502: Bad gateway.">fo-first #${badId} → 502 → \\d+\\sms</li><li class="ok">fo-second #${goodId} → 200 → \\d+\\sms</li>`,
      ),
    );
    expect(text).toContain("adm-fo-model");
    expect(text).toContain('value="carol"');
    // the user filter: carol's rows only; another name finds nothing
    const carolOnly = await page("/admin/logs?user=carol");
    expect(carolOnly.text).toContain("carol-fo");
    expect(carolOnly.text).not.toContain("top-up by admin");
    expect((await page("/admin/logs?user=nobody-here")).text).toContain("No user named &quot;nobody-here&quot;.");
    const everyone = await page("/admin/logs");
    expect(everyone.text).toContain("carol-fo");
    expect(everyone.text).toContain("top-up by admin");
    expect((await page("/admin/logs?type=x")).text).toContain("type:");
  });
});

test("names that look like HTML render as text on every admin page", async () => {
  await act("POST", "/admin/channels", {
    name: XSS,
    base_url: mock.url,
    key: newKey(),
    models: XSS,
    group: "default",
    model_mapping: `${XSS}=adm-model`,
  });
  await act("POST", "/admin/groups", { name: "xss-group", description: XSS, multiplier: "1" });
  await act("POST", "/admin/pricing", { model: XSS, input: "1" });
  const texts = [
    (await page("/admin/channels")).text,
    (await page("/admin/groups")).text,
    (await page(`/admin/pricing?keyword=${encodeURIComponent(XSS)}`)).text,
    (await page(`/admin/logs?user=${encodeURIComponent(XSS)}`)).text,
  ];
  const id = /id="channel-(\d+)"><td class="name"><span>&lt;img/.exec(texts[0])![1];
  texts.push((await page(`/admin/channels/${id}/edit`)).text);
  for (const t of texts) {
    expect(t).toContain("&lt;img src=x onerror=alert(1)&gt;");
    // inside a quoted attribute "<" is only text (the quote is what must be, and is, escaped)
    expect(t.replace(/="[^"]*"/g, '=""')).not.toContain(XSS);
  }
});

test("no console reply in this file ever contained an upstream key", () => {
  expect(seen.length).toBeGreaterThan(100);
  expect(upstreamKeys.length).toBeGreaterThan(10);
  for (const text of seen) for (const key of upstreamKeys) expect(text.includes(key)).toBe(false);
});
