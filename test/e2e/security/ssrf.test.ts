// SSRF through channel base URLs (issue 10, item 3). Link-local and cloud-metadata addresses
// (169.254.0.0/16, fe80::/10, fd00:ec2::254, 100.100.100.200) are refused in every spelling: decimal,
// hex, octal, short IPv4, IPv4-mapped/compatible/NAT64/6to4 IPv6, brackets, zones, a trailing dot,
// and metadata host names; loopback and private addresses stay allowed (an admin's own vLLM/Ollama).
// - the classifier, table-driven (pure);
// - the guard at call time, in this process with an injected resolver: a name that resolves to a
//   refused address is refused, every answer is checked (DNS rebinding), the request goes to the
//   address that was checked with the original Host header and TLS name, answers are cached;
// - end to end on a real server (APIYI_RESOLVE pins names like curl --resolve): refused at save time
//   through the API, the CLI and the console; at call time a /v1 call and the channel Test never
//   reach a name that resolves to a refused address, nor a refused address stored before this check.
import { Database } from "bun:sqlite";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { parseIp, refusedAddress, refusedHost } from "../../../src/core/egress";
import { describeFetchError, EgressError, guardedFetch, refusedUrl, targetFor } from "../../../src/net/egress";
import { configureResolver, resolveChecked } from "../../../src/net/resolve";
import { expectReply } from "../../support/expect";
import { gatewayAdmin, type Gateway } from "../../support/gateway";
import { startMockUpstream, type MockUpstream } from "../../support/mock-upstream";
import { UPSTREAM_TEST_CERT, UPSTREAM_TEST_KEY } from "../../support/mock/tls-fixture";
import { chatCall, cli, scratchDirs, useServer } from "../../support/server";

const REFUSED_HOSTS = [
  "169.254.169.254",
  "169.254.0.1",
  "169.254.255.255",
  "169.254.170.2",
  "2852039166",
  "0xa9fea9fe",
  "0xA9FEA9FE",
  "0xa9.0xfe.0xa9.0xfe",
  "0251.0376.0251.0376",
  "0251.254.169.254",
  "169.254.43518",
  "169.16689662",
  "169.0xfe.43518",
  "0xa9.16689662",
  "169.254.169.254.",
  "::ffff:169.254.169.254",
  "[::ffff:169.254.169.254]",
  "::ffff:a9fe:a9fe",
  "[::ffff:a9fe:a9fe]",
  "0:0:0:0:0:ffff:a9fe:a9fe",
  "0000:0000:0000:0000:0000:ffff:169.254.169.254",
  "::169.254.169.254",
  "::a9fe:a9fe",
  "::ffff:0:169.254.169.254",
  "64:ff9b::169.254.169.254",
  "64:ff9b::a9fe:a9fe",
  "2002:a9fe:a9fe::1",
  "fe80::1",
  "[fe80::1]",
  "FE80::",
  "fe80::1%eth0",
  "[fe80::1%25eth0]",
  "fe80:0000:0000:0000:0000:0000:0000:0001",
  "febf:ffff::1",
  "fe9a::2",
  "fd00:ec2::254",
  "[fd00:ec2::254]",
  "fd00:ec2:0:0:0:0:0:254",
  "FD00:0EC2::0254",
  "100.100.100.200",
  "0x646464c8",
  "1684301000",
  "0144.0144.0144.0310",
  "100.100.25800",
  "::ffff:100.100.100.200",
  "metadata.google.internal",
  "METADATA.GOOGLE.INTERNAL.",
  "metadata.goog",
];
const ALLOWED_HOSTS = [
  "127.0.0.1",
  "2130706433",
  "0x7f000001",
  "0177.0.0.1",
  "127.1",
  "localhost",
  "::1",
  "[::1]",
  "::ffff:127.0.0.1",
  "10.0.0.1",
  "192.168.1.10",
  "172.16.0.1",
  "100.64.0.1",
  "100.100.100.201",
  "169.253.255.255",
  "169.255.0.1",
  "fec0::1",
  "fc00::1",
  "fd00:ec2::253",
  "fd12:3456::1",
  "8.8.8.8",
  "2001:4860:4860::8888",
  "0.0.0.0",
  "api.openai.com",
  "169.254.example.com",
  "fe80.example.com",
];
/** URLs as an admin could type them: the URL parser canonicalises these before the check */
const REFUSED_URLS = [
  "http://169.254.169.254/latest/meta-data/",
  "http://2852039166/",
  "http://0xA9FEA9FE/v1",
  "http://0251.0376.0251.0376/",
  "http://169.254.43518/",
  "http://169.254.169.254./",
  "http://[::ffff:169.254.169.254]/",
  "http://[0:0:0:0:0:ffff:169.254.169.254]:80/",
  "http://[fe80::1]:8080/v1",
  "http://[fd00:ec2::254]/latest",
  "http://100.100.100.200/",
  "http://0x64.0x64.0x64.0xc8/",
  "http://%31%36%39.254.169.254/",
  "http://169。254。169。254/",
  "https://metadata.google.internal/computeMetadata/v1/",
];

