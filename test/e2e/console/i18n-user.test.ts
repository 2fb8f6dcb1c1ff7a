// The user pages in Chinese and English over HTTP: /log, /dashboard, /topup, /groups, /pricing and
// /account follow the reader's language (Accept-Language here: zh-CN → Chinese, anything else
// English), so do their actions' toasts and inline messages, and their amounts follow the reader's
// currency (display_currency CNY at usd_to_cny 7.3: $10 reads ¥73.00, and a threshold is typed in ¥).
import { beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, call, client, login, makeUser, useServer, type Auth } from "../../support/server";

const app = useServer();
let admin: Auth;
let lin: Awaited<ReturnType<typeof makeUser>>;

const { page, act } = consoleHttp(app);
const ZH = { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" };
const EN_US = { "accept-language": "en-US,en;q=0.9" };

/** A user with $10 of balance (5,000,000 units), topped up by the admin. */
async function userWithTenDollars(name: string) {
  const u = await makeUser(app.url, admin, name, `${name}-password-1`);
  expectReply(await client(app.url, admin).post(`/api/user/${u.id}/topup`, { quota: 5_000_000 }), 200);
  return u;
}

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  lin = await userWithTenDollars("lin");
});

/** path → words a zh-CN reader sees, and the English a reader of anything else sees instead. */
const PAGES: [string, string[], string[]][] = [
  [
    "/log",
    ["<title>日志 · apiyi</title>", "<h1>日志</h1>", "导出 CSV", "时间（UTC）", '<span class="badge info">充值</span>'],
    [
      "<title>Logs · apiyi</title>",
      "<h1>Logs</h1>",
      "Export CSV",
      "Time (UTC)",
      '<span class="badge info">top-up</span>',
    ],
  ],
  [
    "/dashboard",
    ["<title>仪表盘 · apiyi</title>", "今日消费（UTC）", "近 30 天每日消费", "近 30 天没有调用"],
    ["<title>Dashboard · apiyi</title>", "Spent today (UTC)", "Spend per day, last 30 days", "No calls in the last"],
  ],
  [
    "/topup",
    ["<title>充值 · apiyi</title>", "兑换码充值", "我的充值记录", "余额：$10.00", "第 1 / 1 页 · 共 1 条"],
    ["<title>Top up · apiyi</title>", "Redeem a code", "Your top-ups", "Balance: $10.00", "Page 1 of 1 · 1 entries"],
  ],
  [
    "/groups",
    ["<title>分组 · apiyi</title>", "分组是一组上游渠道", "可选用"],
    ["<title>Groups · apiyi</title>", "A group is a set of upstream channels", "you can pick it"],
  ],
  [
    "/pricing",
    ["<title>价格 · apiyi</title>", 'placeholder="搜索模型或分组"', "模型倍率", "价格单位为 USD"],
    ["<title>Pricing · apiyi</title>", 'placeholder="Search models or groups"', "Model ratio", "USD per 1M tokens"],
  ],
  [
    "/account",
    ["<title>账户 · apiyi</title>", "lin · 普通用户", "修改密码", "余额不足提醒", "你还没有访问令牌。"],
    [
      "<title>Account · apiyi</title>",
      "lin · user",
      "Change password",
      "Low-balance alert",
      "You have no access token",
    ],
  ],
];

test.each(PAGES)("%s is in Chinese for a zh-CN reader and in English otherwise", async (path, zhWords, enWords) => {
  const zh = await page(path, lin.auth, ZH);
  expect(zh.status).toBe(200);
  expect(zh.text).toContain('<html lang="zh-CN">');
  for (const words of zhWords) expect(zh.text).toContain(words);
  for (const words of enWords.slice(1)) expect(zh.text).not.toContain(words);

  for (const headers of [EN_US, {}]) {
    const en = await page(path, lin.auth, headers);
    expect(en.text).toContain('<html lang="en">');
    for (const words of enWords) expect(en.text).toContain(words);
    for (const words of zhWords) expect(en.text).not.toContain(words);
  }
});

