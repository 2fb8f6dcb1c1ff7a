// Groups through the management API, over real HTTP against a real server: who sees which groups
// (users: selectable ones + "default"; admins: all), multipliers as exact decimals shown as numbers,
// create/update/delete with their validation and conflicts (duplicates, "default", groups still used
// by a token as its default or fallback group), and that only admins may change groups.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectInvalid, expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, call, client, login, makeUser, useServer, type Reply } from "../../support/server";

// password hashing (argon2id) and server starts are slow on a busy machine: no test should die of the 5 s default
setDefaultTimeout(20_000);

const app = useServer();
let admin: ReturnType<typeof client>;
let user: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  user = await makeUser(app.url, adminAuth, "groupuser");
});
/** The groups in a list reply (the shape itself is checked once, in "listing"). */
const groupsIn = (r: Reply): any[] => {
  const data = expectReply(r, 200);
  return Array.isArray(data) ? data : data.items;
};
const names = (r: Reply) => groupsIn(r).map((g) => g.name as string);
const find = async (name: string) => groupsIn(await admin.get("/api/group/")).find((g) => g.name === name);

describe("listing", () => {
  test("group default always exists with multiplier 1", async () => {
    const g = await find("default");
    expect(g).toMatchObject({ name: "default", multiplier: 1 });
    expect(typeof g.selectable).toBe("boolean");
    expect(typeof g.description).toBe("string");
  });

  test("users see selectable groups and default; admins see all", async () => {
    expectReply(await admin.post("/api/group/", { name: "open-1", selectable: true }), 201);
    expectReply(await admin.post("/api/group/", { name: "hidden-1", selectable: false }), 201);

    const forAdmin = names(await admin.get("/api/group/"));
    expect(forAdmin).toEqual(expect.arrayContaining(["default", "open-1", "hidden-1"]));
    const forUser = names(await user.api.get("/api/group/"));
    expect(forUser).toEqual(expect.arrayContaining(["default", "open-1"]));
    expect(forUser).not.toContain("hidden-1");

    // "default" stays visible to users even when it is not marked selectable
    expectReply(await admin.put("/api/group/default", { selectable: false }), 200);
    try {
      expect(names(await user.api.get("/api/group/"))).toContain("default");
    } finally {
      expectReply(await admin.put("/api/group/default", { selectable: true }), 200);
    }

    // making the hidden group selectable shows it to users
    expectReply(await admin.put("/api/group/hidden-1", { selectable: true }), 200);
    expect(names(await user.api.get("/api/group/"))).toContain("hidden-1");
  });

  test("the list replies like every list: data {items, total, page, page_size}", async () => {
    const data = expectReply(await admin.get("/api/group/"), 200);
    const { items, total, page, page_size } = data;
    expect(Array.isArray(items)).toBe(true);
    expect(page).toBe(1);
    expect(items.length).toBe(total);
    expect(page_size).toBe(total);
  });

  test("anonymous callers get 401", async () => {
    expectReply(await call(app.url, "GET", "/api/group/"), 401);
  });

  test("the multiplier is shown as a number, whether sent as a string or a number", async () => {
    const a = expectReply(
      await admin.post("/api/group/", { name: "m-str", multiplier: "0.95", description: "five off" }),
      201,
    );
    expect(a).toMatchObject({ name: "m-str", multiplier: 0.95, description: "five off", selectable: true });
    const b = expectReply(await admin.post("/api/group/", { name: "m-num", multiplier: 0.95 }), 201);
    expect(b.multiplier).toBe(0.95);
    const c = expectReply(await admin.post("/api/group/", { name: "m-six", multiplier: "1.123456" }), 201);
    expect(c.multiplier).toBe(1.123456);
    const d = expectReply(await admin.post("/api/group/", { name: "m-default" }), 201);
    expect(d).toMatchObject({ multiplier: 1, description: "", selectable: true });

    for (const name of ["m-str", "m-num"]) {
      expect((await find(name)).multiplier).toBe(0.95);
      const seen = groupsIn(await user.api.get("/api/group/")).find((g) => g.name === name);
      expect(seen.multiplier).toBe(0.95);
      expect(typeof seen.multiplier).toBe("number");
    }
  });
});

describe("create", () => {
  test("201 with the group; a duplicate name → 409", async () => {
    const g = expectReply(
      await admin.post("/api/group/", { name: "vip", description: "fast lane", multiplier: "1.4", selectable: false }),
      201,
    );
    expect(g).toMatchObject({ name: "vip", description: "fast lane", multiplier: 1.4, selectable: false });
    expectReply(await admin.post("/api/group/", { name: "vip", multiplier: 2 }), 409);
    expectReply(await admin.post("/api/group/", { name: "default" }), 409);
    // the first one is untouched
    expect(await find("vip")).toMatchObject({ multiplier: 1.4, description: "fast lane" });
  });

  test("a bad name → 422 naming name", async () => {
    for (const name of ["", "has space", "-leading", "x".repeat(65), "slash/y", 42]) {
      expectInvalid(await admin.post("/api/group/", { name }), "name");
    }
    expectInvalid(await admin.post("/api/group/", { multiplier: 1 }), "name");
  });

  test("more than 6 decimals, a negative or a junk multiplier → 422 naming multiplier", async () => {
    for (const multiplier of ["1.1234567", 0.1234567, "-1", -0.5, "abc", "", true]) {
      expectInvalid(await admin.post("/api/group/", { name: "bad-mult", multiplier }), "multiplier");
    }
    expect(await find("bad-mult")).toBeUndefined();
  });

  test("a body that is not JSON → 400", async () => {
    expectReply(await admin.post("/api/group/", "name=oops"), 400);
  });
});

