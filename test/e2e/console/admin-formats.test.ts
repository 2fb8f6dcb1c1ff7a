// The console's admin forms for the channel types and the new fields: the channel dialog offers the
// four types (each with its example base URL), the "supports /v1/responses" box, the api-version field
// and the max output tokens field with their hints; a save carries them (an unticked box turns it off,
// an empty cap keeps the stored one), an azure channel without a version or a bad cap is refused in the
// dialog, and the row shows the type's extra and the cap when set. The price dialog, table, export and
// import carry cache_write.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, priceModels, useServer } from "../../support/server";

setDefaultTimeout(20_000);

const app = useServer();
let admin: Awaited<ReturnType<typeof login>>;
let api: ReturnType<typeof client>;

const { page, act } = consoleHttp(app, { as: () => admin });

const rowOf = (html: string, id: string) => new RegExp(`<tr id="${id}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? null;
const idOf = (html: string) => Number(/id="channel-(\d+)"/.exec(html)![1]);
const channel = async (id: number) => expectReply(await api.get(`/api/channel/${id}`), 200);

/** The whole dialog form, as the browser posts it (an unticked box is simply absent). */
const FORM = {
  name: "",
  base_url: "",
  key: "",
  models: "fmt-model",
  model_mapping: "",
  group: "default",
  priority: "0",
  weight: "1",
  timeout_connect_ms: "10000",
  timeout_first_byte_ms: "120000",
  timeout_idle_ms: "300000",
  api_version: "",
  max_output_tokens: "0",
};

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  api = client(app.url, admin);
  // a model without a price would add a warning to every save's toast
  await priceModels(app.url, admin, "fmt-model");
});

describe("the channel dialog", () => {
  test("offers the five types with each one's example base URL, the responses box and the api-version field", async () => {
    const d = (await page("/admin/channels/new")).text;
    const EXAMPLES: [string, string][] = [
      ["openai", "https://api.openai.com/v1"],
      ["anthropic", "https://api.anthropic.com"],
      ["gemini", "https://generativelanguage.googleapis.com"],
      ["azure", "https://YOUR-RESOURCE.openai.azure.com"],
      ["dashscope", "https://dashscope.aliyuncs.com"],
    ];
    const options = [...d.matchAll(/<option value="(\w+)"[^>]*data-placeholder="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(options).toEqual(EXAMPLES);
    expect(d).toMatch(/<select name="type" data-placeholder-of="base_url">/);
    expect(d).toMatch(/<input name="base_url" required placeholder="https:\/\/api\.openai\.com\/v1"/);
    for (const [, url] of EXAMPLES) expect(d).toContain(url);
    expect(d).toMatch(/<input type="checkbox" name="supports_responses" value="1"\s*\/?>/);
    expect(d).toContain("OpenAI type: the upstream also speaks /v1/responses");
    expect(d).toMatch(/<input name="api_version" maxlength="40"[^>]*value=""/);
    expect(d).toContain("Azure only");
  });

  test("create: the type's default path, the box and the version are saved; azure without a version is refused", async () => {
    const refused = await act("POST", "/admin/channels", {
      ...FORM,
      type: "azure",
      name: "fmt-azure",
      base_url: "https://fmt-secret.openai.azure.com",
      key: "sk-fmt-1",
    });
    expect(refused.text).toContain('id="dialog-error"');
    expect(refused.text).toContain("api_version: required for azure channels, e.g. 2024-10-21");
    expect(refused.text).not.toContain("fmt-secret");
    const badVersion = await act("POST", "/admin/channels", {
      ...FORM,
      type: "azure",
      name: "fmt-azure",
      base_url: "https://a.openai.azure.com",
      key: "k",
      api_version: "<b>",
    });
    expect(badVersion.text).toContain("api_version: only letters, digits, dots and dashes");
    expect((await page("/admin/channels")).text).not.toContain("fmt-azure");

    const azure = await act("POST", "/admin/channels", {
      ...FORM,
      type: "azure",
      name: "fmt-azure",
      base_url: "https://fmt.openai.azure.com/",
      key: "sk-fmt-2",
      api_version: "2024-10-21",
    });
    expect(azure.trigger.toast.message).toBe("Channel created");
    const azureId = idOf(azure.text);
    expect(await channel(azureId)).toMatchObject({
      type: "azure",
      base_url: "https://fmt.openai.azure.com",
      api_version: "2024-10-21",
      supports_responses: false,
    });
    const row = rowOf((await page("/admin/channels")).text, `channel-${azureId}`)!;
    expect(row).toContain("<span>azure</span>");
    expect(row).toContain("api 2024-10-21");

    const gemini = await act("POST", "/admin/channels", {
      ...FORM,
      type: "gemini",
      name: "fmt-gemini",
      base_url: "https://generativelanguage.googleapis.com",
      key: "k",
    });
    expect(await channel(idOf(gemini.text))).toMatchObject({
      type: "gemini",
      base_url: "https://generativelanguage.googleapis.com/v1beta",
    });
    const claude = await act("POST", "/admin/channels", {
      ...FORM,
      type: "anthropic",
      name: "fmt-claude",
      base_url: "https://api.anthropic.com",
      key: "k",
    });
    expect(await channel(idOf(claude.text))).toMatchObject({
      type: "anthropic",
      base_url: "https://api.anthropic.com/v1",
    });
  });

  test("edit: pre-filled; ticking and unticking the box, changing the version", async () => {
    const made = await act("POST", "/admin/channels", {
      ...FORM,
      type: "openai",
      name: "fmt-openai",
      base_url: "https://api.openai.com",
      key: "k",
      supports_responses: "1",
    });
    const id = idOf(made.text);
    expect(await channel(id)).toMatchObject({ supports_responses: true, base_url: "https://api.openai.com/v1" });
    expect(rowOf((await page("/admin/channels")).text, `channel-${id}`)).toContain("+ responses");

    let d = (await page(`/admin/channels/${id}/edit`)).text;
    expect(d).toMatch(/<input type="checkbox" name="supports_responses" value="1" checked/);
    expect(d).toMatch(/<option value="openai" selected/);
    const form = { ...FORM, type: "openai", name: "fmt-openai", base_url: "https://api.openai.com/v1" };
    expect((await act("POST", `/admin/channels/${id}`, form)).trigger.toast.message).toBe("Saved");
    expect(await channel(id)).toMatchObject({ supports_responses: false, key_count: 1 });
    expect(rowOf((await page("/admin/channels")).text, `channel-${id}`)).not.toContain("+ responses");
    d = (await page(`/admin/channels/${id}/edit`)).text;
    expect(d).not.toMatch(/name="supports_responses" value="1" checked/);

    // to azure: the version is needed; the stored /v1 stays
    expect((await act("POST", `/admin/channels/${id}`, { ...form, type: "azure" })).text).toContain(
      "api_version: required for azure channels",
    );
    expect((await channel(id)).type).toBe("openai");
    expect(
      (await act("POST", `/admin/channels/${id}`, { ...form, type: "azure", api_version: "2025-04-01-preview" }))
        .trigger.toast.message,
    ).toBe("Saved");
    expect(await channel(id)).toMatchObject({
      type: "azure",
      api_version: "2025-04-01-preview",
      base_url: "https://api.openai.com/v1",
    });
    d = (await page(`/admin/channels/${id}/edit`)).text;
    expect(d).toContain('value="2025-04-01-preview"');
    expect(d).toMatch(/<option value="azure" selected/);
    expect(d).toContain('placeholder="https://YOUR-RESOURCE.openai.azure.com"');
  });
});

describe("the channel dialog: max output tokens", () => {
  const HINT = "0 = no cap. Lowers larger max_tokens asks, e.g. 8192 for DeepSeek when Claude Code asks for 64000";

  test("a number field with its hint, 0 for a new channel", async () => {
    const d = (await page("/admin/channels/new")).text;
    expect(d).toMatch(
      /Max output tokens<\/span>\s*<input name="max_output_tokens" inputmode="numeric" value="0"\s*\/?>/,
    );
    expect(d).toContain(HINT);
  });

  test("create and edit carry it; the row shows it only when set; an empty field keeps it; a bad one is refused", async () => {
    const made = await act("POST", "/admin/channels", {
      ...FORM,
      name: "fmt-deepseek",
      base_url: "https://api.deepseek.com",
      key: "k",
      max_output_tokens: "8192",
    });
    expect(made.trigger.toast.message).toBe("Channel created");
    const id = idOf(made.text);
    expect(made.text).toContain("≤ 8192 out");
    expect(await channel(id)).toMatchObject({ max_output_tokens: 8192, base_url: "https://api.deepseek.com/v1" });
    expect(rowOf((await page("/admin/channels")).text, `channel-${id}`)).toContain("≤ 8192 out");
    expect((await page(`/admin/channels/${id}/edit`)).text).toMatch(
      /<input name="max_output_tokens" inputmode="numeric" value="8192"/,
    );

    const form = { ...FORM, name: "fmt-deepseek", base_url: "https://api.deepseek.com/v1" };
    // an empty field on edit keeps the stored cap
    expect((await act("POST", `/admin/channels/${id}`, { ...form, max_output_tokens: "" })).trigger.toast.message).toBe(
      "Saved",
    );
    expect((await channel(id)).max_output_tokens).toBe(8192);
    expect((await act("POST", `/admin/channels/${id}`, { ...form, max_output_tokens: "4096" })).text).toContain(
      "≤ 4096 out",
    );
    expect((await channel(id)).max_output_tokens).toBe(4096);

    for (const bad of ["-1", "8192.5", "8k", "10000001"]) {
      const r = await act("POST", `/admin/channels/${id}`, { ...form, max_output_tokens: bad });
      expect(r.text).toContain('id="dialog-error"');
      expect(r.text).toContain("max_output_tokens: a whole number from 0 (no cap) to 10000000");
    }
    expect((await channel(id)).max_output_tokens).toBe(4096);

    // 0 takes the cap away, and the row no longer shows one
    expect((await act("POST", `/admin/channels/${id}`, form)).trigger.toast.message).toBe("Saved");
    expect((await channel(id)).max_output_tokens).toBe(0);
    expect(rowOf((await page("/admin/channels")).text, `channel-${id}`)).not.toContain(" out</small>");
    // a new channel with the field left empty has no cap
    const plain = await act("POST", "/admin/channels", {
      ...FORM,
      name: "fmt-uncapped",
      base_url: "https://x.example",
      key: "k",
      max_output_tokens: "",
    });
    expect((await channel(idOf(plain.text))).max_output_tokens).toBe(0);
    expect(plain.text).not.toContain(" out</small>");
  });

  test("a bad cap on create is refused in the dialog and nothing is created", async () => {
    const r = await act("POST", "/admin/channels", {
      ...FORM,
      name: "fmt-bad-cap",
      base_url: "https://x.example",
      key: "k",
      max_output_tokens: "-8192",
    });
    expect(r.text).toContain("max_output_tokens: a whole number from 0 (no cap) to 10000000");
    expect((await page("/admin/channels?keyword=fmt-bad-cap")).text).not.toContain("fmt-bad-cap</span>");
  });
});

describe("the price dialog and table", () => {
  test("cache_write: set, shown, edited, refused, defaulting to the input price", async () => {
    expect((await page("/admin/pricing/new")).text).toMatch(
      /<input name="cache_write" inputmode="decimal" value="" placeholder="= input"/,
    );
    const made = await act("POST", "/admin/pricing", {
      model: "fmt-claude",
      input: "3",
      output: "15",
      cached_input: "0.3",
      cache_write: "3.75",
      per_call: "",
      hold_cap_tokens: "8192",
    });
    expect(made.trigger.toast.message).toBe("Price of fmt-claude set");
    const table = (await page("/admin/pricing?keyword=fmt-claude")).text;
    expect(table).toContain("Cache write / 1M");
    expect(rowOf(table, `price-${Buffer.from("fmt-claude").toString("hex")}`)).toContain(
      '$0.3</td><td class="num">$3.75</td>',
    );
    expect((await page("/admin/pricing/model/fmt-claude/edit")).text).toContain(
      'name="cache_write" inputmode="decimal" value="3.75"',
    );

    const bad = await act("POST", "/admin/pricing/model/fmt-claude", {
      input: "3",
      output: "15",
      cache_write: "1.1234567",
    });
    expect(bad.text).toContain("cache_write:");
    expect(
      (await act("POST", "/admin/pricing/model/fmt-claude", { input: "4", output: "15", cache_write: "" })).trigger
        .toast.message,
    ).toBe("Saved");
    const prices = expectReply(await api.get("/api/pricing/"), 200).items as {
      model: string;
      cache_write: string | null;
    }[];
    expect(prices.find((p) => p.model === "fmt-claude")!.cache_write).toBe("4");
  });

  test("export carries cache_write and import takes it", async () => {
    const r = await act("POST", "/admin/pricing/import", [
      { model: "fmt-import", input: "1", output: "5", cache_write: "1.25" },
    ]);
    expect(r.trigger.toast.message).toBe("Imported 1 price");
    const exported = JSON.parse((await page("/admin/pricing.json")).text) as Record<string, unknown>[];
    expect(exported.find((p) => p.model === "fmt-import")).toEqual({
      model: "fmt-import",
      input: "1",
      output: "5",
      cached_input: "1",
      cache_write: "1.25",
      per_call: null,
      hold_cap_tokens: 8192,
    });
    expect(exported.find((p) => p.model === "claude-opus-4-1")).toMatchObject({ cache_write: "18.75" });
    const refused = await act("POST", "/admin/pricing/import", [{ model: "fmt-bad", input: "1", cache_write: "lots" }]);
    expect(refused.text).toContain("entry 1 (&quot;fmt-bad&quot;): cache_write:");
  });
});
