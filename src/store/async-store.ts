// The stores as services see them: every method answers a promise, whichever database is behind it
// (bun:sqlite answers at once, PostgreSQL over the network). SQLite's synchronous stores are adapted here,
// each call passing the transaction gate first (store/sqlite-tx.ts).
import type { SqliteTx } from "./sqlite-tx";

type Fn = (...args: any[]) => any;

/** A store whose methods answer promises. */
export type Async<S> = {
  [K in keyof S]: S[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** `store`'s methods as promises; a call made while another task's transaction is open waits for its end. */
export function asyncStore<S extends Record<string, Fn>>(store: S, gate: SqliteTx): Async<S> {
  const out: Record<string, Fn> = {};
  for (const [name, fn] of Object.entries(store)) {
    out[name] = (...args: unknown[]) => gate.call(() => fn(...args));
  }
  return out as Async<S>;
}
