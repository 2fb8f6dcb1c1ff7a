// mapPooled: at most `limit` items in flight, a stuck item holds up one slot and not the others,
// results in the list's order.
import { describe, expect, test } from "bun:test";
import { mapPooled } from "../../src/core/pool";

/** A promise the test settles by hand. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((ok) => (open = ok));
  return { opened, open };
}

describe("mapPooled", () => {
  test("never more than `limit` at once; results in order", async () => {
    let running = 0;
    let most = 0;
    const out = await mapPooled([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await Bun.sleep(0);
      running--;
      return n * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(most).toBe(3);
  });

  test("a stuck item holds one slot: every other item finishes while it waits", async () => {
    const stuck = gate();
    const done: number[] = [];
    const all = mapPooled([0, 1, 2, 3, 4, 5], 2, async (n) => {
      if (n === 0) await stuck.opened;
      done.push(n);
      return n;
    });
    while (done.length < 5) await Bun.sleep(1);
    expect(done).toEqual([1, 2, 3, 4, 5]);
    stuck.open();
    expect(await all).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test("an empty list, and a limit above the list's length", async () => {
    expect(await mapPooled([], 4, async () => 1)).toEqual([]);
    expect(await mapPooled(["a"], 4, async (s) => s.toUpperCase())).toEqual(["A"]);
  });
});
