// /admin/dashboard, /admin/channels (its table, dialog, states and toasts) and /admin/logs over HTTP in
// Chinese for a zh-CN reader (Accept-Language, or the admin's saved language) and in English otherwise;
// amounts in yuan when the site shows CNY (5,000,000 units = $10 → ¥73.00 at 7.3); a CSV download's
// refusal in the reader's language while its header row stays English.
import { beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, call, login, makeUser, useServer, type Auth } from "../../support/server";

const mock = startMockUpstream({ models: ["m1"] });
const app = useServer();
const { page, fragment, act } = consoleHttp(app);
const ZH = { "accept-language": "zh-CN,zh;q=0.9" };
const EN_US = { "accept-language": "en-US,en;q=0.9" };
let admin: Auth;

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  const ch = { name: "up-one", base_url: mock.url, key: "sk-up", models: "m1" };
  expect((await call(app.url, "POST", "/api/channel/", ch, admin)).status).toBe(201);
  const mei = await makeUser(app.url, admin, "mei");
  expect((await call(app.url, "POST", `/api/user/${mei.id}/topup`, { quota: 5_000_000 }, admin)).status).toBe(200);
});

/** The admin's saved language (it outranks Accept-Language), as the header's switch sets it. */
async function saveLanguage(language: string) {
  const r = await fetch(`${app.url}/language`, {
    method: "POST",
    headers: { origin: app.url, cookie: admin?.cookie ?? "" },
    body: new URLSearchParams({ language, next: "/admin/channels", _csrf: admin?.csrf ?? "" }),
    redirect: "manual",
  });
  expect(r.status).toBe(303);
}

const expectAll = (text: string, words: string[]) => {
  for (const w of words) expect({ w, found: text.includes(w) }).toEqual({ w, found: true });
};

test("/admin/dashboard in Chinese for a zh-CN reader, in English otherwise", async () => {
  const zh = await page("/admin/dashboard?period=7d", admin, ZH);
  expect(zh.status).toBe(200);
  expectAll(zh.text, ["<title>仪表盘 · apiyi</title>", "今天", "查看这些天", "成功率", "各模型调用次数", "渠道"]);
  expect(zh.text).toContain("按 UTC 时区计日（budget_timezone 设置）");
  expect(zh.text).not.toContain("Success rate");
  const en = await page("/admin/dashboard?period=7d", admin, EN_US);
  expectAll(en.text, ["<title>Dashboard · apiyi</title>", "Show these days", "Success rate", "Calls per model"]);
  expect(en.text).toContain("days in UTC (the budget_timezone setting)");
  expect(en.text).not.toContain("成功率");
});

test("/admin/channels: the table, its states and its dialog follow the reader's language", async () => {
  const zh = await page("/admin/channels", admin, ZH);
  expectAll(zh.text, [
    "<title>渠道 · apiyi</title>",
    'placeholder="按名称搜索"',
    "优先级 / 权重",
    '<span class="badge ok">已启用</span>',
    "•••• 1 个密钥",
    "第 1 / 1 页 · 共 1 个渠道",
  ]);
  expect(zh.text).toContain("<span>openai</span>"); // a channel type stays as it is
  const dialog = await fragment("/admin/channels/new", admin, ZH);
  expectAll(dialog.text, ["新建渠道", "模型重定向", "余额阈值", "取消", "创建", 'placeholder="sk-…"']);

  const en = await page("/admin/channels", admin, EN_US);
  expectAll(en.text, ["Priority / weight", '<span class="badge ok">enabled</span>', "Page 1 of 1 · 1 channels"]);
  expect(en.text).not.toContain("优先级");
  expect((await fragment("/admin/channels/new", admin, EN_US)).text).toContain("Model mapping");
});

test("/admin/logs in the reader's language; amounts in yuan when the site shows CNY", async () => {
  const zh = await page("/admin/logs?type=1", admin, ZH);
  expectAll(zh.text, ["<title>日志 · apiyi</title>", "时间（UTC）", "全部类型", "筛选", "请求 ID"]);
  expect(zh.text).toContain('<span class="badge accent">充值</span>');
  expect(zh.text).toContain("$10.00");
  const en = await page("/admin/logs?type=1", admin, EN_US);
  expectAll(en.text, ["Time (UTC)", "all types", "Request id", '<span class="badge accent">top-up</span>']);

  const nobody = await page("/admin/logs?user=nobody-here", admin, ZH);
  expect(nobody.text).toContain("没有名为“nobody-here”的用户。");

  expect((await call(app.url, "PUT", "/api/setting", { display_currency: "CNY", usd_to_cny: 7.3 }, admin)).status).toBe(
    200,
  );
  try {
    expect((await page("/admin/logs?type=1", admin, ZH)).text).toContain("¥73.00");
    expect((await page("/admin/dashboard", admin, ZH)).text).toMatch(/id="stat-spend"[\s\S]*?¥/);
  } finally {
    await call(app.url, "PUT", "/api/setting", { display_currency: "USD" }, admin);
  }
});

test("a CSV download's refusal is in the reader's language; its header row stays English", async () => {
  const zh = await page("/admin/usage.csv?from=not-a-day", admin, ZH);
  expect(zh.status).toBe(422);
  expect(zh.text).toContain("from：不是有效日期，应为 YYYY-MM-DD（UTC）");
  const logs = await page("/admin/logs.csv?from=2026-02-30", admin, ZH);
  expect(logs.status).toBe(422);
  expect(logs.text).toContain("from：不是有效日期（YYYY-MM-DD）");
  const ok = await page("/admin/usage.csv", admin, ZH);
  expect(ok.status).toBe(200);
  expect(ok.text).toStartWith("day_utc,user_id,username,model");
});

// last: a saved language outranks Accept-Language from then on
test("the channel actions' toasts and dialog errors are in the admin's saved language", async () => {
  const form = { name: "up-two", type: "openai", base_url: mock.url, key: "sk-2", models: "m1", group: "default" };
  await saveLanguage("zh-CN");
  try {
    const bad = await act("POST", "/admin/channels", { ...form, model_mapping: "no-equals-sign" }, admin);
    expect(bad.text).toContain("第 1 行：格式应为 客户端模型=上游模型");
    const made = await act("POST", "/admin/channels", form, admin);
    expect(made.trigger.toast.message).toStartWith("渠道已创建");
    const id = /id="channel-(\d+)"/.exec(made.text)![1];
    const off = await act("PUT", `/admin/channels/${id}/status`, { status: "2" }, admin);
    expect(off.trigger.toast.message).toBe("已禁用");
    expect(off.text).toContain('<span class="badge off">已禁用</span>');
    expect((await act("DELETE", `/admin/channels/${id}`, {}, admin)).trigger.toast.message).toBe("已删除");
  } finally {
    await saveLanguage("en");
  }
  const again = await act("POST", "/admin/channels", { ...form, name: "up-three" }, admin);
  expect(again.trigger.toast.message).toStartWith("Channel created");
});
