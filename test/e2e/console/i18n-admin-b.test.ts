// The admin pages of users, redemption codes, groups, prices, the price catalog and settings over
// HTTP: in Chinese for a zh-CN reader (Accept-Language, or the language cookie), in English otherwise;
// their dialogs, toasts and refusals follow the reader's language; amounts are shown and typed in yuan
// when the operator shows CNY (display_currency, usd_to_cny), while admin prices stay in US dollars.
import { beforeAll, expect, test } from "bun:test";
import { consoleHttp, type Who } from "../../support/console";
import { ADMIN_PASSWORD, call, login, makeUser, useServer, type Auth } from "../../support/server";

const app = useServer();
const { page, fragment, act } = consoleHttp(app);
const ZH = { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" };
const EN_US = { "accept-language": "en-US,en;q=0.9" };
let admin: Auth & Who;
/** the same admin, reading Chinese (the language cookie the switch sets) */
let zh: Who;
let wangId = 0;

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  zh = { cookie: `${admin.cookie}; apiyi_lang=zh-CN`, csrf: admin.csrf };
  wangId = (await makeUser(app.url, admin, "wang", "wang-password-1")).id;
});

/** [path, what a Chinese reader sees, what an English reader sees] */
const PAGES: [string, string[], string[]][] = [
  [
    "/admin/users",
    ["<title>用户 · apiyi</title>", "按用户名搜索", "调用次数", "普通用户", "第 1 / 1 页 · 共 2 个用户"],
    ["<title>Users · apiyi</title>", "Search by username", "Calls", "Page 1 of 1 · 2 users"],
  ],
  [
    "/admin/redemptions",
    ["<title>兑换码 · apiyi</title>", "删除无效兑换码", "兑换时间", "已过期", "没有匹配的兑换码"],
    ["<title>Redemption codes · apiyi</title>", "Delete invalid", "Redeemed at", "No code matches"],
  ],
  [
    "/admin/groups",
    ["<title>分组 · apiyi</title>", "倍率", "用户可选", "×1<"],
    ["<title>Groups · apiyi</title>", "Multiplier", "users may pick"],
  ],
  [
    "/admin/pricing",
    ["<title>价格 · apiyi</title>", "导出 JSON", "预扣上限（tokens）", "来自本程序内置的价格目录"],
    [
      "<title>Pricing · apiyi</title>",
      "Export JSON",
      "Hold cap (tokens)",
      "from the price catalog this binary carries",
    ],
  ],
  [
    "/admin/pricing/catalog",
    ["<title>价格目录 · apiyi</title>", "全部差异", "返回价格列表", "上次完整应用"],
    ["<title>Price catalog · apiyi</title>", "All differences", "Back to prices", "Last applied in full"],
  ],
  [
    "/admin/settings",
    [
      "<title>设置 · apiyi</title>",
      "显示货币",
      "美元兑人民币汇率",
      "人民币 CNY（¥）",
      "任何人都可以通过 /api/user/register 注册",
    ],
    ["<title>Settings · apiyi</title>", "Display currency", "USD to CNY rate", "CNY (¥)", "anyone may sign up at"],
  ],
];

test.each(PAGES)("%s is in Chinese for a zh-CN reader and in English otherwise", async (path, chinese, english) => {
  const cn = await page(path, admin, ZH);
  expect(cn.status).toBe(200);
  expect(cn.text).toContain('<html lang="zh-CN">');
  for (const words of chinese) expect(cn.text).toContain(words);
  for (const words of english.slice(1)) expect(cn.text).not.toContain(words);
  const en = await page(path, admin, EN_US);
  expect(en.text).toContain('<html lang="en">');
  for (const words of english) expect(en.text).toContain(words);
});

test("the dialogs follow the reader's language; admin prices say they are in US dollars", async () => {
  const dialogs: [string, string[]][] = [
    ["/admin/users/new", ["新建用户", "密码（至少 8 个字符）", "管理员：可打开这些管理页面并修改一切", "创建"]],
    [`/admin/users/${wangId}/topup`, ["为 wang 充值", "当前余额：$0.00", "金额（$）", "例如 10"]],
    [`/admin/users/${wangId}/budget`, ["wang 的周期额度", "周期额度（$）"]],
    [`/admin/users/${wangId}/limits`, ["wang 的速率限制", "这些限制作用于该用户的全部令牌之和"]],
    [`/admin/users/${wangId}/tokens`, ["<span>wang</span> 的令牌", "剩余额度", "该用户的日志", "关闭"]],
    ["/admin/redemptions/new", ["新建兑换码", "每个兑换码的金额（$）", "有效天数（留空：永不过期）"]],
    ["/admin/groups/new", ["新建分组", "倍率（1 = 原价；最多 6 位小数）", "用户可为自己的令牌选择此分组"]],
    ["/admin/pricing/new", ["新建价格", "单位为美元（$）", "输入 / 1M（$）", 'placeholder="= 输入价格"']],
    ["/admin/pricing/import", ["导入价格", '<code>[{"model": "gpt-4o"']],
  ];
  for (const [path, words] of dialogs) {
    const r = await fragment(path, admin, ZH);
    expect(r.status).toBe(200);
    for (const w of words) expect(r.text).toContain(w);
  }
  expect((await fragment("/admin/pricing/new", admin, EN_US)).text).toContain("Input / 1M ($)");
});

