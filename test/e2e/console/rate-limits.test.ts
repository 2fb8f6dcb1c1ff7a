// Rate limits in the console over HTTP: the token dialog's folded "Advanced" section (create, edit,
// a bad value shown in the dialog), an admin setting a user's limits, and a group's defaults.
import { beforeAll, expect, test } from "bun:test";
import { consoleSession } from "../../support/console";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, makeUser, useServer } from "../../support/server";

const app = useServer();
let s: Awaited<ReturnType<typeof consoleSession>>;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  s = await consoleSession(app.url, "admin", ADMIN_PASSWORD);
  api = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
});

const tokenNamed = async (name: string) =>
  (expectReply(await api.get(`/api/token/?keyword=${name}`), 200).items as any[]).find((t) => t.name === name);

test("the token dialog: limits folded away until set; saved on create, shown again on edit", async () => {
  const blank = await s.fragment("/token/new");
  expect(blank.text).toContain("Advanced: rate limits");
  expect(blank.text).toContain('name="rpm_limit"');
  expect(blank.text).not.toMatch(/<details class="advanced" open/);
  const made = await s.act("POST", "/token", {
    name: "limited-one",
    unlimited: "1",
    never: "1",
    group: "default",
    rpm_limit: "12",
    tpm_limit: "",
    rpd_limit: "500",
    max_parallel_requests: "0",
  });
  expect(s.toast(made)).toBe("Token created");
  const t = await tokenNamed("limited-one");
  expect(t).toMatchObject({ rpm_limit: 12, tpm_limit: 0, rpd_limit: 500, max_parallel_requests: 0 });
  const edit = await s.fragment(`/token/${t.id}/edit`);
  expect(edit.text).toMatch(/<details class="advanced" open/);
  expect(edit.text).toContain('name="rpm_limit" inputmode="numeric" pattern="[0-9]*" value="12"');
});

test("a limit that is not a whole number comes back in the dialog, naming the field; nothing is made", async () => {
  const bad = await s.act("POST", "/token", { name: "bad-limit", unlimited: "1", never: "1", rpm_limit: "ten" });
  expect(bad.text).toContain("rpm_limit: must be a whole number (empty or 0 = not set)");
  expect(bad.text).toContain('value="ten"');
  expect(await tokenNamed("bad-limit")).toBeUndefined();
});

test("an admin sets a user's limits from the users page", async () => {
  const u = await makeUser(app.url, await login(app.url, "admin", ADMIN_PASSWORD), "limited-user");
  const dialog = await s.fragment(`/admin/users/${u.id}/limits`);
  expect(dialog.text).toContain("Rate limits of");
  const saved = await s.act("POST", `/admin/users/${u.id}/limits`, { rpm_limit: "30", max_parallel_requests: "2" });
  expect(s.toast(saved)).toBe("Rate limits of limited-user saved");
  expect(expectReply(await api.get(`/api/user/${u.id}`), 200)).toMatchObject({
    rpm_limit: 30,
    max_parallel_requests: 2,
    tpm_limit: 0,
  });
});

test("a group's defaults are set in its dialog", async () => {
  const made = await s.act("POST", "/admin/groups", {
    name: "team",
    description: "",
    multiplier: "1",
    selectable: "1",
    tpm_limit: "90000",
  });
  expect(made.status).toBe(200);
  const g = (expectReply(await api.get("/api/group/"), 200).items as any[]).find((x) => x.name === "team");
  expect(g).toMatchObject({ tpm_limit: 90000, rpm_limit: 0 });
  expect((await s.fragment("/admin/groups/team/edit")).text).toContain('value="90000"');
});