describe("update", () => {
  test("changes description, multiplier and selectable", async () => {
    expectReply(await admin.post("/api/group/", { name: "upd-1", multiplier: "0.5" }), 201);
    const g = expectReply(
      await admin.put("/api/group/upd-1", { description: "now pricier", multiplier: "1.25", selectable: false }),
      200,
    );
    expect(g).toMatchObject({ name: "upd-1", description: "now pricier", multiplier: 1.25, selectable: false });
    expect(await find("upd-1")).toMatchObject({ description: "now pricier", multiplier: 1.25, selectable: false });
    expectInvalid(await admin.put("/api/group/upd-1", { multiplier: "0.0000001" }), "multiplier");
    expectInvalid(await admin.put("/api/group/upd-1", { multiplier: -2 }), "multiplier");
    expect((await find("upd-1")).multiplier).toBe(1.25);
  });

  test("fields left out keep their values", async () => {
    expectReply(
      await admin.post("/api/group/", {
        name: "partial-1",
        description: "keep me",
        multiplier: "0.8",
        selectable: false,
      }),
      201,
    );
    const g = expectReply(await admin.put("/api/group/partial-1", { description: "changed" }), 200);
    expect(g).toMatchObject({ name: "partial-1", description: "changed", multiplier: 0.8, selectable: false });
    const h = expectReply(await admin.put("/api/group/partial-1", { multiplier: 0.7 }), 200);
    expect(h).toMatchObject({ description: "changed", multiplier: 0.7, selectable: false });
    expect(await find("partial-1")).toMatchObject({ description: "changed", multiplier: 0.7, selectable: false });
  });

  test("an unknown group → 404", async () => {
    expectReply(await admin.put("/api/group/no-such-group", { description: "x" }), 404);
  });
});

describe("delete", () => {
  test('"default" cannot be deleted (409)', async () => {
    expectReply(await admin.del("/api/group/default"), 409);
    expect(await find("default")).toBeDefined();
  });

  test("409 while a token uses the group as its default group; 200 once unused", async () => {
    expectReply(await admin.post("/api/group/", { name: "used-main", selectable: true }), 201);
    const tok = expectReply(await user.api.post("/api/token/", { name: "on-used-main", group: "used-main" }), 201);
    expect(tok.group).toBe("used-main");

    expectReply(await admin.del("/api/group/used-main"), 409);
    expect(await find("used-main")).toBeDefined();

    // moving the token to another group frees it
    expectReply(await user.api.put("/api/token/", { id: tok.id, group: "default" }), 200);
    expectReply(await admin.del("/api/group/used-main"), 200);
    expect(await find("used-main")).toBeUndefined();
    expectReply(await admin.del("/api/group/used-main"), 404);
  });

  test("409 while a token lists the group as a fallback group; 200 once unused", async () => {
    expectReply(await admin.post("/api/group/", { name: "used-fb", selectable: true }), 201);
    expectReply(await admin.post("/api/group/", { name: "used-fb2", selectable: true }), 201);
    const tok = expectReply(
      await user.api.post("/api/token/", { name: "fb-user", fallback_groups: "used-fb2,used-fb" }),
      201,
    );
    expect(tok.group).toBe("default");
    expect(tok.fallback_groups).toEqual(["used-fb2", "used-fb"]);

    expectReply(await admin.del("/api/group/used-fb"), 409);
    expectReply(await admin.del("/api/group/used-fb2"), 409);

    // deleting the token frees both
    expectReply(await user.api.del(`/api/token/${tok.id}`), 200);
    expectReply(await admin.del("/api/group/used-fb"), 200);
    expectReply(await admin.del("/api/group/used-fb2"), 200);
    expect(await find("used-fb")).toBeUndefined();
  });

  test("a fallback group cleared from the token frees the group", async () => {
    expectReply(await admin.post("/api/group/", { name: "fb-clear", selectable: true }), 201);
    const tok = expectReply(
      await user.api.post("/api/token/", { name: "fb-clear-user", fallback_groups: ["fb-clear"] }),
      201,
    );
    expectReply(await admin.del("/api/group/fb-clear"), 409);
    const upd = expectReply(await user.api.put("/api/token/", { id: tok.id, fallback_groups: [] }), 200);
    expect(upd.fallback_groups).toEqual([]);
    expectReply(await admin.del("/api/group/fb-clear"), 200);
  });

  test("an unused group is deleted (200) and is gone from the list", async () => {
    expectReply(await admin.post("/api/group/", { name: "spare" }), 201);
    expectReply(await admin.del("/api/group/spare"), 200);
    expect(names(await admin.get("/api/group/"))).not.toContain("spare");
    expectReply(await admin.del("/api/group/never-existed"), 404);
  });
});

describe("only admins change groups", () => {
  test("users get 403 on create, update and delete; anonymous callers 401", async () => {
    expectReply(await admin.post("/api/group/", { name: "guarded", multiplier: 2 }), 201);

    expectReply(await user.api.post("/api/group/", { name: "mine" }), 403);
    expectReply(await user.api.put("/api/group/guarded", { multiplier: 0.1 }), 403);
    expectReply(await user.api.del("/api/group/guarded"), 403);

    const anon = client(app.url);
    expectReply(await anon.post("/api/group/", { name: "mine" }), 401);
    expectReply(await anon.put("/api/group/guarded", { multiplier: 0.1 }), 401);
    expectReply(await anon.del("/api/group/guarded"), 401);

    expect(await find("mine")).toBeUndefined();
    expect(await find("guarded")).toMatchObject({ multiplier: 2 });
  });
});
