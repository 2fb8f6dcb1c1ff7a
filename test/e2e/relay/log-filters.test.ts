// The log API with API易's parameters: type, model_name, token_name, request_id, group, a time
// range, paging with pageSize; users see only their rows, admins everyone's (or one user's).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, makeUser, useServer, priceModels } from "../../support/server";

const mock = startMockUpstream({ models: ["m-a", "m-b"] });
const app = useServer();
afterAll(() => mock.stop());

let admin: ReturnType<typeof client>;
let user: Awaited<ReturnType<typeof makeUser>>;
const ids: Record<string, string> = {};

async function chat(key: string, model: string) {
  const res = await fetch(`${app.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  await res.text();
  return res.headers.get("x-request-id")!;
}

beforeAll(async () => {
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  expectReply(await admin.post("/api/group/", { name: "vip", multiplier: 1 }), 201);
  expectReply(
    await admin.post("/api/channel/", {
      name: "a",
      base_url: mock.url,
      key: "sk-up",
      models: "m-a,m-b",
      group: "default",
    }),
    201,
  );
  expectReply(
    await admin.post("/api/channel/", { name: "v", base_url: mock.url, key: "sk-up", models: "m-b", group: "vip" }),
    201,
  );
  await priceModels(app.url, adminAuth, "m-a,m-b");
  user = await makeUser(app.url, adminAuth, "logreader");
  expectReply(await admin.put(`/api/user/`, { id: user.id, unlimited: true }), 200);
  const one = expectReply(await user.api.post("/api/token/", { name: "one", unlimited_quota: true }), 201);
  const two = expectReply(
    await user.api.post("/api/token/", { name: "two", unlimited_quota: true, group: "vip" }),
    201,
  );
  ids.a1 = await chat(one.key, "m-a");
  ids.b1 = await chat(one.key, "m-b");
  ids.b2 = await chat(two.key, "m-b");
  ids.refused = await chat(one.key, "nope");
  // rows are written in batches: wait until all four are readable
  for (let i = 0; i < 100; i++) {
    if (expectReply(await user.api.get("/api/log/self?pageSize=50"), 200).total >= 4) break;
    await Bun.sleep(20);
  }
});

const requestIds = async (query: string) =>
  (expectReply(await user.api.get(`/api/log/self?${query}`), 200).items as { request_id: string }[]).map(
    (r) => r.request_id,
  );

test("filters by model, token, group, type and request id; newest first", async () => {
  expect(await requestIds("model_name=m-b")).toEqual([ids.b2, ids.b1]);
  expect(await requestIds("token_name=two")).toEqual([ids.b2]);
  expect(await requestIds("group=vip")).toEqual([ids.b2]);
  expect(await requestIds("type=5")).toEqual([ids.refused]);
  expect(await requestIds("type=2")).toEqual([ids.b2, ids.b1, ids.a1]);
  expect(await requestIds(`request_id=${ids.a1}`)).toEqual([ids.a1]);
  expect(await requestIds("model_name=m-b&token_name=one")).toEqual([ids.b1]);
});

test("time range in unix seconds and paging with pageSize", async () => {
  const now = Math.floor(Date.now() / 1000);
  expect((await requestIds(`start_timestamp=${now - 600}&end_timestamp=${now + 5}`)).length).toBe(4);
  expect(await requestIds(`start_timestamp=${now + 3600}`)).toEqual([]);
  expect(await requestIds(`end_timestamp=${now - 3600}`)).toEqual([]);
  const page1 = expectReply(await user.api.get("/api/log/self?p=1&pageSize=3"), 200);
  const page2 = expectReply(await user.api.get("/api/log/self?p=2&pageSize=3"), 200);
  expect(page1.total).toBe(4);
  expect(page1.items.length).toBe(3);
  expect(page2.items.length).toBe(1);
  expect(expectReply(await user.api.get("/api/log/self?type=9"), 422)).toBeNull();
});

test("users never see others' rows; admins filter by user", async () => {
  expect((await requestIds(`user_id=1`)).length).toBe(4); // user_id is ignored for a user's own log
  const mine = expectReply(await admin.get(`/api/log/?user_id=${user.id}&pageSize=50`), 200);
  expect(mine.total).toBe(4);
  expect(
    expectReply(await admin.get("/api/log/self"), 200).items.every((r: { user_id: number }) => r.user_id !== user.id),
  ).toBe(true);
  expect((await user.api.get("/api/log/")).status).toBe(403);
});
