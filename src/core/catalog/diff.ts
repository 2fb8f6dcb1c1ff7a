// What applying a catalog would change in the price table, as a pure rule. A catalog model without a
// price is "new" (unless an admin removed its price: "removed"); a catalog price that differs from
// the table's is "changed" when the table's came from the catalog, and "admin" when an admin set it.
// Applying everything takes the new and the changed only: an admin's price, or an admin's removal,
// gives way only to an apply that names the model.
import type { MicroPrice } from "./convert";

export type PriceSource = "catalog" | "admin";
export type TablePrice = MicroPrice & { source: PriceSource };
export type DiffKind = "new" | "changed" | "admin" | "removed";
export type DiffItem = { model: string; kind: DiffKind; catalog: MicroPrice; current: MicroPrice | null };

/** The kinds an apply of "all" takes. */
export const APPLIED_BY_ALL: ReadonlySet<DiffKind> = new Set(["new", "changed"]);

const FIELDS = ["input", "output", "cached_input", "cache_write", "per_call"] as const;

export const samePrice = (a: MicroPrice, b: MicroPrice) => FIELDS.every((f) => a[f] === b[f]);

export const pickPrice = (p: Partial<MicroPrice>): MicroPrice => ({
  input: p.input ?? null,
  output: p.output ?? null,
  cached_input: p.cached_input ?? null,
  cache_write: p.cache_write ?? null,
  per_call: p.per_call ?? null,
});

/** The catalog against the table: every difference (in catalog order) and how many already agree. */
export function catalogDiff(
  catalog: { model: string; price: MicroPrice }[],
  table: ReadonlyMap<string, TablePrice>,
  removed: ReadonlySet<string>,
): { items: DiffItem[]; same: number } {
  const items: DiffItem[] = [];
  let same = 0;
  for (const { model, price } of catalog) {
    const row = table.get(model);
    if (!row) {
      items.push({ model, kind: removed.has(model) ? "removed" : "new", catalog: price, current: null });
      continue;
    }
    const current = pickPrice(row);
    if (samePrice(current, price)) same++;
    else items.push({ model, kind: row.source === "catalog" ? "changed" : "admin", catalog: price, current });
  }
  return { items, same };
}
