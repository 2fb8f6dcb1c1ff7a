// Refusals in the reader's language over HTTP: a console action that fails says why in the user's
// language (a dialog's error line, a toast); the management API answers in the language Accept-Language
// names (zh-CN), and in English without it; /v1 always answers in English, whatever the client asks.
import { beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, login, makeUser, useServer, type Auth } from "../../support/server";

const app = useServer();
const { act } = consoleHttp(app);
const ZH = { "accept-language": "zh-CN,zh;q=0.9" };
let admin: Auth;
let li: Awaited<ReturnType<typeof makeUser>>;
let bob: Awaited<ReturnType<typeof makeUser>>;

/** A management-API call with extra request headers (call() sends none). */
async function api(method: string, path: string, body: unknown, auth: Auth, headers: Record<string, string> = {}) {
  const res = await fetch(app.url + path, {
    method,
    headers: {
      ...(auth?.cookie ? { cookie: auth.cookie, "x-csrf-token": auth.csrf ?? "", origin: app.url } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { success: boolean; message: string; data: unknown } };
}

/** The header's language switch, as a signed-in user posts it (saved on the account). */
async function choose(auth: Auth, language: string) {
  const res = await fetch(`${app.url}/language`, {
    method: "POST",
    headers: { origin: app.url, cookie: auth?.cookie ?? "" },
    body: new URLSearchParams({ language, next: "/token", _csrf: auth?.csrf ?? "" }),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
}

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  li = await makeUser(app.url, admin, "lilei", "lilei-password-1");
  bob = await makeUser(app.url, admin, "bob", "bob-password-1");
  // li reads the console in Chinese (saved on the account), bob in English (nothing chosen)
  await choose(li.auth, "zh-CN");
  for (const who of [li, bob])
    expectReply(await who.api.post("/api/token/", { name: "dup", unlimited_quota: true }), 201);
});

test("a console action that fails says why in the user's language: the dialog's line and the toast", async () => {
  const zh = await act("POST", "/token", { name: "dup", unlimited: "1", never: "1" }, li.auth);
  expect(zh.text).toContain("名为 &quot;dup&quot; 的令牌已存在");
  expect(zh.text).not.toContain("already exists");
  const en = await act("POST", "/token", { name: "dup", unlimited: "1", never: "1" }, bob.auth);
  expect(en.text).toContain("a token named &quot;dup&quot; already exists");

  // a refusal that is not the dialog's goes to the toast (an unknown token)
  const zhToast = await act("PUT", "/token/999999/status", { status: "2" }, li.auth);
  expect(zhToast.trigger.toast).toEqual({ message: "令牌 999999 不存在", kind: "error" });
  const enToast = await act("PUT", "/token/999999/status", { status: "2" }, bob.auth);
  expect(enToast.trigger.toast).toEqual({ message: "token 999999 not found", kind: "error" });
});

test("an admin dialog's refusal and a validation problem are in the reader's language too", async () => {
  const en = await act("POST", "/admin/groups", { name: "-bad" }, admin);
  expect(en.text).toContain("name: 1–64 letters, digits, _ . - (starting with a letter or digit)");
  await choose(admin, "zh-CN");
  try {
    const zh = await act("POST", "/admin/groups", { name: "-bad" }, admin);
    expect(zh.text).toContain("name：1–64 个字母、数字或 _ . -（以字母或数字开头）");
    expect(zh.text).toContain('id="dialog-error"');
  } finally {
    await choose(admin, "en");
  }
});

test("the management API answers in the language Accept-Language names; without it, in English", async () => {
  const dup = { name: "dup", unlimited_quota: true };
  const zh = await api("POST", "/api/token/", dup, bob.auth, ZH);
  expect(zh).toEqual({ status: 409, body: { success: false, message: '名为 "dup" 的令牌已存在', data: null } });
  // no header: English, whatever the user chose for the console (li chose zh-CN)
  const plain = await api("POST", "/api/token/", dup, li.auth);
  expect(plain.body.message).toBe('a token named "dup" already exists');
  for (const lang of ["en-US,en;q=0.9", "fr-FR", "zh-TW"])
    expect((await api("POST", "/api/token/", dup, li.auth, { "accept-language": lang })).body.message).toBe(
      'a token named "dup" already exists',
    );

  // a GET, a validation problem, and an anonymous refusal
  expect((await api("GET", "/api/token/999999", undefined, bob.auth, ZH)).body.message).toBe("令牌 999999 不存在");
  expect((await api("GET", "/api/token/999999", undefined, bob.auth)).body.message).toBe("token 999999 not found");
  const empty = await api("POST", "/api/token/", { name: " " }, bob.auth, ZH);
  expect([empty.status, empty.body.message]).toEqual([422, "name：不能为空"]);
  expect((await api("POST", "/api/token/", { name: " " }, bob.auth)).body.message).toBe("name: must not be empty");
  expect((await api("GET", "/api/user/self", undefined, undefined, ZH)).body.message).toBe(
    "请先登录：需要会话 Cookie 或访问令牌",
  );
});

test("/v1 answers in English whatever Accept-Language asks", async () => {
  const chat = (key: string, headers: Record<string, string>, body = "{}") =>
    fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "accept-language": "zh-CN,zh;q=0.9", ...headers },
      body,
    });
  const bad = await chat("sk-not-a-key", { "content-type": "application/json" });
  expect(bad.status).toBe(401);
  const badBody = (await bad.json()) as { error: { message: string } };
  expect(badBody.error.message).toStartWith("invalid API key:");

  // a refusal the console has Chinese words for (a wrong content type) is English here all the same
  const key = expectReply(await bob.api.post("/api/token/", { name: "v1", unlimited_quota: true }), 201).key as string;
  const typed = await chat(key, { "content-type": "text/plain" });
  expect(typed.status).toBe(415);
  const typedBody = (await typed.json()) as { error: { message: string } };
  expect(typedBody.error.message).toStartWith("this endpoint takes application/json");
  expect(typedBody.error.message).toEndWith('the request\'s content-type is "text/plain"');
});