describe("the address classifier", () => {
  for (const host of REFUSED_HOSTS) test(`refused: ${host}`, () => expect(refusedHost(host)).toBeString());
  for (const host of ALLOWED_HOSTS) test(`allowed: ${host}`, () => expect(refusedHost(host)).toBeNull());
  for (const url of REFUSED_URLS) test(`refused URL: ${url}`, () => expect(refusedUrl(url)).toBeString());

  test("every spelling of the metadata address parses to the same 16 bytes", () => {
    const canonical = parseIp("::ffff:169.254.169.254")!.bytes;
    for (const s of [
      "169.254.169.254",
      "2852039166",
      "0xa9fea9fe",
      "0251.0376.0251.0376",
      "169.254.43518",
      "169.16689662",
      "[::ffff:a9fe:a9fe]",
    ]) {
      expect({ s, bytes: [...parseIp(s)!.bytes] }).toEqual({ s, bytes: [...canonical] });
    }
  });

  test("not addresses: names, out-of-range parts, malformed IPv6", () => {
    for (const s of [
      "api.openai.com",
      "256.1.1.1",
      "1.2.3.4.5",
      "4294967296",
      "0x1a9fea9fe",
      "1..2",
      "::1::2",
      "12345::",
      "fe80::g",
      "",
    ])
      expect({ s, ip: parseIp(s) }).toEqual({ s, ip: null });
    expect(refusedAddress(parseIp("169.254.1.1")!)).toContain("link-local");
  });
});

