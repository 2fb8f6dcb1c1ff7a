// `apiyi redemption create` as a real process: the CSV on stdout (header, then count lines of a 32-hex
// code, quota units, USD and expiry), codes that a running server on the same data dir redeems at once,
// expiry as 30d / a date / never, and one-line exit-2 refusals for bad flags.
import { expect, test } from "bun:test";
import { expectOneLineError } from "../../support/expect";
import { ADMIN_PASSWORD, cli, client, login, makeUser, scratchDirs, startServer } from "../../support/server";

const newDir = scratchDirs("apiyi-cli-redeem-");

test("redemption create --count 100 --usd 10 --expires 30d > codes.csv; a running server redeems them", async () => {
  const dataDir = newDir();
  const server = await startServer({ dataDir });
  try {
    const nowMs = Date.now();
    const r = await cli([
      "redemption",
      "create",
      "--count",
      "100",
      "--usd",
      "10",
      "--expires",
      "30d",
      "--data-dir",
      dataDir,
    ]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const [header, ...lines] = r.stdout.trimEnd().split("\n");
    expect(header).toBe("code,quota,usd,expires");
    expect(lines).toHaveLength(100);
    const rows = lines.map((l) => l.split(","));
    for (const [code, quota, usd, expires] of rows) {
      expect(code).toMatch(/^[0-9a-f]{32}$/);
      expect([quota, usd]).toEqual(["5000000", "10"]);
      const days = (Date.parse(expires) - nowMs) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThan(30.1);
    }
    expect(new Set(rows.map((r) => r[0])).size).toBe(100);
    const admin = await login(server.url, "admin", ADMIN_PASSWORD);
    const jo = await makeUser(server.url, admin, "joan");
    expect((await jo.api.post("/api/user/topup", { key: rows[0][0] })).body).toEqual({
      success: true,
      message: "",
      data: 5_000_000,
    });
    const list = (await client(server.url, admin).get("/api/redemption/?size=100")).body.data;
    expect(list.total).toBe(100);
    expect(list.items.every((i: { name: string; user_id: number }) => i.name === "cli" && i.user_id === 0)).toBe(true);
  } finally {
    await server.stop();
  }
});

test("--expires never (the default) or a date; --name names the batch", async () => {
  const dataDir = newDir();
  const never = await cli(["redemption", "create", "--usd", "0.5", "--name", "promo", "--data-dir", dataDir]);
  expect(never.code).toBe(0);
  expect(never.stdout).toMatch(/^code,quota,usd,expires\n[0-9a-f]{32},250000,0\.5,never\n$/);
  const dated = await cli(["redemption", "create", "--usd", "1", "--expires", "2099-01-01", "--data-dir", dataDir]);
  expect(dated.stdout.split("\n")[1]).toEndWith(",2099-01-01T00:00:00.000Z");
});

test("bad flags: one line on stderr naming the flag, exit 2, nothing on stdout", async () => {
  const dataDir = newDir();
  const cases: [string[], string][] = [
    [["--count", "5"], "--usd is required"],
    [["--usd", "ten"], "--usd:"],
    [["--usd", "1", "--count", "101"], "--count: 1–100"],
    [["--usd", "1", "--count", "2.5"], "--count:"],
    [["--usd", "1", "--expires", "yesterday"], "--expires:"],
    [["--usd", "1", "--expires", "2020-01-01"], "--expires: must be 0 (never) or a unix time in the future"],
    [["--usd", "1", "--name", "x".repeat(21)], "--name: 1–20 characters"],
  ];
  for (const [args, message] of cases) {
    const r = await cli(["redemption", "create", ...args, "--data-dir", dataDir]);
    expectOneLineError(r, message, args);
  }
});
