// The rate limiter (src/core/rate-limit.ts) without a server, under a hand-moved clock: bursts admit
// exactly the limit, windows free up when they say, tokens are corrected at the end, several scopes
// take all or nothing, and no window of a minute (or a day) ever holds more than its limit.
import { describe, expect, test } from "bun:test";
import {
  admit,
  effectiveLimits,
  goDuration,
  headroom,
  NO_LIMITS,
  RateState,
  release,
  type Admission,
  type Exceeded,
  type Limits,
  type Scope,
  Window,
} from "../../src/core/rate-limit";

const scope = (limits: Partial<Limits>, name = "token"): Scope => ({
  name,
  key: name,
  state: new RateState(),
  limits: { ...NO_LIMITS, ...limits },
});
const admitted = (r: Admission | Exceeded): r is Admission => "scopes" in r;
const T0 = 1_700_000_000_000;

describe("requests per minute", () => {
  test("30 calls at once on 10 RPM: exactly 10 admitted, the rest told when the window frees up", () => {
    const s = scope({ rpm: 10 });
    const results = Array.from({ length: 30 }, () => admit([s], T0 + 500, 0));
    expect(results.filter(admitted).length).toBe(10);
    const refused = results.filter((r): r is Exceeded => !admitted(r));
    expect(refused[0]).toMatchObject({ scope: "token", limit: "rpm", value: 10 });
    // all 10 are in the same 1 s slot, which leaves a minute after that slot ended
    expect(refused[0].retryAfterMs).toBe(60_500);
    expect(admitted(admit([s], T0 + 500 + 60_499, 0))).toBe(false);
    expect(admitted(admit([s], T0 + 500 + 60_500, 0))).toBe(true);
  });

  test("spread calls free up one by one, as their slots leave", () => {
    const s = scope({ rpm: 3 });
    for (const at of [0, 10_000, 20_000]) expect(admitted(admit([s], T0 + at, 0))).toBe(true);
    const r = admit([s], T0 + 30_000, 0);
    expect(admitted(r)).toBe(false);
    expect((r as Exceeded).retryAfterMs).toBe(31_000); // the call at 0 s leaves at 61 s
    expect(admitted(admit([s], T0 + 61_000, 0))).toBe(true);
    expect(admitted(admit([s], T0 + 61_000, 0))).toBe(false);
  });

  test("no window of 60 s ever holds more than the limit (random arrivals over an hour)", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const s = scope({ rpm: 12 });
    const times: number[] = [];
    let t = T0;
    while (t < T0 + 3_600_000) {
      t += Math.floor(rnd() * 4000);
      if (admitted(admit([s], t, 0))) times.push(t);
    }
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((x) => x > times[i] - 60_000 && x <= times[i]).length;
      expect(inWindow).toBeLessThanOrEqual(12);
    }
    // and the limiter is not needlessly strict: over an hour it admits close to 12 a minute
    expect(times.length).toBeGreaterThan(12 * 60 * 0.9);
  });
});

describe("requests per day", () => {
  test("a day in one-minute slots: the limit, then free again a day after the first calls' minute", () => {
    const s = scope({ rpd: 5 });
    for (let i = 0; i < 5; i++) expect(admitted(admit([s], T0 + i * 1000, 0))).toBe(true);
    const r = admit([s], T0 + 3_600_000, 0) as Exceeded;
    expect(r.limit).toBe("rpd");
    const minuteStart = Math.floor(T0 / 60_000) * 60_000;
    expect(T0 + 3_600_000 + r.retryAfterMs).toBe(minuteStart + 60_000 + 86_400_000);
    expect(admitted(admit([s], minuteStart + 60_000 + 86_400_000, 0))).toBe(true);
  });
});

