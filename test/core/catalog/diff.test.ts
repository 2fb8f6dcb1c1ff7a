// What a catalog would change in the price table: new models, changed catalog prices, and where an
// admin's own price or removal differs; "all" takes only the new and the changed.
import { expect, test } from "bun:test";
import { APPLIED_BY_ALL, catalogDiff, pickPrice, type TablePrice } from "../../../src/core/catalog/diff";

const p = (input: number) => pickPrice({ input, output: input * 4 });
const row = (input: number, source: "catalog" | "admin"): TablePrice => ({ ...p(input), source });

test("each kind, in catalog order, and the count that agree", () => {
  const table = new Map([
    ["same", row(1, "catalog")],
    ["moved", row(1, "catalog")],
    ["mine", row(9, "admin")],
    ["mine-equal", row(2, "admin")],
  ]);
  const catalog = ["same", "moved", "mine", "mine-equal", "fresh", "dropped"].map((model, i) => ({
    model,
    price: model === "same" ? p(1) : model === "mine-equal" ? p(2) : p(i + 10),
  }));
  const { items, same } = catalogDiff(catalog, table, new Set(["dropped"]));
  expect(same).toBe(2);
  expect(items.map((i) => [i.model, i.kind])).toEqual([
    ["moved", "changed"],
    ["mine", "admin"],
    ["fresh", "new"],
    ["dropped", "removed"],
  ]);
  expect(items[0].current).toEqual(p(1));
  expect(items[2].current).toBeNull();
  expect([...APPLIED_BY_ALL].sort()).toEqual(["changed", "new"]);
});
