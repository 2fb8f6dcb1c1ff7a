// Contract: the PostgreSQL twins of the users, groups, tokens, sessions and settings stores answer exactly
// what SQLite's answer, call for call on two databases that start empty (so generated ids match too):
// reads, misses, pages with keywords (% and _ literal, ASCII case ignored, other letters' case not),
// patches with nothing to write, deletes of missing rows, upserts twice, byte-order sorting, groups' usage
// from JSON lists; and a PostgreSQL transaction: its reads see its writes, a throw undoes them.
import { beforeAll, expect, test } from "bun:test";
import { describePg } from "../../support/postgres";
import { collateLikeALocale, type CrudStores, pgCrudStores, sameOnBoth } from "../../support/store-contract";
import { useStorePair } from "../../support/store-pair";

const T0 = 1_700_000_000;
const user = (username: string, more: object = {}) => ({
  username,
  passwordHash: `h-${username}`,
  createdAt: T0,
  ...more,
});
const token = (userId: number, name: string, more: object = {}) => ({
  userId,
  name,
  keyHash: `kh-${userId}-${name}`,
  keySealed: "sealed",
  keyMask: "sk-ab…yz",
  createdTime: T0,
  ...more,
});

/** a session as read, its created_at (the database's clock, which ticks between the two calls) "now" when recent */
const session = async (s: CrudStores, hash: string) => {
  const row = await s.sessions.get(hash);
  return row && { ...row, createdAt: Math.abs(row.createdAt - Date.now() / 1000) < 5 ? "now" : row.createdAt };
};

