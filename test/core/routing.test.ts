// Channel order without a server (core/routing.ts): priority tiers, the weighted order inside a tier
// (exact draws with a scripted random, the distribution with a seeded one), the candidates across
// groups (fallbacks, no channel twice, lazy), and which models a token reaches or is served.
import { describe, expect, test } from "bun:test";
import { candidates, isServed, reachableModels, weightedOrder } from "../../src/core/routing";
import { buildRouteIndex, type ChannelEntry } from "../../src/core/snapshot";
import { CHANNEL_STATUS } from "../../src/core/status";

type Spec = { id: number; priority?: number; weight?: number; status?: number; groups?: string[]; models?: string[] };
const chan = ({
  id,
  priority = 0,
  weight = 1,
  status = CHANNEL_STATUS.enabled,
  groups = ["default"],
  models = ["m"],
}: Spec): ChannelEntry =>
  ({ id, name: `c${id}`, type: "openai", priority, weight, status, groups, models: new Set(models) }) as ChannelEntry;
const routes = (...specs: Spec[]) => buildRouteIndex(specs.map(chan));
const ids = (list: Iterable<{ id: number } | { channel: { id: number } }>) =>
  [...list].map((c) => ("channel" in c ? c.channel.id : c.id));

/** A random source that returns the given values in turn (then fails: the test drew more than it meant). */
const scripted = (...values: number[]) => {
  let i = 0;
  const random = () => {
    if (i >= values.length) throw new Error(`random drawn ${i + 1} times, scripted ${values.length}`);
    return values[i++];
  };
  return Object.assign(random, { drawn: () => i });
};

