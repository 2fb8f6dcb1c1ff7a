// The console in Chinese and English over HTTP: /login and /token follow Accept-Language (zh-CN →
// Chinese, anything else English), the header's language switch saves a signed-in user's choice on the
// account (CSRF-checked; it then wins over the header and the cookie) and a visitor's in a cookie, the
// default_language setting applies when nothing else chose, and /token's toasts and errors follow.
import { beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { ADMIN_PASSWORD, call, login, makeUser, useServer, type Auth } from "../../support/server";

const app = useServer();
let admin: Auth;
let mei: Awaited<ReturnType<typeof makeUser>>;
let ann: Awaited<ReturnType<typeof makeUser>>;

const { page, act } = consoleHttp(app);
const ZH = { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" };
const EN_US = { "accept-language": "en-US,en;q=0.9" };

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  mei = await makeUser(app.url, admin, "mei", "mei-password-1");
  ann = await makeUser(app.url, admin, "ann", "ann-password-1");
});

/** A plain form post of the switch (a visitor's, or a signed-in user's with their cookie and CSRF field). */
const switchTo = (language: string, opts: { cookie?: string; csrf?: string; origin?: string; next?: string } = {}) =>
  fetch(`${app.url}/language`, {
    method: "POST",
    headers: { origin: opts.origin ?? app.url, cookie: opts.cookie ?? "" },
    body: new URLSearchParams({ language, next: opts.next ?? "/token", ...(opts.csrf ? { _csrf: opts.csrf } : {}) }),
    redirect: "manual",
  });

test("/login follows Accept-Language: zh-CN in Chinese, anything else (or nothing) in English", async () => {
  const zh = await page("/login", {}, ZH);
  expect(zh.text).toContain('<html lang="zh-CN">');
  expect(zh.text).toContain("<title>登录 · apiyi</title>");
  expect(zh.text).toContain("登录以管理你的 API 密钥。");
  expect(zh.text).toContain("用户名");
  expect(zh.text).not.toContain("Sign in to manage");
  // the switch offers the other language, as a form post back to this page
  expect(zh.text).toContain('action="/language"');
  expect(zh.text).toContain('value="en"');

  for (const headers of [EN_US, { "accept-language": "fr-FR,fr;q=0.9" }, {}]) {
    const r = await page("/login", {}, headers);
    expect(r.text).toContain('<html lang="en">');
    expect(r.text).toContain("Sign in to manage your API keys.");
    expect(r.text).toContain('value="zh-CN"');
  }
});

test("a failed sign-in says so in the visitor's language", async () => {
  const r = await fetch(`${app.url}/login`, {
    method: "POST",
    headers: { ...ZH },
    body: new URLSearchParams({ username: "mei", password: "wrong-password", next: "/token" }),
    redirect: "manual",
  });
  expect(r.status).toBe(401);
  expect(await r.text()).toContain("用户名或密码错误");
});

test("/token follows Accept-Language: the nav, the table, its pager and its dialog", async () => {
  const zh = await page("/token", ann.auth, ZH);
  expect(zh.status).toBe(200);
  expect(zh.text).toContain("<title>令牌 · apiyi</title>");
  for (const words of [
    "令牌",
    "日志",
    "分组",
    "剩余额度",
    "计费方式",
    "按量优先",
    "无限",
    "第 1 / 1 页 · 共 1 个令牌",
    "退出登录",
  ])
    expect(zh.text).toContain(words);
  expect(zh.text).not.toContain("Remaining");
  const dialog = await page("/token/new", ann.auth, { ...ZH, "hx-request": "true" });
  for (const words of ["新建令牌", "额度（$）", "无限额度", "备用分组 1", "高级：速率限制", "取消", "创建"])
    expect(dialog.text).toContain(words);

  const en = await page("/token", ann.auth, EN_US);
  expect(en.text).toContain("<title>Tokens · apiyi</title>");
  for (const words of ["Remaining", "usage first", "unlimited", "Page 1 of 1 · 1 tokens", "Sign out"])
    expect(en.text).toContain(words);
  expect(en.text).not.toContain("剩余额度");
});

