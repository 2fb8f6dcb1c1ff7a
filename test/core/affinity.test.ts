// Session affinity: pins expire, the map stays bounded (least recently used goes first), and the
// pinned channel is tried first when it is a candidate.
import { describe, expect, test } from "bun:test";
import { Affinity, pinnedFirst } from "../../src/core/affinity";
import type { Candidate } from "../../src/core/routing";
import { sessionOf } from "../../src/relay/plan/session";

const cand = (id: number): Candidate => ({ channel: { id } as Candidate["channel"], group: "default" });

describe("affinity", () => {
  test("a pin is kept, refreshed and expires after its idle time", () => {
    const a = new Affinity(10, 1000);
    a.set("k", 3, 1, 0);
    expect(a.get("k", 999)).toEqual({ channelId: 3, keyIndex: 1, at: 0 });
    expect(a.get("k", 1001)).toBeUndefined();
  });

  test("bounded: the least recently set pin goes first", () => {
    const a = new Affinity(2, 1e9);
    a.set("a", 1, 0);
    a.set("b", 2, 0);
    a.set("a", 1, 0); // refreshed
    a.set("c", 3, 0);
    expect(a.get("b")).toBeUndefined();
    expect(a.get("a")?.channelId).toBe(1);
    expect(a.size).toBe(2);
  });

  test("the pinned channel comes first; others keep their order; absent pins change nothing", () => {
    const ids = (g: Iterable<Candidate>) => [...g].map((c) => c.channel.id);
    expect(ids(pinnedFirst([cand(1), cand(2), cand(3)], 3))).toEqual([3, 1, 2]);
    expect(ids(pinnedFirst([cand(1), cand(2)], 9))).toEqual([1, 2]);
    expect(ids(pinnedFirst([cand(1), cand(2)], undefined))).toEqual([1, 2]);
  });
});

describe("the session a call names", () => {
  const h = (o: Record<string, string> = {}) => new Headers(o);
  test("Codex: prompt_cache_key", () => expect(sessionOf(h(), { prompt_cache_key: "abc" })).toBe("abc"));
  test("headers: session_id, session-id, Claude Code's", () => {
    expect(sessionOf(h({ session_id: "s1" }), {})).toBe("s1");
    expect(sessionOf(h({ "x-claude-code-session-id": "cc-1" }), {})).toBe("cc-1");
  });
  test("Claude Code's metadata.user_id, old and JSON forms", () => {
    expect(
      sessionOf(h(), { metadata: { user_id: "user_ab12_account__session_0f8e3c1a-1111-2222-3333-444455556666" } }),
    ).toBe("0f8e3c1a-1111-2222-3333-444455556666");
    expect(sessionOf(h(), { metadata: { user_id: JSON.stringify({ device_id: "d", session_id: "s-json" }) } })).toBe(
      "s-json",
    );
  });
  test("none named → null", () => expect(sessionOf(h(), { model: "m" })).toBeNull());
});
