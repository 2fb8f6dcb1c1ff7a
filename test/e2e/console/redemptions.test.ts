// The console's redemption pages over HTTP: /admin/redemptions (admins only; a batch made from the New
// dialog shows its full codes once with Copy and a CSV download, the list shows only masks, the status
// filter, who redeemed which and when, disable, delete, delete invalid) and /topup for every user (the
// nav link, the Redeem box crediting the balance and answering one message for every failure, and the
// history with the balance after; admins see everyone's and filter by username). Actions need CSRF.
import { beforeAll, expect, test } from "bun:test";
import { consoleHttp } from "../../support/console";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, makeUser, useServer, type Auth } from "../../support/server";

const app = useServer();
let admin: { cookie: string; csrf: string };
let kim: Awaited<ReturnType<typeof makeUser>>;

const { page, act } = consoleHttp(app);

const CODE = /\b[0-9a-f]{32}\b/g;

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  kim = await makeUser(app.url, admin as Auth, "kim");
});

test("/admin/redemptions is for admins: users get 403, anonymous visitors the sign-in page", async () => {
  expect((await page("/admin/redemptions", kim.auth)).status).toBe(403);
  expect((await page("/admin/redemptions", {})).status).toBe(302);
  const r = await page("/admin/redemptions", admin);
  expect(r.status).toBe(200);
  expect(r.text).toContain("<title>Redemption codes · apiyi</title>");
  expect(r.text).toContain('href="/admin/redemptions"');
  expect(r.text).toContain("No code matches");
});

test("a batch from the New dialog: the full codes once, to copy and download as CSV; the list shows masks", async () => {
  expect((await page("/admin/redemptions/new", admin)).text).toContain('hx-post="/admin/redemptions"');
  const made = await act(
    "POST",
    "/admin/redemptions",
    { name: "console", count: "3", amount_usd: "2.5", expires_days: "7" },
    admin,
  );
  expect(made.status).toBe(200);
  expect(made.trigger.toast).toEqual({ message: "3 codes created", kind: "ok" });
  const codes = [...new Set(made.text.match(CODE))];
  expect(codes).toHaveLength(3);
  expect(made.text).toContain("3 codes of $2.50");
  expect(made.text).toContain(`data-copy="${codes.join("\n")}"`);
  const href = /download="codes.csv" href="data:text\/csv;charset=utf-8,([^"]+)"/.exec(made.text)![1];
  const csv = decodeURIComponent(href);
  expect(csv.split("\n")[0]).toBe("code,quota,usd,expires");
  for (const c of codes) expect(csv).toContain(`${c},1250000,2.5,`);
  expect(made.text).toContain('hx-swap-oob="afterbegin:#redemption-rows"');

  const list = await page("/admin/redemptions", admin);
  for (const c of codes) {
    expect(list.text).not.toContain(c);
    expect(list.text).toContain(`…${c.slice(-4)}`);
  }
  expect(list.text).toContain("usable");
  // a refused batch keeps what was typed and says why
  const bad = await act("POST", "/admin/redemptions", { name: "x".repeat(21), count: "1", amount_usd: "1" }, admin);
  expect(bad.text).toContain("name: 1–20 characters");
  expect(bad.text).toContain(`value="${"x".repeat(21)}"`);
  expect((await act("POST", "/admin/redemptions", { name: "x", count: "1", amount_usd: "0" }, admin)).text).toContain(
    "quota: must be a positive number",
  );
  // forged: no CSRF token
  expect(
    (await act("POST", "/admin/redemptions", { name: "f", count: "1", amount_usd: "1" }, { ...admin, csrf: "x" }))
      .status,
  ).toBe(403);
  expect((await act("POST", "/admin/redemptions", { name: "f", count: "1", amount_usd: "1" }, kim.auth)).status).toBe(
    403,
  );
});