describe("the guard at call time (in this process)", () => {
  let lookups: string[] = [];
  const answers = new Map<string, string[]>();
  const fake = async (host: string) => {
    lookups.push(host);
    const a = answers.get(host);
    if (!a) throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "DNS_ENOTFOUND" });
    return a;
  };
  const seen: { host: string | null; path: string }[] = [];
  let local: ReturnType<typeof Bun.serve>;
  let tls: ReturnType<typeof Bun.serve>;
  beforeAll(() => {
    local = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: (r) => (seen.push({ host: r.headers.get("host"), path: new URL(r.url).pathname }), new Response("local")),
    });
    tls = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: UPSTREAM_TEST_CERT, key: UPSTREAM_TEST_KEY },
      fetch: (r) => new Response(`tls ${r.headers.get("host")}`),
    });
  });
  afterAll(() => {
    local.stop(true);
    tls.stop(true);
    configureResolver({});
  });
  afterEach(() => {
    lookups = [];
    answers.clear();
    seen.length = 0;
  });
  const use = (map: Record<string, string[]>) => {
    configureResolver({ resolver: fake });
    for (const [h, a] of Object.entries(map)) answers.set(h, a);
  };

  test("a name that resolves to a refused address is refused before any connection; so is one that lists it among others", async () => {
    use({
      "meta.test": ["169.254.169.254"],
      "mixed.test": ["127.0.0.1", "169.254.169.254"],
      "v6meta.test": ["fd00:ec2::254"],
    });
    for (const name of ["meta.test", "mixed.test", "v6meta.test"]) {
      const e = await guardedFetch(`http://${name}:${local.port}/v1/chat/completions`, {
        method: "POST",
        body: "{}",
      }).catch((x) => x);
      expect(e).toBeInstanceOf(EgressError);
      expect(e.kind).toBe("refused");
      expect(e.message).toContain(name);
    }
    expect(seen).toEqual([]);
  });

  test("a name is sent to the address that was checked, with its own Host header (the system resolver never sees it)", async () => {
    use({ "up.test": ["127.0.0.1"] });
    const r = await guardedFetch(`http://up.test:${local.port}/v1/models`);
    expect(await r.text()).toBe("local");
    expect(seen).toEqual([{ host: `up.test:${local.port}`, path: "/v1/models" }]);
  });

  test("HTTPS to a checked address keeps the TLS name: SNI and the certificate are checked against the host name", async () => {
    use({ "upstream.test": ["127.0.0.1"], "other.test": ["127.0.0.1"] });
    const r = await guardedFetch(`https://upstream.test:${tls.port}/v1`, { tls: { ca: UPSTREAM_TEST_CERT } });
    expect(await r.text()).toBe(`tls upstream.test:${tls.port}`);
    // the same address under another name: the certificate does not match, the call fails
    const t = await targetFor(`https://other.test:${tls.port}/v1`);
    const e = await guardedFetch(`https://other.test:${tls.port}/v1`, { tls: { ca: UPSTREAM_TEST_CERT } }).catch(
      (x) => x,
    );
    expect(describeFetchError(e, t.display)).toStartWith(`TLS: other.test:${tls.port}: `);
  });

  test("DNS rebinding: every answer is checked, and a refused one takes over at once", async () => {
    use({ "rebind.test": ["127.0.0.1"] });
    expect(await resolveChecked("rebind.test")).toEqual({ address: "127.0.0.1", family: 4 });
    answers.set("rebind.test", ["169.254.169.254"]);
    // the cached answer has gone stale: it is served once more while a lookup refreshes it…
    expect(await resolveChecked("rebind.test", Date.now() + 31_000)).toEqual({ address: "127.0.0.1", family: 4 });
    await Bun.sleep(10);
    // …and the new answer is refused from then on
    const e = await resolveChecked("rebind.test").catch((x) => x);
    expect(e).toBeInstanceOf(EgressError);
    expect(e.message).toBe(
      "refused: rebind.test resolves to 169.254.169.254; 169.254.169.254 is link-local (169.254.0.0/16, where cloud metadata services answer)",
    );
    expect(lookups).toEqual(["rebind.test", "rebind.test"]);
  });

  test("answers are cached: a hundred calls, one lookup; IP literals need none", async () => {
    use({ "cached.test": ["127.0.0.1"] });
    for (let i = 0; i < 100; i++) await targetFor(`http://cached.test:${local.port}/v1/chat/completions`);
    for (let i = 0; i < 100; i++) await targetFor(`http://127.0.0.1:${local.port}/v1/chat/completions`);
    expect(lookups).toEqual(["cached.test"]);
  });

  test("the system resolver: localhost is allowed, an unknown name is a DNS error in words", async () => {
    configureResolver({});
    expect((await targetFor("http://localhost:1/v1")).address).toMatch(/^(127\.0\.0\.1|::1)$/);
    const e = await targetFor("http://no-such-host.invalid/v1").catch((x) => x);
    expect(e).toBeInstanceOf(EgressError);
    expect(e.message).toBe("DNS: no such host no-such-host.invalid");
  });
});

