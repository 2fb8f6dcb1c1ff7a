// Per-address limits on what anyone may call without a session (src/http/anonymous-limit.ts): sign-up
// through the API and the console page, and the key-only balance endpoints, where keys could be
// guessed at. Every request counts; the one over the limit gets 429 with retry-after.
import { beforeAll, expect, test } from "bun:test";
import { ANONYMOUS_LIMITS } from "../../../src/http/anonymous-limit";
import { expectReply } from "../../support/expect";
import { gatewayAdmin } from "../../support/gateway";
import { useServer } from "../../support/server";

const app = useServer();

beforeAll(async () => {
  const gw = await gatewayAdmin(app.url);
  expectReply(await gw.admin.put("/api/setting", { register_enabled: true }), 200);
});

test("sign-up: at most 10 an hour from one address, refused ones included; the console page shares the count", async () => {
  const { max } = ANONYMOUS_LIMITS.signup;
  const signUp = (username: string) =>
    fetch(`${app.url}/api/user/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password: "long-enough-password" }),
    });
  for (let i = 0; i < max - 1; i++) expect((await signUp("no spaces allowed")).status).toBe(422);
  expect((await signUp("last-one-in")).status).toBe(201);
  const over = await signUp("one-too-many");
  expect(over.status).toBe(429);
  expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
  expect((await over.json()).message).toContain("too many sign-ups from your address (at most 10 an hour)");
  const page = await fetch(`${app.url}/register`, {
    method: "POST",
    headers: { origin: app.url, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: "via-console", password: "long-enough-password" }),
    redirect: "manual",
  });
  expect(page.status).toBe(429);
  expect(await page.text()).toContain("too many sign-ups");
});

test("balance endpoints: at most 120 a minute from one address, whatever the key", async () => {
  const { max } = ANONYMOUS_LIMITS.balance;
  const read = (path: string) =>
    fetch(`${app.url}${path}`, { headers: { authorization: "Bearer sk-guessing-0123456789abcdef" } });
  const paths = ["/dashboard/billing/subscription", "/v1/dashboard/billing/usage", "/api/usage/token/"];
  for (let i = 0; i < max; i++) expect((await read(paths[i % 3])).status).toBe(401);
  const over = await read("/v1/dashboard/billing/subscription");
  expect(over.status).toBe(429);
  expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
  expect((await over.json()).error).toMatchObject({ code: "rate_limit_exceeded", type: "rate_limit_error" });
  const newApi = await read("/api/usage/token/");
  expect(newApi.status).toBe(429);
  expect((await newApi.json()).success).toBe(false);
});
