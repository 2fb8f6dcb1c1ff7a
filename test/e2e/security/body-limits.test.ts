// Body limits outside /v1 (issue 10, item 5): the management API, sign-in, sign-up, sign-out and the
// console's actions read their bodies within management_body_limit_kb (1 MiB by default) and
// body_read_timeout_seconds. A declared Content-Length over the limit is refused before a byte of the
// body is read (the raw-socket cases send none and still get their answer); a chunked body is cut
// when it passes the limit; the answer is 413 in the route's shape (JSON on /api, the sign-in page,
// a toast for an htmx action). The setting applies at once. A body that stalls gets 408 at the
// deadline. (The memory figure under parallel oversized posts is in bench/bodies.ts, not here.)
import { beforeAll, describe, expect, test } from "bun:test";
import { expectReply } from "../../support/expect";
import { ADMIN_PASSWORD, client, login, useServer } from "../../support/server";

const app = useServer();
const MiB = 1024 * 1024;
let admin: { cookie: string; csrf: string };
let bearer = "";

/** Sends raw request bytes; resolves with the whole answer (status line, headers, body) as soon as the
 * head has come and the connection has been quiet for a moment, or "silent" after `waitMs`. */
function raw(text: string, waitMs = 10_000): Promise<string> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve) => {
    let got = "";
    let settle: ReturnType<typeof setTimeout> | undefined;
    const timer = setTimeout(() => finish(got || "silent"), waitMs);
    const finish = (v: string) => {
      clearTimeout(timer);
      clearTimeout(settle);
      resolve(v);
    };
    Bun.connect({
      hostname,
      port: Number(port),
      socket: {
        open: (s) => void s.write(text),
        data(s, d) {
          got += d.toString();
          clearTimeout(settle);
          if (got.includes("\r\n\r\n")) settle = setTimeout(() => (s.end(), finish(got)), 200);
        },
        close: () => finish(got || "closed"),
      },
    });
  });
}

/** A request head that announces `length` bytes of body and then sends only `sent` of them. */
const head = (method: string, path: string, headers: Record<string, string>, length: number) =>
  `${method} ${path} HTTP/1.1\r\nHost: ${new URL(app.url).host}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}Content-Length: ${length}\r\n\r\n`;

/** A chunked body of `bytes` bytes (no Content-Length), in 64 KiB chunks. */
function chunked(bytes: number, prefix = "") {
  let sent = 0;
  const enc = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent === 0 && prefix) c.enqueue(enc.encode(prefix));
      if (sent >= bytes) return c.close();
      c.enqueue(enc.encode("x".repeat(64 * 1024)));
      sent += 64 * 1024;
    },
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

beforeAll(async () => {
  admin = await login(app.url, "admin", ADMIN_PASSWORD);
  bearer = `Bearer ${expectReply(await client(app.url, admin).post("/api/user/token"), 200).access_token}`;
  expectReply(await client(app.url, { token: bearer }).put("/api/setting", { register_enabled: true }), 200);
});