describe("end to end", () => {
  const mock: MockUpstream = startMockUpstream();
  const app = useServer({ env: { APIYI_RESOLVE: "meta.test=169.254.169.254,meta6.test=fe80::1,up.test=127.0.0.1" } });
  const newDir = scratchDirs("apiyi-ssrf-");
  let gw: Gateway;
  beforeAll(async () => {
    gw = await gatewayAdmin(app.url);
  });
  afterAll(() => mock.stop());

  const total = async () => expectReply(await gw.admin.get("/api/channel/?size=1"), 200).total as number;

  test("save time: the API refuses every spelling (create and update) and stores nothing; loopback and private addresses are kept", async () => {
    const before = await total();
    for (const base_url of REFUSED_URLS) {
      const r = await gw.admin.post("/api/channel/", { name: "ssrf", key: "sk-x", models: "m", base_url });
      expect({ base_url, status: r.status }).toEqual({ base_url, status: 422 });
      expect(r.body.message).toContain("base_url");
      expect(r.body.message).toContain("link-local or cloud-metadata");
    }
    expect(await total()).toBe(before);
    const ok = await gw.addChannel({ name: "local-vllm", models: "ssrf-ok", base_url: "http://2130706433:11434" });
    expect(ok.base_url).toBe("http://127.0.0.1:11434/v1");
    for (const base_url of ["http://10.0.0.5:8000/v1", "http://[::1]:11434/v1", "http://192.168.1.20/v1"]) {
      expectReply(await gw.admin.put("/api/channel/", { id: ok.id, base_url }), 200);
    }
    const r = await gw.admin.put("/api/channel/", { id: ok.id, base_url: "http://[::ffff:a9fe:a9fe]/v1" });
    expect(r.status).toBe(422);
    expect((await gw.channel(ok.id)).base_url).toBe("http://192.168.1.20/v1");
  });

  test("save time: the CLI and the console refuse too", async () => {
    const before = await total();
    const r = await cli(
      [
        "channel",
        "add",
        "--name",
        "n",
        "--key",
        "k",
        "--models",
        "m",
        "--base-url",
        "http://0xa9fea9fe/",
        "--data-dir",
        app.server.dataDir,
      ],
      { cwd: newDir() },
    );
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" });
    expect(r.stderr).toStartWith(
      "apiyi channel add: --base-url: must not point at a link-local or cloud-metadata address",
    );
    const page = await (await fetch(`${app.url}/token`, { headers: { cookie: gw.auth.cookie! } })).text();
    const csrf = /data-csrf="([0-9a-f]+)"/.exec(page)![1];
    const form = new URLSearchParams({
      name: "n",
      type: "openai",
      base_url: "http://[fd00:ec2::254]/",
      key: "k",
      models: "m",
      group: "default",
    });
    const res = await fetch(`${app.url}/admin/channels`, {
      method: "POST",
      headers: {
        cookie: gw.auth.cookie!,
        "x-csrf-token": csrf,
        origin: app.url,
        "hx-request": "true",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: form,
    });
    expect(await res.text()).toContain("link-local or cloud-metadata");
    expect(await total()).toBe(before);
  });

  test("call time: a /v1 call and the channel Test never reach a name that resolves to a refused address; a good name is reached at its checked address", async () => {
    const port = new URL(mock.url).port;
    const meta = await gw.addChannel({
      name: "meta-by-name",
      models: "ssrf-model",
      base_url: `http://meta.test:${port}/v1`,
      priority: 10,
    });
    const meta6 = await gw.addChannel({
      name: "meta6-by-name",
      models: "ssrf-model",
      base_url: `http://meta6.test:${port}/v1`,
      priority: 5,
    });
    const good = await gw.addChannel({
      name: "good-by-name",
      models: "ssrf-model",
      base_url: `http://up.test:${port}/v1`,
    });
    mock.reset();
    const res = await chatCall(app.url, gw.key, "ssrf-model");
    expect(res.status).toBe(200);
    const row = await gw.logRow(res.headers.get("x-request-id")!);
    expect(row.attempts.map((a: any) => [a.channel_id, a.error ?? a.status])).toEqual([
      [meta.id, "refused"],
      [meta6.id, "refused"],
      [good.id, 200],
    ]);
    expect(row.attempts[0].cause).toContain("meta.test resolves to 169.254.169.254");
    expect(row.attempts[1].cause).toContain("fe80::1");
    // only the good channel's call arrived, under its own name
    expect(mock.requests.map((r) => r.headers.host)).toEqual([`up.test:${port}`]);

    const test = expectReply(await gw.admin.post(`/api/channel/${meta.id}/test`, {}), 200);
    expect(test).toMatchObject({ ok: false, status: 0, failure: "refused" });
    expect(test.message).toContain("169.254.169.254");
    expect(mock.requests).toHaveLength(1);
    expect((await gw.channel(meta.id)).health.last_error).toContain("169.254.169.254");
  });

  test("call time: a refused address stored before this check (an old database) is refused too", async () => {
    const port = new URL(mock.url).port;
    const old = await gw.addChannel({ name: "old-row", models: "ssrf-old", base_url: `http://127.0.0.1:${port}/v1` });
    const db = new Database(join(app.server.dataDir, "apiyi.db"));
    try {
      db.run("PRAGMA busy_timeout = 5000");
      db.query("UPDATE channels SET base_url = 'http://169.254.169.254/v1' WHERE id = ?").run(old.id);
      // as any apiyi process does after a write: move the configuration version, which servers poll
      db.run("UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'config_version'");
    } finally {
      db.close();
    }
    await gw.waitForChannel(old.id, (c) => c.base_url === "http://169.254.169.254/v1");
    mock.reset();
    // the server notices the other process's write by polling; wait until a call sees it
    let row: any;
    for (const until = Date.now() + 5000; Date.now() < until; ) {
      const res = await chatCall(app.url, gw.key, "ssrf-old");
      row = await gw.logRow(res.headers.get("x-request-id")!);
      if (row.attempts[0]?.error === "refused") break;
      await Bun.sleep(50);
    }
    expect(row.attempts).toEqual([
      {
        channel_id: old.id,
        status: 0,
        ms: expect.any(Number),
        error: "refused",
        cause: expect.stringContaining("169.254.169.254"),
      },
    ]);
    expect(row.status_code).toBe(502);
    const test = expectReply(await gw.admin.post(`/api/channel/${old.id}/test`, {}), 200);
    expect(test).toMatchObject({ ok: false, failure: "refused" });
  });
});
