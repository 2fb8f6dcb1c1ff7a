// The client IP: the socket peer, unless that peer is a configured trusted proxy, in which case
// the right-most untrusted X-Forwarded-For hop. Unit rules, then through a server started with
// --trusted-proxies.
import { afterAll, expect, test } from "bun:test";
import { clientIp, parseCidr, type Cidr } from "../../../src/core/ip";
import { expectReply } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import { ADMIN_PASSWORD, client, login, useServer, priceModels } from "../../support/server";

const cidrs = (...e: string[]) => e.map((x) => parseCidr(x) as Cidr);

test("X-Forwarded-For counts only when the peer is a trusted proxy", () => {
  const trusted = cidrs("127.0.0.1", "10.9.0.0/16");
  expect(clientIp("203.0.113.5", "10.1.2.3", trusted)).toBe("203.0.113.5"); // untrusted peer: header ignored
  expect(clientIp("::ffff:127.0.0.1", "10.1.2.3", trusted)).toBe("10.1.2.3");
  expect(clientIp("127.0.0.1", "198.51.100.7, 10.9.1.1", trusted)).toBe("198.51.100.7"); // skip trusted hops
  expect(clientIp("127.0.0.1", "spoofed, 198.51.100.7", trusted)).toBe("198.51.100.7");
  expect(clientIp("127.0.0.1", "not-an-ip", trusted)).toBe("127.0.0.1"); // garbage: trust the socket only
  expect(clientIp("127.0.0.1", null, trusted)).toBe("127.0.0.1");
  expect(clientIp("127.0.0.1", "10.1.2.3", [])).toBe("127.0.0.1"); // no trusted proxies: never
});

const mock = startMockUpstream({ models: ["ip-model"] });
const app = useServer({ args: ["--trusted-proxies", "127.0.0.1,::1"] });
afterAll(() => mock.stop());

test("behind a trusted proxy the forwarded address meets the allowlist and is logged", async () => {
  const adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  const admin = client(app.url, adminAuth);
  await priceModels(app.url, adminAuth, "ip-model");
  expectReply(
    await admin.post("/api/channel/", { name: "ip", base_url: mock.url, key: "sk-up", models: "ip-model" }),
    201,
  );
  const token = expectReply(
    await admin.post("/api/token/", { name: "office", unlimited_quota: true, allow_ips: ["10.0.0.0/8"] }),
    201,
  );
  const send = (xff?: string) =>
    fetch(`${app.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token.key}`,
        "content-type": "application/json",
        ...(xff ? { "x-forwarded-for": xff } : {}),
      },
      body: JSON.stringify({ model: "ip-model", messages: [{ role: "user", content: "hi" }] }),
    });
  expect((await send()).status).toBe(403);
  const ok = await send("10.1.2.3");
  expect(ok.status).toBe(200);
  const requestId = ok.headers.get("x-request-id")!;
  let row: any;
  for (let i = 0; i < 50 && !row; i++) {
    await Bun.sleep(20);
    row = expectReply(await admin.get(`/api/log/self?request_id=${requestId}`), 200).items[0];
  }
  expect(row.ip).toBe("10.1.2.3");
  expect((await send("192.168.1.1")).status).toBe(403);
});
