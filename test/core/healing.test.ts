// Self-healing channels, the pure rules (core/healing.ts): which channels and keys the scheduled test
// probes (never an admin's disabled channel), the model it asks for (the cheapest priced chat model,
// else the first), and what the results do (a pass brings back a key, re-enables a channel disabled
// automatically; a failure changes nothing; an admin's disable made meanwhile wins).
import { describe, expect, test } from "bun:test";
import type { PriceEntry } from "../../src/core/billing";
import { applyProbes, cheapestModel, probePlan, type HealCandidate } from "../../src/core/healing";
import type { KeyState } from "../../src/core/snapshot";
import { CHANNEL_STATUS, KEY_STATUS } from "../../src/core/status";

const usable: KeyState = { status: KEY_STATUS.usable };
const dead: KeyState = { status: KEY_STATUS.dead, reason: "the upstream answered 401", at: 1 };
const cooling: KeyState = { status: KEY_STATUS.cooling, reason: "402", at: 1, until: 99 };
const ch = (over: Partial<HealCandidate>): HealCandidate => ({
  id: 7,
  status: CHANNEL_STATUS.enabled,
  keyStates: [usable],
  breaker: "closed",
  ...over,
});

describe("which channels and keys are probed", () => {
  test("a healthy channel: none", () => {
    expect(probePlan(ch({}))).toBeNull();
  });

  test("disabled by an admin: never, whatever its keys and breaker", () => {
    expect(probePlan(ch({ status: CHANNEL_STATUS.disabled, keyStates: [dead], breaker: "open" }))).toBeNull();
  });

  test("disabled automatically: each rejected key", () => {
    expect(probePlan(ch({ status: CHANNEL_STATUS.autoDisabled, keyStates: [dead, dead] }))).toEqual({
      id: 7,
      why: "auto_disabled",
      keys: [0, 1],
    });
  });

  test("disabled automatically without a rejected key on record: its first key", () => {
    expect(probePlan(ch({ status: CHANNEL_STATUS.autoDisabled, keyStates: [usable] }))?.keys).toEqual([0]);
  });

  test("enabled with some rejected keys: those keys", () => {
    expect(probePlan(ch({ keyStates: [usable, dead, cooling, dead] }))).toEqual({
      id: 7,
      why: "dead_keys",
      keys: [1, 3],
    });
  });

  test("breaker open or half-open: a usable key, and the rejected ones", () => {
    expect(probePlan(ch({ breaker: "open", keyStates: [dead, usable] }))).toEqual({
      id: 7,
      why: "breaker",
      keys: [1, 0],
    });
    expect(probePlan(ch({ breaker: "half_open" }))?.keys).toEqual([0]);
  });

  test("breaker open but every key cooling (out of credit, back by itself): none", () => {
    expect(probePlan(ch({ breaker: "open", keyStates: [cooling] }))).toBeNull();
  });

  test("no keys: none", () => {
    expect(probePlan(ch({ status: CHANNEL_STATUS.autoDisabled, keyStates: [] }))).toBeNull();
  });
});

describe("the model the test asks for", () => {
  const price = (model: string, input: number | null, output: number | null, perCall: number | null = null) =>
    [
      model,
      { model, input, output, cachedInput: null, perCall, cacheWrite: null, holdCapTokens: 8192 } as PriceEntry,
    ] as const;
  const prices = new Map([
    price("big", 10_000_000, 30_000_000),
    price("small", 150_000, 600_000),
    price("text-embedding-3-small", 20_000, null),
    price("dall-e-3", null, null, 40_000),
  ]);

  test("the cheapest priced chat model (input + output), not an embedding or image model", () => {
    expect(cheapestModel(["big", "text-embedding-3-small", "small", "dall-e-3"], prices)).toBe("small");
  });

  test("nothing priced: the first model", () => {
    expect(cheapestModel(["x", "y"], new Map())).toBe("x");
    expect(cheapestModel([], prices)).toBeUndefined();
  });
});

describe("what the results do", () => {
  test("disabled automatically, one key passes: enabled again, that key back, the failed one still out", () => {
    const h = applyProbes(
      CHANNEL_STATUS.autoDisabled,
      [dead, dead],
      [
        { index: 0, ok: false },
        { index: 1, ok: true },
      ],
    );
    expect(h).toEqual({
      status: CHANNEL_STATUS.enabled,
      keyStates: [dead, usable],
      reEnabled: true,
      keysBack: [1],
      passed: true,
    });
  });

  test("every probe fails: nothing changes", () => {
    const h = applyProbes(CHANNEL_STATUS.autoDisabled, [dead], [{ index: 0, ok: false }]);
    expect(h).toEqual({
      status: CHANNEL_STATUS.autoDisabled,
      keyStates: [dead],
      reEnabled: false,
      keysBack: [],
      passed: false,
    });
  });

  test("enabled, breaker probe passes with a usable key: passed, no key changes", () => {
    const h = applyProbes(CHANNEL_STATUS.enabled, [usable], [{ index: 0, ok: true }]);
    expect(h).toMatchObject({ status: CHANNEL_STATUS.enabled, reEnabled: false, keysBack: [], passed: true });
  });

  test("an admin disabled the channel while the probes ran: it stays disabled and unchanged", () => {
    const h = applyProbes(CHANNEL_STATUS.disabled, [dead], [{ index: 0, ok: true }]);
    expect(h).toEqual({
      status: CHANNEL_STATUS.disabled,
      keyStates: [dead],
      reEnabled: false,
      keysBack: [],
      passed: false,
    });
  });

  test("a result for a key that no longer exists (keys replaced meanwhile) is ignored", () => {
    const h = applyProbes(CHANNEL_STATUS.autoDisabled, [dead], [{ index: 3, ok: true }]);
    expect(h.reEnabled).toBe(false);
  });
});