test("a visitor's switch sets a cookie that outranks Accept-Language; it must come from this site", async () => {
  const r = await switchTo("zh-CN", { next: "/login" });
  expect(r.status).toBe(303);
  expect(r.headers.get("location")).toBe("/login");
  const cookie = r.headers.get("set-cookie")!;
  expect(cookie).toStartWith("apiyi_lang=zh-CN;");
  const zh = await page("/login", { cookie: cookie.split(";")[0] }, EN_US);
  expect(zh.text).toContain('<html lang="zh-CN">');

  expect((await switchTo("zh-CN", { origin: "https://evil.example" })).status).toBe(403);
  const bad = await switchTo("fr");
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain("language: must be one of en, zh-CN");
  // only local paths to go back to
  expect((await switchTo("en", { next: "//evil.example" })).headers.get("location")).toBe("/token");
});

test("a signed-in user's choice is saved on the account: it outranks the header and the cookie, in every session", async () => {
  const page0 = await page("/token", mei.auth, EN_US);
  expect(page0.text).toContain(`name="_csrf" value="${mei.auth.csrf}"`);
  expect((await switchTo("zh-CN", { cookie: mei.auth.cookie })).status).toBe(403); // no CSRF field
  expect((await page("/token", mei.auth, EN_US)).text).toContain('<html lang="en">');

  const r = await switchTo("zh-CN", { cookie: mei.auth.cookie, csrf: mei.auth.csrf });
  expect(r.status).toBe(303);
  expect(r.headers.get("location")).toBe("/token");
  const mine = await page("/token", { cookie: `${mei.auth.cookie}; apiyi_lang=en` }, EN_US);
  expect(mine.text).toContain('<html lang="zh-CN">');
  const later = await login(app.url, "mei", "mei-password-1");
  expect((await page("/token", later, EN_US)).text).toContain("剩余额度");
  // someone else is not affected
  expect((await page("/token", ann.auth, EN_US)).text).toContain('<html lang="en">');
});

test("/token's Request example and Share dialogs follow the reader's language too", async () => {
  const id = /id="token-(\d+)"/.exec((await page("/token", ann.auth)).text)?.[1];
  const example = await page(`/token/${id}/example`, ann.auth, { ...ZH, "hx-request": "true" });
  expect(example.text).toContain("请求示例");
  expect(example.text).toContain("本服务器的公开地址尚未设置，所以示例中写的是 <code>YOUR_APIYI_URL</code>");
  const share = await page(`/token/${id}/share`, ann.auth, { ...ZH, "hx-request": "true" });
  expect(share.text).toContain("分享 / 一键配置");
  expect(share.text).toContain("API 密钥：sk-");
  const en = await page(`/token/${id}/share`, ann.auth, { ...EN_US, "hx-request": "true" });
  expect(en.text).toContain("Share / one-click setup");
  expect(en.text).toContain("API key: sk-");
});

test("/token's toasts and dialog errors are in the user's language", async () => {
  // mei chose zh-CN above
  const created = await act("POST", "/token", { name: "bot", unlimited: "1", never: "1" }, mei.auth);
  expect(created.trigger.toast.message).toBe("令牌已创建");
  expect(created.text).toContain("令牌已创建");
  const noQuota = await act("POST", "/token", { name: "capped", never: "1" }, mei.auth);
  expect(noQuota.text).toContain("请输入大于 $0 的金额");
  const id = /id="token-(\d+)"/.exec(created.text)?.[1];
  const off = await act("PUT", `/token/${id}/status`, { status: "2" }, mei.auth);
  expect(off.trigger.toast.message).toBe("已禁用");
  expect(off.text).toContain("已禁用");
  expect((await act("DELETE", `/token/${id}`, {}, mei.auth)).trigger.toast.message).toBe("已删除");
});

test("default_language applies when nobody chose and the browser asks for no language we have", async () => {
  expect((await call(app.url, "PUT", "/api/setting", { default_language: "fr" }, admin)).status).toBe(422);
  expect((await call(app.url, "PUT", "/api/setting", { default_language: "zh-CN" }, admin)).status).toBe(200);
  try {
    expect((await page("/login", {})).text).toContain('<html lang="zh-CN">');
    expect((await page("/login", {}, { "accept-language": "fr-FR" })).text).toContain('<html lang="zh-CN">');
    expect((await page("/login", {}, EN_US)).text).toContain('<html lang="en">');
    expect((await page("/token", ann.auth)).text).toContain("剩余额度");
  } finally {
    await call(app.url, "PUT", "/api/setting", { default_language: "en" }, admin);
  }
});