/** mulberry32: a small seeded generator, so the distribution tests draw the same numbers every run. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe("weightedOrder: one priority tier", () => {
  test("a single channel is returned as it is, without drawing", () => {
    const tier = [chan({ id: 1 })];
    const random = scripted();
    expect(weightedOrder(tier, random)).toBe(tier);
    expect(random.drawn()).toBe(0);
  });

  test("each draw picks by cumulative weight; the rest are drawn again from what is left", () => {
    const tier = [chan({ id: 1, weight: 1 }), chan({ id: 2, weight: 3 }), chan({ id: 3, weight: 6 })];
    // total 10: [0,1) → 1, [1,4) → 2, [4,10) → 3
    expect(ids(weightedOrder(tier, scripted(0, 0, 0)))).toEqual([1, 2, 3]);
    expect(ids(weightedOrder(tier, scripted(0.05, 0.99, 0)))).toEqual([1, 3, 2]);
    expect(ids(weightedOrder(tier, scripted(0.1, 0, 0)))).toEqual([2, 1, 3]); // 1.0 is past channel 1's share
    expect(ids(weightedOrder(tier, scripted(0.39, 0.5, 0)))).toEqual([2, 3, 1]); // then total 7: [0,1) → 1, [1,7) → 3
    expect(ids(weightedOrder(tier, scripted(0.4, 0.2, 0)))).toEqual([3, 1, 2]); // then total 4: [0,1) → 1
    expect(ids(weightedOrder(tier, scripted(0.999, 0.25, 0)))).toEqual([3, 2, 1]);
  });

  test("the input tier is not changed", () => {
    const tier = [chan({ id: 1 }), chan({ id: 2 }), chan({ id: 3 })];
    weightedOrder(tier, scripted(0.9, 0.9, 0.9));
    expect(ids(tier)).toEqual([1, 2, 3]);
  });

  test("weight 0 is never drawn while a weighted channel is left: it goes last, in the tier's order", () => {
    const tier = [
      chan({ id: 1, weight: 0 }),
      chan({ id: 2, weight: 0 }),
      chan({ id: 3, weight: 2 }),
      chan({ id: 4, weight: 0 }),
    ];
    for (const r of [0, 0.5, 0.999999]) expect(ids(weightedOrder(tier, () => r))).toEqual([3, 1, 2, 4]);
  });

  test("a draw on the boundary between two channels goes to the next weighted one, past zero weights", () => {
    const tier = [chan({ id: 1, weight: 1 }), chan({ id: 2, weight: 0 }), chan({ id: 3, weight: 1 })];
    expect(ids(weightedOrder(tier, () => 0.5))[0]).toBe(3);
    expect(ids(weightedOrder(tier, () => 0.4999))[0]).toBe(1);
  });

  test("all weights 0: the tier's order, without drawing", () => {
    const tier = [chan({ id: 5, weight: 0 }), chan({ id: 2, weight: 0 }), chan({ id: 9, weight: 0 })];
    const random = scripted();
    expect(ids(weightedOrder(tier, random))).toEqual([5, 2, 9]);
    expect(random.drawn()).toBe(0);
  });

  test("a negative weight counts as 0", () => {
    const tier = [chan({ id: 1, weight: -5 }), chan({ id: 2, weight: 1 })];
    expect(ids(weightedOrder(tier, () => 0))).toEqual([2, 1]);
  });

  test("distribution: who comes first follows the weights (seeded, 30,000 orders)", () => {
    const tier = [
      chan({ id: 1, weight: 1 }),
      chan({ id: 2, weight: 3 }),
      chan({ id: 3, weight: 6 }),
      chan({ id: 4, weight: 0 }),
    ];
    const random = seeded(11);
    const N = 30_000;
    const first = new Map<number, number>();
    const afterThree = new Map<number, number>(); // second place when channel 3 came first
    let threeFirst = 0;
    for (let i = 0; i < N; i++) {
      const order = ids(weightedOrder(tier, random));
      expect(order.toSorted()).toEqual([1, 2, 3, 4]);
      expect(order[3]).toBe(4);
      first.set(order[0], (first.get(order[0]) ?? 0) + 1);
      if (order[0] === 3) {
        threeFirst++;
        afterThree.set(order[1], (afterThree.get(order[1]) ?? 0) + 1);
      }
    }
    // expected shares 0.1, 0.3, 0.6 (a standard deviation is under 0.003 here; the bounds allow ±0.02)
    expect(Math.abs(first.get(1)! / N - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(first.get(2)! / N - 0.3)).toBeLessThan(0.02);
    expect(Math.abs(first.get(3)! / N - 0.6)).toBeLessThan(0.02);
    expect(first.get(4)).toBeUndefined();
    // once 3 is taken, 1 and 2 share second place 1:3
    expect(Math.abs(afterThree.get(2)! / threeFirst - 0.75)).toBeLessThan(0.03);
  });

  test("distribution: equal weights spread evenly (seeded, 30,000 orders)", () => {
    const tier = [chan({ id: 1 }), chan({ id: 2 }), chan({ id: 3 })];
    const random = seeded(7);
    const N = 30_000;
    const first = [0, 0, 0, 0];
    const last = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) {
      const order = ids(weightedOrder(tier, random));
      first[order[0]]++;
      last[order[2]]++;
    }
    for (const id of [1, 2, 3]) {
      expect(Math.abs(first[id] / N - 1 / 3)).toBeLessThan(0.02);
      expect(Math.abs(last[id] / N - 1 / 3)).toBeLessThan(0.02);
    }
  });

  test("the default random source (Math.random) also spreads (2,000 orders, wide bounds)", () => {
    const tier = [chan({ id: 1, weight: 1 }), chan({ id: 2, weight: 1 })];
    let one = 0;
    for (let i = 0; i < 2000; i++) if (weightedOrder(tier)[0].id === 1) one++;
    // expected 1000, standard deviation about 22: this fails for a broken order, not by chance
    expect(one).toBeGreaterThan(800);
    expect(one).toBeLessThan(1200);
  });
});

describe("candidates: the order a call tries channels in", () => {
  test("higher priority tiers first, whatever the weights; ties in a tier are drawn", () => {
    const r = routes(
      { id: 1, priority: 0, weight: 100 },
      { id: 2, priority: 10, weight: 1 },
      { id: 3, priority: -5 },
      { id: 4, priority: 10, weight: 1 },
    );
    // tier 10 = [2, 4] (id order), then [1], then [3]
    expect(ids(candidates(r, ["default"], "m", scripted(0, 0)))).toEqual([2, 4, 1, 3]);
    expect(ids(candidates(r, ["default"], "m", scripted(0.5, 0)))).toEqual([4, 2, 1, 3]);
  });

  test("groups in the token's order, each candidate with the group it came from", () => {
    const r = routes(
      { id: 1, groups: ["fb"] },
      { id: 2, groups: ["default"], priority: -1 },
      { id: 3, groups: ["vip"], priority: 99 },
    );
    expect([...candidates(r, ["default", "fb"], "m", scripted())].map((c) => [c.channel.id, c.group])).toEqual([
      [2, "default"],
      [1, "fb"],
    ]);
  });

  test("a channel in several groups is tried once, under the first group that has it", () => {
    const r = routes({ id: 1, groups: ["default", "fb"], priority: 5 }, { id: 2, groups: ["fb"], priority: 9 });
    expect([...candidates(r, ["default", "fb"], "m", scripted())].map((c) => [c.channel.id, c.group])).toEqual([
      [1, "default"],
      [2, "fb"],
    ]);
  });

  test("only channels for the model; unknown groups and models give nothing", () => {
    const r = routes({ id: 1, models: ["a"] }, { id: 2, models: ["a", "b"] }, { id: 3, models: ["b"] });
    expect(ids(candidates(r, ["default"], "b", scripted(0, 0)))).toEqual([2, 3]);
    expect(ids(candidates(r, ["nope", "default"], "a", scripted(0, 0)))).toEqual([1, 2]);
    expect([...candidates(r, ["default"], "c")]).toEqual([]);
    expect([...candidates(r, [], "a")]).toEqual([]);
  });

  test("channels of any status are candidates (the caller skips the unusable ones)", () => {
    const r = routes(
      { id: 1, status: CHANNEL_STATUS.disabled },
      { id: 2, status: CHANNEL_STATUS.autoDisabled, priority: -1 },
    );
    expect(ids(candidates(r, ["default"], "m", scripted()))).toEqual([1, 2]);
  });

  test("lazy: a later tier is ordered only when the caller gets to it", () => {
    const r = routes({ id: 1, priority: 1 }, { id: 2 }, { id: 3 });
    const random = scripted(0.9, 0);
    const it = candidates(r, ["default"], "m", random);
    expect(it.next().value?.channel.id).toBe(1);
    expect(random.drawn()).toBe(0); // the second tier is not drawn yet
    expect(it.next().value?.channel.id).toBe(3);
    expect(random.drawn()).toBe(2);
    expect(it.next().value?.channel.id).toBe(2);
    expect(it.next().done).toBe(true);
  });

  test("distribution inside a tier follows the weights (seeded, 20,000 calls)", () => {
    const r = routes({ id: 1, weight: 1 }, { id: 2, weight: 4 }, { id: 3, priority: -1, weight: 1000 });
    const random = seeded(3);
    const N = 20_000;
    let twoFirst = 0;
    for (let i = 0; i < N; i++) {
      const order = ids(candidates(r, ["default"], "m", random));
      expect(order[2]).toBe(3);
      if (order[0] === 2) twoFirst++;
    }
    expect(Math.abs(twoFirst / N - 0.8)).toBeLessThan(0.02);
  });
});

describe("isServed", () => {
  const r = routes(
    { id: 1, status: CHANNEL_STATUS.disabled, models: ["off"] },
    { id: 2, models: ["on"], groups: ["fb"] },
  );
  test("any channel of any status in any of the token's groups", () => {
    expect(isServed(r, ["default"], "off")).toBe(true);
    expect(isServed(r, ["default"], "on")).toBe(false);
    expect(isServed(r, ["default", "fb"], "on")).toBe(true);
    expect(isServed(r, ["nope"], "on")).toBe(false);
    expect(isServed(r, [], "on")).toBe(false);
  });
  test("`can` narrows the channels that count", () => {
    expect(isServed(r, ["default", "fb"], "on", (c) => c.id === 2)).toBe(true);
    expect(isServed(r, ["default", "fb"], "on", (c) => c.id !== 2)).toBe(false);
  });
});

describe("reachableModels", () => {
  const r = routes(
    { id: 1, models: ["b", "a"] },
    { id: 2, models: ["c"], status: CHANNEL_STATUS.disabled },
    { id: 3, models: ["d"], status: CHANNEL_STATUS.autoDisabled },
    { id: 4, models: ["c", "e", "a"], groups: ["fb"] },
    { id: 5, models: ["x"], groups: ["other"] },
  );
  const all = () => true;
  test("models of enabled channels in the token's groups, sorted, each once", () => {
    expect(reachableModels(r, ["default"], new Set(), all)).toEqual(["a", "b"]);
    expect(reachableModels(r, ["default", "fb"], new Set(), all)).toEqual(["a", "b", "c", "e"]);
    expect(reachableModels(r, ["nope"], new Set(), all)).toEqual([]);
  });
  test("a model with an enabled channel anywhere is reachable, even when another of its channels is off", () => {
    expect(reachableModels(r, ["fb", "default"], new Set(["c"]), all)).toEqual(["c"]);
    expect(reachableModels(r, ["default"], new Set(["c", "d"]), all)).toEqual([]);
  });
  test("within the whitelist (empty: no limit) and only what `billable` accepts", () => {
    expect(reachableModels(r, ["default", "fb"], new Set(["a", "e", "x"]), all)).toEqual(["a", "e"]);
    expect(reachableModels(r, ["default", "fb"], new Set(), (m) => m !== "a")).toEqual(["b", "c", "e"]);
  });
});