describePg("CRUD stores on PostgreSQL answer what SQLite answers: users, groups, tokens, sessions, settings", () => {
  const pair = useStorePair();
  let pg: CrudStores;
  beforeAll(async () => {
    await collateLikeALocale(pair);
    pg = pgCrudStores(pair.pg.tx);
  });
  const same = sameOnBoth(pair, () => pg);

  test("users: insert, lookups, misses, count, pages with keywords", async () => {
    await same((s) => s.users.insert(user("alice", { accessTokenHash: "ath-1" })));
    for (const name of ["Bob", "carol_x", "dave%", "Émile", "émilie", "ALICIA"])
      await same((s) => s.users.insert(user(name)));
    await same((s) => s.users.byId(1));
    await same((s) => s.users.byId(999));
    await same((s) => s.users.byUsername("Bob"));
    await same((s) => s.users.byUsername("bob"));
    await same((s) => s.users.byAccessTokenHash("ath-1"));
    await same((s) => s.users.byAccessTokenHash("nope"));
    await same((s) => s.users.all());
    expect(await same((s) => s.users.count())).toBe(7);
    for (const [offset, limit, keyword] of [
      [0, 3, ""],
      [3, 3, ""],
      [6, 3, ""],
      [50, 3, ""],
      [0, 10, "ali"],
      [0, 10, "ALI"],
      [0, 10, "%"],
      [0, 10, "_"],
      [0, 10, "l_x"],
      [0, 10, "o_"],
      [0, 10, "é"],
      [0, 10, "É"],
      [0, 10, "zzz"],
    ] as const)
      await same((s) => s.users.page(offset, limit, keyword));
  });

  test("users: patches, admins, quota, deletes", async () => {
    await same((s) => s.users.update(1, {}));
    await same((s) => s.users.update(999, {}));
    await same((s) => s.users.update(999, { role: "admin" }));
    await same((s) =>
      s.users.update(1, { role: "admin", unlimited: true, language: undefined, timeZone: "Asia/Tokyo" }),
    );
    await same((s) => s.users.update(2, { role: "admin", status: 2 }));
    await same((s) => s.users.otherActiveAdmins(1));
    await same((s) => s.users.otherActiveAdmins(3));
    await same((s) => s.users.addQuota(1, 500));
    await same((s) => s.users.addQuota(1, -501));
    await same((s) => s.users.addQuota(1, -500));
    await same((s) => s.users.addQuota(999, 5));
    await same((s) => s.users.delete(999));
    await same((s) => s.users.delete(7));
    await same((s) => s.users.byId(7));
    await same((s) => s.users.insert(user("after-delete"))); // id 8 on both: neither reuses 7
    expect(await same((s) => s.users.count())).toBe(7);
  });

  test("groups: ensure twice, byte order, patches, deletes", async () => {
    await same((s) => s.groups.ensure({ name: "default", description: "d", createdAt: T0 }));
    await same((s) => s.groups.ensure({ name: "default", description: "other", createdAt: T0 }));
    for (const name of ["vip", "Alpha", "alpha", "_x", "beta", "1", "Ω"])
      await same((s) => s.groups.insert({ name, createdAt: T0 }));
    expect((await same((s) => s.groups.all())).map((g) => g.name)).toEqual([
      "1",
      "Alpha",
      "_x",
      "alpha",
      "beta",
      "default",
      "vip",
      "Ω",
    ]);
    await same((s) => s.groups.get("vip"));
    await same((s) => s.groups.get("VIP"));
    await same((s) => s.groups.update("vip", {}));
    await same((s) => s.groups.update("nope", {}));
    await same((s) => s.groups.update("nope", { description: "x" }));
    await same((s) => s.groups.update("vip", { multiplierMicros: 950_000, selectable: false, description: undefined }));
    await same((s) => s.groups.delete("nope"));
    await same((s) => s.groups.delete("Ω"));
    await same((s) => s.groups.all());
  });

  test("tokens: owner joined, names, pages per user and for everyone, patches, deletes", async () => {
    await same((s) => s.tokens.insert(token(1, "main")));
    await same((s) => s.tokens.insert(token(1, "Backup_1", { group: "vip", fallbackGroups: '["alpha","vip"]' })));
    await same((s) => s.tokens.insert(token(2, "ci%", { fallbackGroups: "[1]" })));
    await same((s) => s.tokens.insert(token(3, "MAIN", { fallbackGroups: '["1"]' })));
    await same((s) => s.tokens.byId(2));
    await same((s) => s.tokens.byId(999));
    await same((s) => s.tokens.all());
    await same((s) => s.tokens.countForUser(1));
    await same((s) => s.tokens.countForUser(999));
    await same((s) => s.tokens.nameTaken(1, "main"));
    await same((s) => s.tokens.nameTaken(1, "Main"));
    await same((s) => s.tokens.nameTaken(2, "main"));
    for (const [userId, keyword, offset, limit] of [
      [null, "", 0, 10],
      [null, "", 1, 2],
      [1, "", 0, 10],
      [1, "main", 0, 10],
      [null, "main", 0, 10],
      [null, "%", 0, 10],
      [null, "_", 0, 10],
      [999, "", 0, 10],
    ] as const)
      await same((s) => s.tokens.page(userId, keyword, offset, limit));
    await same((s) => s.tokens.update(1, {}));
    await same((s) => s.tokens.update(999, {}));
    await same((s) => s.tokens.update(999, { name: "x" }));
    await same((s) => s.tokens.update(1, { status: 2, unlimitedQuota: true, models: '["gpt-4o"]', name: undefined }));
    await same((s) => s.tokens.delete(999));
  });

  test("groups: usage counts default and fallback groups and channels' JSON lists", async () => {
    await same((s) =>
      s.channels.insert({
        name: "c1",
        baseUrl: "https://a",
        keysSealed: "k",
        groups: '["default","vip"]',
        createdAt: T0,
      }),
    );
    await same((s) =>
      s.channels.insert({ name: "c2", baseUrl: "https://b", keysSealed: "k", groups: "[1]", createdAt: T0 }),
    );
    await same((s) => s.channels.insert({ name: "c3", baseUrl: "https://c", keysSealed: "k", createdAt: T0 }));
    for (const name of ["vip", "default", "alpha", "1", "Vip", "nope", ""]) await same((s) => s.groups.usage(name));
    expect(await same((s) => s.groups.usage("vip"))).toEqual({ tokens: 1, channels: 1 });
    expect(await same((s) => s.groups.usage("1"))).toEqual({ tokens: 1, channels: 0 });
  });

  test("sessions: insert, get, deletes for a user (keeping one), expired, cascade from the user", async () => {
    for (const [hash, userId, expiresAt] of [
      ["s1", 1, T0 + 10],
      ["s2", 1, T0 + 20],
      ["s3", 1, T0 + 30],
      ["s4", 2, T0 + 5],
      ["s5", 3, T0 + 100],
    ] as const)
      await same((s) => s.sessions.insert(hash, userId, expiresAt));
    await same((s) => session(s, "s1"));
    await same((s) => session(s, "nope"));
    await same((s) => s.sessions.delete("nope"));
    await same((s) => s.sessions.delete("s3"));
    await same((s) => s.sessions.deleteExpired(T0 + 10));
    for (const hash of ["s1", "s2", "s4"]) await same((s) => session(s, hash));
    await same((s) => s.sessions.deleteForUser(1, "s2"));
    await same((s) => session(s, "s2"));
    await same((s) => s.sessions.deleteForUser(1));
    await same((s) => session(s, "s2"));
    await same((s) => s.users.delete(3)); // cascades to its session and token
    await same((s) => session(s, "s5"));
    await same((s) => s.tokens.all());
  });

  test("settings: JSON values of every kind, upserts twice, misses", async () => {
    await same((s) => s.settings.all());
    const values: [string, unknown][] = [
      ["n", 42],
      ["s", "text"],
      ["b", false],
      ["z", null],
      ["o", { a: [1, "x"], b: { c: true } }],
      ["l", [3, 2, 1]],
    ];
    for (const [key, value] of values) await same((s) => s.settings.set(key, value));
    await same((s) => s.settings.set("n", 43));
    await same((s) => s.settings.set("n", 44));
    for (const key of ["n", "z", "o", "missing"]) {
      await same((s) => s.settings.get(key));
      await same((s) => s.settings.has(key));
    }
    expect(await same((s) => s.settings.all())).toEqual({ ...Object.fromEntries(values), n: 44 });
  });

  test("a PostgreSQL transaction: its reads see its writes (tx.db() at call time), a throw undoes them", async () => {
    const ghost = user("ghost");
    const seen = pair.pg.tx.run(async () => {
      await pg.users.insert(ghost);
      await pg.settings.set("n", 0);
      expect((await pg.users.byUsername("ghost"))?.username).toBe("ghost");
      expect(await pg.settings.get("n")).toBe(0);
      throw new Error("undo");
    });
    await expect(seen).rejects.toThrow("undo");
    expect(await pg.users.byUsername("ghost")).toBeUndefined();
    expect(await pg.settings.get("n")).toBe(44);

    const kept = await pair.pg.tx.run(async () => {
      await pg.settings.set("n", 45);
      return pg.settings.get("n");
    });
    expect(kept).toBe(45);
    expect(await pg.settings.get("n")).toBe(45);
  });
});
