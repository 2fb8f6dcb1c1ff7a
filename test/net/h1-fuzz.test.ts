// Fuzz: the h1 client's response parsing against node's own (llhttp, node run as a child process).
// A raw TCP server writes generated responses (test/support/h1-cases.ts: valid ones, then mutated
// ones) and closes; node's http.get and fetchPinned read each, and must agree on the outcome (a failure
// before the head, a failure in the body, or the status, headers and body). A few valid cases are
// also fed to the parser split at every byte into two reads, and must read the same.
// Where the client legitimately differs from node (stricter, on purpose), the case is classed
// `allowed` (see `allowedDifference`) and must be one of those kinds.
import { afterAll, describe, expect, test } from "bun:test";
import { fetchPinned } from "../../src/net/egress";
import type { Conn } from "../../src/net/h1/conn";
import { Exchange, type Outcome } from "../../src/net/h1/exchange";
import { prepare } from "../../src/net/h1/request";
import { fuzzCases } from "../support/h1-cases";

type Result = { status: number; headers: string; body: string; failed: "head" | "body" | null; code: string };
const COUNT = 400;
const VALID = 150;
const cases = fuzzCases(0x5eed, COUNT, VALID);

const server = Bun.listen({
  hostname: "127.0.0.1",
  port: 0,
  socket: {
    data(s, d) {
      const m = /^GET \/(\d+) /.exec(d.toString("latin1"));
      if (m) s.end(cases[Number(m[1])]);
    },
  },
});
afterAll(() => server.stop(true));

/** headers as one comparable string: lower-case names, repeated ones joined by ", ", sorted */
function headerString(pairs: Iterable<[string, string]>): string {
  const m = new Map<string, string>();
  for (const [k, v] of pairs) {
    const name = k.toLowerCase();
    const prev = m.get(name);
    m.set(name, prev === undefined ? v.trim() : `${prev}, ${v.trim()}`);
  }
  return [...m]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
}

async function fromResponse(p: Promise<Response>): Promise<Result> {
  let r: Response;
  try {
    r = await p;
  } catch (e) {
    return { status: 0, headers: "", body: "", failed: "head", code: String((e as { code?: string }).code) };
  }
  const pairs: [string, string][] = [];
  r.headers.forEach((v, k) => pairs.push([k, v]));
  const out: Result = {
    status: r.status,
    headers: headerString(pairs),
    body: "",
    failed: null,
    code: "",
  };
  const parts: Uint8Array[] = [];
  try {
    const reader = r.body?.getReader();
    for (let x = await reader?.read(); x && !x.done; x = await reader?.read()) parts.push(x.value);
  } catch (e) {
    out.failed = "body";
    out.code = String((e as { code?: string }).code);
  }
  out.body = Buffer.concat(parts).toString("base64");
  return out;
}

async function nodeResults(): Promise<Result[]> {
  const script = new URL("../support/node-http-reference.mjs", import.meta.url).pathname;
  const p = Bun.spawn(["node", script, String(server.port), String(COUNT)], { stdout: "pipe" });
  const raw = JSON.parse(await new Response(p.stdout).text()) as (Result & { headers: [string, string][] })[];
  return raw.map((x) => ({ ...x, headers: x.failed === "head" ? "" : headerString(x.headers) }));
}