describe("the management API (/api)", () => {
  test("a declared Content-Length over 1 MiB → 413 in the API's shape, before the body is read", async () => {
    const answer = await raw(
      head("POST", "/api/token/", { authorization: bearer, "content-type": "application/json" }, 2 * MiB) + "{",
    );
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body).toEqual({ success: false, message: `the request body is larger than ${MiB} bytes`, data: null });
  });

  test("the anonymous sign-in route too: 413 before reading", async () => {
    const answer = await raw(head("POST", "/api/user/login", { "content-type": "application/json" }, 2 * MiB) + "{");
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
    expect(answer).toContain('"success":false');
  });

  test("past twice the largest limit of any route (2 × --max-body-mb 32 + 1 MiB) the server refuses by itself: 100 MiB on any path → 413", async () => {
    for (const path of ["/api/user/login", "/login", "/token", "/api/status", "/no-such-page"]) {
      const answer = await raw(head("POST", path, { "content-type": "application/json" }, 100 * MiB) + "{");
      expect(`${path}: ${answer.split(" ")[1]}`).toBe(`${path}: 413`);
    }
  });

  test("a chunked body is cut when it passes 1 MiB → 413", async () => {
    const res = await fetch(`${app.url}/api/token/`, {
      method: "POST",
      headers: { authorization: bearer, "content-type": "application/json" },
      body: chunked(3 * MiB, '{"name":"'),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { success: boolean }).success).toBe(false);
  });

  test("just under the limit is read (and judged on its fields)", async () => {
    const r = await client(app.url, { token: bearer }).post("/api/token/", {
      name: "padded",
      unlimited_quota: true,
      pad: "x".repeat(MiB - 1000),
    });
    expect(r.status).not.toBe(413);
  });

  test("management_body_limit_kb applies at once: 4 KiB → a 5 KiB body gets 413, a 3 KiB one does not", async () => {
    const api = client(app.url, { token: bearer });
    expectReply(await api.put("/api/setting", { management_body_limit_kb: 4 }), 200);
    try {
      expectReply(await api.post("/api/group/", { name: "big", description: "x".repeat(5 * 1024) }), 413);
      expect((await api.post("/api/group/", { name: "small", description: "x".repeat(3 * 1024) })).status).not.toBe(
        413,
      );
    } finally {
      expectReply(await api.put("/api/setting", { management_body_limit_kb: 1024 }), 200);
    }
  });

  test("a body that stalls gets 408 at the body_read_timeout_seconds deadline", async () => {
    const api = client(app.url, { token: bearer });
    expectReply(await api.put("/api/setting", { body_read_timeout_seconds: 1 }), 200);
    try {
      const answer = await raw(
        head("POST", "/api/token/", { authorization: bearer, "content-type": "application/json" }, 100) + '{"name":',
      );
      expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 408 Request Timeout");
      expect(answer).toContain('"success":false');
    } finally {
      expectReply(await api.put("/api/setting", { body_read_timeout_seconds: 30 }), 200);
    }
  });
});

describe("sign-in, sign-up, sign-out and the console", () => {
  const page = { "content-type": "application/x-www-form-urlencoded", origin: "" };
  beforeAll(() => {
    page.origin = app.url;
  });

  test("POST /login with 2 MiB declared → 413 and the sign-in page, before reading", async () => {
    const answer = await raw(head("POST", "/login", page, 2 * MiB) + "username=");
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
    expect(answer).toContain("text/html");
    expect(answer).toContain("larger than");
  });

  test("POST /login chunked past 1 MiB → 413 page; a normal sign-in still works", async () => {
    const res = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: page,
      body: chunked(2 * MiB, "username=admin&password="),
      duplex: "half",
      redirect: "manual",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("larger than");
    const ok = await fetch(`${app.url}/login`, {
      method: "POST",
      headers: page,
      body: form({ username: "admin", password: ADMIN_PASSWORD }),
      redirect: "manual",
    });
    expect(ok.status).toBe(303);
  });

  test("POST /register with a body over the limit → 413 page; nobody is created", async () => {
    const body = form({ username: "bulky", password: "bulky-pass-1", pad: "x".repeat(2 * MiB) });
    const res = await fetch(`${app.url}/register`, { method: "POST", headers: page, body, redirect: "manual" });
    expect(res.status).toBe(413);
    const users = expectReply(await client(app.url, { token: bearer }).get("/api/user/?keyword=bulky"), 200);
    expect(users.total).toBe(0);
  });

  test("POST /logout with a body over the limit → 413 page; the session lives on", async () => {
    const me = await login(app.url, "admin", ADMIN_PASSWORD);
    const body = form({ _csrf: me.csrf, pad: "x".repeat(2 * MiB) });
    const res = await fetch(`${app.url}/logout`, {
      method: "POST",
      headers: { ...page, cookie: me.cookie },
      body,
      redirect: "manual",
    });
    expect(res.status).toBe(413);
    expectReply(await client(app.url, me).get("/api/user/self"), 200);
  });

  test("a console action (htmx) with a body over the limit → 413 with an error toast; nothing created", async () => {
    const headers = { ...page, cookie: admin.cookie, "x-csrf-token": admin.csrf, "hx-request": "true" };
    const res = await fetch(`${app.url}/token`, {
      method: "POST",
      headers,
      body: form({ name: "huge", unlimited: "1", never: "1", pad: "x".repeat(2 * MiB) }),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.headers.get("hx-trigger") ?? "{}").toast.message).toContain("larger than");
    const tokens = expectReply(await client(app.url, { token: bearer }).get("/api/token/search?keyword=huge"), 200);
    expect(tokens.items ?? tokens).toEqual([]);
  });

  test("a console action with 2 MiB declared → 413 before reading", async () => {
    const answer = await raw(
      head("POST", "/token", { ...page, cookie: admin.cookie, "x-csrf-token": admin.csrf }, 2 * MiB) + "name=",
    );
    expect(answer.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
  });
});