test("toasts and refusals are in the reader's language", async () => {
  const made = await act("POST", "/admin/groups", { name: "zh-vip", multiplier: "1.5", selectable: "1" }, zh);
  expect(made.trigger.toast.message).toBe("已创建分组 zh-vip");
  expect(made.text).toContain("×1.5"); // a factor, not money
  expect((await act("DELETE", "/admin/groups/zh-vip", {}, zh)).trigger.toast.message).toBe("已删除分组 zh-vip");

  const zero = await act("POST", `/admin/users/${wangId}/topup`, { amount_usd: "0" }, zh);
  expect(zero.text).toContain("必须大于 $0");
  const saved = await act("POST", "/admin/settings", { max_attempts: "4" }, zh);
  expect(saved.trigger.toast.message).toBe("设置已保存");
  expect(saved.text).toContain("最大尝试次数");
  const bad = await act("POST", "/admin/settings", { max_attempts: "99" }, zh);
  expect(bad.text).toContain("未保存任何内容：请修正下方标出的字段。");

  const price = await act("POST", "/admin/pricing", { model: "zh-model", input: "2.5", output: "10" }, zh);
  expect(price.trigger.toast.message).toBe("已设置 zh-model 的价格");
  const off = await act("PUT", `/admin/users/${wangId}/status`, { status: "2" }, zh);
  expect(off.trigger.toast.message).toBe("已禁用");
  expect(off.text).toContain('<span class="badge off">已禁用</span>');
  expect((await act("PUT", `/admin/users/${wangId}/status`, { status: "1" }, admin)).trigger.toast.message).toBe(
    "Enabled",
  );
});

test("with the console in yuan: top-ups, budgets and codes are typed and shown in ¥; prices stay in $", async () => {
  expect((await call(app.url, "PUT", "/api/setting", { display_currency: "CNY", usd_to_cny: 7.3 }, admin)).status).toBe(
    200,
  );
  try {
    expect((await fragment(`/admin/users/${wangId}/topup`, admin, ZH)).text).toContain("金额（¥）");
    // ¥73 at 7.3 = $10 = 5,000,000 units
    const topped = await act("POST", `/admin/users/${wangId}/topup`, { amount_usd: "73" }, zh);
    expect(topped.trigger.toast.message).toBe("已充值 ¥73.00，当前余额 ¥73.00");
    const user = await call(app.url, "GET", `/api/user/${wangId}`, undefined, admin);
    expect(user.body.data.quota).toBe(5_000_000);
    expect((await page("/admin/users", admin, EN_US)).text).toContain("¥73.00");

    const budget = await act(
      "POST",
      `/admin/users/${wangId}/budget`,
      { budget_period: "daily", allowance_usd: "7.3" },
      zh,
    );
    expect(budget.trigger.toast.message).toBe("wang 的周期额度：每日 ¥7.30");
    // the dialog shows the allowance in yuan; saved untouched, the units stay exactly as they were
    expect((await fragment(`/admin/users/${wangId}/budget`, admin)).text).toContain(
      'name="allowance_usd" inputmode="decimal" value="7.3"',
    );
    await act("POST", `/admin/users/${wangId}/budget`, { budget_period: "daily", allowance_usd: "7.3" }, admin);
    expect((await call(app.url, "GET", `/api/user/${wangId}`, undefined, admin)).body.data.period_quota).toBe(500_000);

    const codes = await act("POST", "/admin/redemptions", { name: "yuan", count: "2", amount_usd: "14.6" }, zh);
    expect(codes.text).toContain("2 个兑换码，每个 ¥14.60");
    expect(codes.trigger.toast.message).toBe("已创建 2 个兑换码");

    const settings = await page("/admin/settings", admin, ZH);
    expect(settings.text).toContain("按此汇率，$10 额度 = ¥73.00。");
    expect(settings.text).toMatch(/<option value="CNY" selected>人民币 CNY（¥）<\/option>/);
    const pricing = await page("/admin/pricing?keyword=zh-model", admin, ZH);
    expect(pricing.text).toContain('<td class="num">$2.5</td><td class="num">$10</td>');
  } finally {
    await call(app.url, "PUT", "/api/setting", { display_currency: "USD" }, admin);
  }
  // back in dollars: the daily allowance of ¥7.30 is $1
  expect((await page("/admin/users", admin, EN_US)).text).toContain("of $1.00 daily");
});