/** Why the client may differ from node on a case (null: it may not). */
function allowedDifference(bytes: Buffer, ours: Result, node: Result): string | null {
  const text = bytes.toString("latin1");
  const head = text.slice(0, text.indexOf("\r\n\r\n") >>> 0);
  // refused here, read by node: Transfer-Encoding other than exactly one "chunked" (node reads such a
  // body until the close, or "chunked, chunked" as chunked; here it is an error: a body that two
  // parsers could frame differently)
  const te = head.match(/\ntransfer-encoding:[^\r]*/gi) ?? [];
  if (
    ours.failed === "head" &&
    te.length > 0 &&
    (te.length > 1 || !/^\ntransfer-encoding:[ \t]*chunked[ \t]*$/i.test(te[0] as string))
  )
    return "transfer-encoding";
  // bare LF, or control bytes where llhttp is lenient: refused here
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control bytes
  if (ours.failed && !node.failed && /[\x00-\x08\x0b-\x1f\x7f]|[^\r]\n/.test(text)) return "lenient-node";
  // bytes after a complete response: node parses them as the next response and fails this one (it
  // has not emitted 'end' yet); here the response stands and the connection is not reused
  const end = text.indexOf("\r\n\r\n");
  if (
    !ours.failed &&
    node.failed === "body" &&
    end >= 0 &&
    bytes.length > end + 4 + Buffer.from(ours.body, "base64").length
  )
    return "extra-bytes";
  // a status over 599 cannot be a Response
  if (ours.failed === "head" && node.status > 599) return "status";
  // both failed, at different points (one before the head, the other in the body) or both fine with a
  // short body after a Content-Length error both see as a failure
  if (ours.failed && node.failed) return "both-failed";
  return null;
}

describe("h1 response parser fuzz against node's llhttp", () => {
  test(`${COUNT} generated responses (${VALID} valid, the rest mutated)`, async () => {
    const node = await nodeResults();
    const ours: Result[] = [];
    for (let i = 0; i < COUNT; i++) {
      const t = {
        url: `http://127.0.0.1:${server.port}/${i}`,
        address: "127.0.0.1",
        port: server.port,
        display: "d",
        hostHeader: null,
      };
      ours.push(await fromResponse(fetchPinned(t, {})));
    }
    const allowed: Record<string, number> = {};
    const unexplained: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const a = ours[i] as Result;
      const b = node[i] as Result;
      const same =
        a.failed === b.failed &&
        (a.failed === "head" || (a.status === b.status && a.headers === b.headers && a.body === b.body));
      if (same) continue;
      const why = allowedDifference(cases[i] as Buffer, a, b);
      if (why && process.env.FUZZ_VERBOSE)
        console.log(why, JSON.stringify((cases[i] as Buffer).toString("latin1").slice(0, 200)), a.code, b.code);
      if (why) allowed[why] = (allowed[why] ?? 0) + 1;
      else
        unexplained.push(
          `#${i} ${JSON.stringify((cases[i] as Buffer).toString("latin1").slice(0, 300))}\n ours ${JSON.stringify(a).slice(0, 300)}\n node ${JSON.stringify(b).slice(0, 300)}`,
        );
    }
    console.log("fuzz: differences allowed", allowed);
    if (unexplained.length) console.log(unexplained.slice(0, 5).join("\n"));
    expect(unexplained.length).toBe(0);
    expect(ours.slice(0, VALID).every((r) => r.failed === null)).toBe(true);
  }, 60_000);

  test("valid responses split into two reads at every byte read the same", async () => {
    const p = prepare(
      { url: "http://127.0.0.1:1/", address: "127.0.0.1", port: 1, display: "d", hostHeader: null },
      {},
    );
    if (!p) throw new Error("not prepared");
    for (const bytes of cases.slice(0, 6)) {
      const whole = await feed(p, [bytes]);
      for (let at = 1; at < bytes.length; at++) {
        const split = await feed(p, [bytes.subarray(0, at), bytes.subarray(at)]);
        if (JSON.stringify(split) !== JSON.stringify(whole)) expect({ at, split }).toEqual({ at, split: whole });
      }
    }
  });
});

/** Feeds `reads` to an Exchange on a stand-in connection, then closes it (as the server does). */
async function feed(p: NonNullable<ReturnType<typeof prepare>>, reads: Buffer[]): Promise<Result> {
  const conn = {
    write() {},
    destroy() {},
    socket: null,
    uses: 0,
    user: null,
    closed: false,
    flushed: true,
    key: "fake",
  };
  let settle: (o: Outcome) => void = () => {};
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
  const ex = new Exchange(conn as unknown as Conn, p, settle);
  for (const r of reads) ex.onData(Buffer.from(r));
  ex.onClose(null);
  const o = await outcome;
  return fromResponse("response" in o ? Promise.resolve(o.response) : Promise.reject(o.error));
}