describe("tokens per minute", () => {
  test("taken at admission from the bound, corrected at the end to what was used", () => {
    const s = scope({ tpm: 1000 });
    const a = admit([s], T0, 800);
    expect(admitted(a)).toBe(true);
    expect(admitted(admit([s], T0 + 1000, 300))).toBe(false); // 800 + 300 > 1000
    release(a as Admission, T0 + 2000, 150); // used 150 of the 800
    expect(admitted(admit([s], T0 + 2000, 300))).toBe(true); // 150 + 300
    expect(s.state.tpm!.sum).toBe(450);
  });

  test("a call whose bound alone is over the limit is never admitted (no retry helps)", () => {
    const r = admit([scope({ tpm: 100 })], T0, 101) as Exceeded;
    expect(r).toMatchObject({ limit: "tpm", value: 100, retryAfterMs: Infinity });
  });

  test("a correction after the slot left the window changes nothing", () => {
    const s = scope({ tpm: 1000 });
    const a = admit([s], T0, 500) as Admission;
    release(a, T0 + 120_000, 900);
    expect(s.state.tpm!.sum).toBe(0);
  });

  test("a burst of long calls cannot overrun: the sum admitted in any minute stays within limit + corrections", () => {
    const s = scope({ tpm: 10_000 });
    let inWindow = 0;
    for (let i = 0; i < 50; i++) if (admitted(admit([s], T0 + i * 10, 3_000))) inWindow += 3_000;
    expect(inWindow).toBe(9_000);
  });
});

describe("calls in flight", () => {
  test("3 allowed, 10 at once: 3 admitted; one ends, one more", () => {
    const s = scope({ parallel: 3 });
    const results = Array.from({ length: 10 }, () => admit([s], T0, 0));
    const ok = results.filter(admitted);
    expect(ok.length).toBe(3);
    expect(results.find((r) => !admitted(r))).toMatchObject({ limit: "parallel", value: 3 });
    release(ok[0], T0 + 5, 0);
    expect(admitted(admit([s], T0 + 6, 0))).toBe(true);
    expect(s.state.inFlight).toBe(3);
  });
});

describe("several scopes", () => {
  test("all or nothing: a refusal by the user takes nothing from the token", () => {
    const token = scope({ rpm: 10, parallel: 5 }, "token");
    const user = scope({ rpm: 1 }, "user");
    expect(admitted(admit([token, user], T0, 0))).toBe(true);
    const r = admit([token, user], T0 + 1, 0) as Exceeded;
    expect(r).toMatchObject({ scope: "user", limit: "rpm" });
    expect(token.state.rpm!.sum).toBe(1);
    expect(token.state.inFlight).toBe(1);
  });
});

describe("headers and settings", () => {
  test("headroom: the tightest request and token limits in force", () => {
    const token = scope({ rpm: 10, tpm: 5000 }, "token");
    const user = scope({ rpm: 4 }, "user");
    admit([token, user], T0, 1000);
    expect(headroom([token, user], T0 + 10, "requests")).toEqual({ limit: 4, remaining: 3, resetMs: 60_990 });
    expect(headroom([token, user], T0 + 10, "tokens")).toMatchObject({ limit: 5000, remaining: 4000 });
    expect(headroom([scope({})], T0, "tokens")).toBeNull();
  });

  test("effective limits: own value, else the group's default; 0 means not set", () => {
    expect(effectiveLimits({ rpm: 5, tpm: 0 }, { rpm: 100, tpm: 9000, parallel: 2 })).toEqual({
      rpm: 5,
      tpm: 9000,
      rpd: null,
      parallel: 2,
    });
    expect(effectiveLimits({})).toEqual(NO_LIMITS);
  });

  test("Go-style durations, as OpenAI sends them", () => {
    expect(goDuration(120)).toBe("120ms");
    expect(goDuration(1000)).toBe("1s");
    expect(goDuration(360_000)).toBe("6m0s");
    expect(goDuration(3_723_000)).toBe("1h2m3s");
    expect(goDuration(1001)).toBe("2s");
  });

  test("a window's memory is fixed: one number per slot", () => {
    const w = new Window(60_000, 60);
    for (let i = 0; i < 10_000; i++) w.add(T0 + i * 7, 1);
    expect(w.sum).toBeLessThanOrEqual(10_000);
  });
});