test("/topup: the nav link, redeeming from the box, one message for every failure, and the history", async () => {
  const home = await page("/topup", kim.auth);
  expect(home.status).toBe(200);
  expect(home.text).toContain('<a href="/topup" class="active">Top up</a>');
  expect(home.text).toContain('hx-post="/topup/redeem"');
  expect(home.text).toContain("No top-ups yet.");
  const made = await act("POST", "/admin/redemptions", { name: "for-kim", count: "1", amount_usd: "4" }, admin);
  const [code] = made.text.match(CODE)!;
  const ok = await act("POST", "/topup/redeem", { key: ` ${code.toUpperCase()} ` }, kim.auth);
  expect(ok.trigger.toast.message).toBe("Added $4.00: the balance is $4.00");
  expect(ok.text).toContain('<p id="topup-balance" hx-swap-oob="true">Balance: $4.00</p>');
  expect(ok.text).toContain('<section id="topup-history" class="stack" hx-swap-oob="true">');
  const again = await act("POST", "/topup/redeem", { key: code }, kim.auth);
  expect(again.text).toContain("this code is invalid, used or expired");
  expect(again.trigger).toEqual({});
  expect((await act("POST", "/topup/redeem", { key: "nonsense" }, kim.auth)).text).toContain(
    "this code is invalid, used or expired",
  );
  expect((await act("POST", "/topup/redeem", { key: code }, { ...kim.auth, csrf: "forged" })).status).toBe(403);
  // an admin's adjustment shows up too, with the balance after
  const me = expectReply(await kim.api.get("/api/user/self"), 200);
  expectReply(
    await client(app.url, admin).post(`/api/user/${me.id}/adjust`, { delta: -500_000, reason: "refund" }),
    200,
  );
  const after = await page("/topup", kim.auth);
  expect(after.text).toContain("Balance: $3.00");
  expect(after.text).toContain(`redeemed code …${code.slice(-4)}`);
  expect(after.text).not.toContain(code);
  expect(after.text).toMatch(/Adjustment<\/td><td class="num">-\$1\.00<\/td><td class="num">\$3\.00<\/td>/);
  expect(after.text).toMatch(/Top-up<\/td><td class="num">\+\$4\.00<\/td><td class="num">\$4\.00<\/td>/);
  expect(after.text).not.toContain("Filter by username");
});

test("the admin list says who redeemed which code and when; disable, delete and delete invalid", async () => {
  const list = await page("/admin/redemptions?status=3", admin);
  expect(list.text).toMatch(/kim #\d+<\/td><td>\d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d<\/td>/); // the reader\'s locale
  expect(list.text).toContain('class="active">Used</a>');
  const usable = expectReply(await client(app.url, admin).get("/api/redemption/search?status=1"), 200).items;
  const [a, b] = usable;
  const off = await act("PUT", `/admin/redemptions/${a.id}/status`, { status: "2" }, admin);
  expect(off.trigger.toast.message).toBe("Disabled");
  expect(off.text).toContain('<span class="badge off">disabled</span>');
  const gone = await act("DELETE", `/admin/redemptions/${b.id}`, {}, admin);
  expect(gone.trigger.toast.message).toBe("Deleted");
  expectReply(await client(app.url, admin).get(`/api/redemption/${b.id}`), 404);
  const invalid = await act("DELETE", "/admin/redemptions/invalid", {}, admin);
  expect(invalid.trigger.toast.message).toBe("2 invalid codes deleted"); // a disabled and a used one
  expect((await page("/admin/redemptions?status=3", admin)).text).toContain("No code matches");
});

test("admins see everyone's top-ups on /topup and filter them by username", async () => {
  const all = await page("/topup", admin);
  expect(all.text).toContain("Top-ups of every user");
  expect(all.text).toContain("<td>kim</td>");
  expect((await page("/topup?user=kim", admin)).text).toContain("<td>kim</td>");
  expect((await page("/topup?user=nobody", admin)).text).toContain("No top-ups yet.");
});
