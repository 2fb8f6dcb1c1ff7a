// A user's budget period in the console over HTTP: the admin's Budget dialog on /admin/users (set, a
// bad allowance shown in the dialog naming the field, cleared), the "resets in" note in the users
// table, and the user's own /account and /dashboard saying when the balance comes back.
import { beforeAll, expect, test } from "bun:test";
import { consoleSession } from "../../support/console";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, makeUser, useServer } from "../../support/server";

const app = useServer();
let s: Awaited<ReturnType<typeof consoleSession>>;
let api: ReturnType<typeof client>;
let userId = 0;

beforeAll(async () => {
  s = await consoleSession(app.url, "admin", ADMIN_PASSWORD);
  api = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  userId = (await makeUser(app.url, await login(app.url, "admin", ADMIN_PASSWORD), "budgeted", "budget-pass-1")).id;
});

const userRow = (html: string) => new RegExp(`<tr[^>]*id="user-${userId}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? "";

test("the users page offers a Budget dialog with the period picker and the allowance in $", async () => {
  expect((await s.page("/admin/users")).text).toContain(`hx-get="/admin/users/${userId}/budget"`);
  const dialog = await s.page(`/admin/users/${userId}/budget`);
  expect(dialog.text).toContain("Budget of");
  expect(dialog.text).toContain('name="allowance_usd"');
  expect(dialog.text).toContain('<option value="daily"');
  expect(dialog.text).toContain("set to the allowance (not added to it)");
});

test("a period without an allowance comes back in the dialog, naming the field; nothing changes", async () => {
  const bad = await s.act("POST", `/admin/users/${userId}/budget`, { budget_period: "daily", allowance_usd: "" });
  expect(bad.text).toContain("allowance: must be more than $0");
  const typo = await s.act("POST", `/admin/users/${userId}/budget`, { budget_period: "daily", allowance_usd: "five" });
  expect(typo.text).toContain("allowance:");
  expect(expectReply(await api.get(`/api/user/${userId}`), 200).budget_period).toBe("");
});

test("saved: the balance is set to the allowance, and the users table says when it resets", async () => {
  const saved = await s.act("POST", `/admin/users/${userId}/budget`, { budget_period: "daily", allowance_usd: "5" });
  expect(s.toast(saved)).toBe("Budget of budgeted: $5.00 daily");
  expect(userRow(saved.text)).toMatch(/of \$5\.00 daily · resets in \d+ (h|min)/);
  expect(expectReply(await api.get(`/api/user/${userId}`), 200)).toMatchObject({
    budget_period: "daily",
    period_quota: 2_500_000,
    quota: 2_500_000,
  });
  expect(userRow((await s.page("/admin/users")).text)).toContain("of $5.00 daily · resets in");
  const again = await s.page(`/admin/users/${userId}/budget`);
  expect(again.text).toContain('name="allowance_usd" inputmode="decimal" value="5"');
  expect(again.text).toContain('<option value="daily" selected>');
});

test("the user's own account and dashboard say when the balance comes back", async () => {
  const own = await consoleSession(app.url, "budgeted", "budget-pass-1");
  const account = (await own.page("/account")).text;
  expect(account).toMatch(
    /Your balance is set back to \$5\.00 daily: next at \d\d\/\d\d\/\d{4}, 00:00:00 \(UTC\), in \d+ (h|min)/,
  );
  expect(account).toContain("A top-up adds to the current period only.");
  expect((await own.page("/dashboard")).text).toMatch(/of \$5\.00 daily · resets in \d+ (h|min)/);
});

test("never: the budget is removed, the balance stays", async () => {
  const cleared = await s.act("POST", `/admin/users/${userId}/budget`, { budget_period: "", allowance_usd: "5" });
  expect(s.toast(cleared)).toBe("Budget of budgeted removed");
  expect(userRow(cleared.text)).not.toContain("resets in");
  expect(expectReply(await api.get(`/api/user/${userId}`), 200)).toMatchObject({
    budget_period: "",
    quota: 2_500_000,
  });
});
