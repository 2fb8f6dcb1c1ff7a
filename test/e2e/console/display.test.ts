// Account → Display: a person picks their language, currency and time zone; every page follows at
// once (the action answers with a reload), amounts in yuan at the operator's rate, dates in their
// zone; "automatic" puts each back to the browser's or the server's; a bad choice is refused with
// what to pick. Their low-balance webhook then speaks their language and currency too.
import { beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { ADMIN_PASSWORD, call, login, makeUser, useServer, type Auth } from "../../support/server";

const app = useServer();
const { page, act } = consoleHttp(app);
let admin: Auth;
let ming: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  ming = await makeUser(app.url, admin, "ming");
  expect((await call(app.url, "POST", `/api/user/${ming.id}/topup`, { quota: 5_000_000 }, admin)).status).toBe(200);
  expect((await call(app.url, "PUT", "/api/setting", { usd_to_cny: 7.3 }, admin)).status).toBe(200);
});

test("the card shows on /account with every choice automatic", async () => {
  const r = await page("/account", ming.auth, { "accept-language": "en" });
  expect(r.text).toContain('id="display-form"');
  expect(r.text).toContain("Automatic (your browser&#x27;s)");
  expect(r.text).toContain("Yuan (¥), ¥7.3 per $1");
});

test("choosing Chinese, yuan and Shanghai: the next page is in all three", async () => {
  const saved = await act(
    "POST",
    "/account/display",
    { language: "zh-CN", currency: "CNY", time_zone: "Asia/Shanghai" },
    ming.auth,
  );
  expect(saved.status).toBe(200);
  expect(saved.headers.get("hx-redirect")).toBe("/account");
  const r = await page("/account", ming.auth, { "accept-language": "en" }); // their choice wins over the browser
  expect(r.text).toContain('<html lang="zh-CN">');
  expect(r.text).toContain("¥73.00"); // $10 at 7.3
  const tokens = await page("/token", ming.auth, { "accept-language": "en" });
  expect(tokens.text).toMatch(/\d{4}\/\d{2}\/\d{2}/); // dates as zh-CN writes them
});

test("a token quota typed in yuan becomes whole units, rounded down", async () => {
  const r = await act("POST", "/token", { name: "yuan-token", quota_usd: "1", budget_period: "" }, ming.auth);
  expect(r.status).toBe(200);
  const list = (await call(app.url, "GET", "/api/token/?p=1&size=50", undefined, ming.auth)).body.data;
  const made = (list.items ?? list).find((t: { name: string }) => t.name === "yuan-token");
  expect(made.remain_quota).toBe(68_493); // ¥1 / 7.3 × 500,000 = 68,493.15… → 68,493
});

test("a bad choice is refused in the reader's language, naming the field", async () => {
  const r = await act(
    "POST",
    "/account/display",
    { language: "xx", currency: "EUR", time_zone: "Mars/Base" },
    ming.auth,
  );
  const toast = r.trigger.toast as { message: string; kind: string };
  expect(toast.kind).toBe("error");
  expect(toast.message).toContain("language");
});

test("automatic again: the browser's language and the server's currency", async () => {
  await act("POST", "/account/display", { language: "", currency: "", time_zone: "" }, ming.auth);
  const r = await page("/account", ming.auth, { "accept-language": "en" });
  expect(r.text).toContain('<html lang="en">');
  expect(r.text).toContain("$10.00");
});