test("the log's filter problems, and an empty filter, are said in the reader's language", async () => {
  const zh = await page("/log?type=9&from=2025-13-45", lin.auth, ZH);
  expect(zh.text).toContain("已忽略：from：不是有效日期（YYYY-MM-DD）; type：未知类型");
  expect((await page("/log?model_name=none-such", lin.auth, ZH)).text).toContain("没有符合筛选条件的记录");
  const en = await page("/log?type=9&from=2025-13-45", lin.auth, EN_US);
  expect(en.text).toContain("Ignored: from: not a day (YYYY-MM-DD); type: unknown type");
});

test("actions answer in the reader's language: password, alert and redeem", async () => {
  const mismatch = { current_password: "lin-password-1", password: "abcdefgh1", password_again: "abcdefgh2" };
  expect((await act("POST", "/account/password", mismatch, lin.auth)).text).toContain("the two new passwords differ");
  // an action has no Accept-Language of its own here: this browser asks for Chinese with its cookie
  const zhAuth = { cookie: `${lin.auth.cookie}; apiyi_lang=zh-CN`, csrf: lin.auth.csrf };
  const zhDiffer = await act("POST", "/account/password", mismatch, zhAuth);
  expect(zhDiffer.text).toContain("两次输入的新密码不一致");
  expect(zhDiffer.text).toContain("修改密码");

  const saved = await act("POST", "/account/alerts", { threshold_usd: "1", notify_type: "none" }, zhAuth);
  expect(saved.trigger.toast).toEqual({ message: "提醒设置已保存", kind: "ok" });
  expect(saved.text).toContain("余额低于此值时提醒，单位 $（留空或 0：关闭）");
  const bad = await act("POST", "/account/alerts", { threshold_usd: "one", notify_type: "none" }, zhAuth);
  expect(bad.text).toContain("阈值：请输入以 $ 计的金额");

  const [code] = expectReply(
    await client(app.url, admin).post("/api/redemption/", { name: "zh", quota: 500_000 }),
    201,
  ) as string[];
  const redeemed = await act("POST", "/topup/redeem", { key: code! }, zhAuth);
  expect(redeemed.trigger.toast).toEqual({ message: "已充值 $1.00，当前余额 $11.00", kind: "ok" });
  expect(redeemed.text).toContain('<p id="topup-balance" hx-swap-oob="true">余额：$11.00</p>');
  expect(redeemed.text).toContain("兑换码充值");
});

test("a reader in yuan sees every amount in ¥ and types the alert threshold in ¥", async () => {
  const wuyi = await userWithTenDollars("wuyi");
  const set = (body: Record<string, unknown>) => call(app.url, "PUT", "/api/setting", body, admin);
  expect((await set({ display_currency: "CNY", usd_to_cny: 7.3 })).status).toBe(200);
  try {
    const account = await page("/account", wuyi.auth, ZH);
    expect(account.text).toContain('<dd id="balance">¥73.00</dd>');
    expect(account.text).toContain("单位 ¥");
    expect((await page("/topup", wuyi.auth, ZH)).text).toContain("余额：¥73.00");
    expect((await page("/log", wuyi.auth, ZH)).text).toContain("+¥73.00");
    expect((await page("/dashboard", wuyi.auth, EN_US)).text).toContain("¥73.00");
    // $0.15 per 1M tokens (gpt-4o-mini's catalog price) at 7.3
    expect((await page("/pricing?q=gpt-4o-mini", wuyi.auth, ZH)).text).toContain("<td>¥1.095</td>");

    // ¥146 = $20 = 10,000,000 units: above the $10 balance, so the banner shows, in ¥
    const saved = await act("POST", "/account/alerts", { threshold_usd: "146", notify_type: "none" }, wuyi.auth);
    expect(saved.text).toContain('value="146"');
    const banner = (await page("/account", wuyi.auth, ZH)).text;
    expect(banner).toContain("你的余额为 ¥73.00，低于提醒阈值 ¥146.00");
  } finally {
    await set({ display_currency: "USD" });
  }
});
