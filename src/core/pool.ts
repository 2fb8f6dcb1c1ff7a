// Async work over a list with at most `limit` items in flight: a slow item holds up one slot, never
// the rest. The scheduled channel test runs channels' probes so (relay/attempt/heal.ts).

/** `fn` over every item, at most `limit` at once, each started as soon as a slot is free; the results
 * in the list's order. `fn` should not throw: a throw rejects the whole (the others still finish). */
export async function mapPooled<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
