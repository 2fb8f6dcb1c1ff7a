// A cheap abort for one upstream attempt: what the HTTP/1.1 client reads of an AbortSignal (aborted,
// reason, one-shot "abort" listeners) without a native AbortController and AbortSignal per call (with the
// per-call timer and listeners they cost about 3 µs of CPU per relayed call, bench/ab.ts). Bun's fetch,
// which needs a real AbortSignal, gets one made on demand (`signalOf`).

/** What net/h1 reads of a signal: an AbortSignal, or a LightAbort. */
export type SignalLike = Pick<AbortSignal, "aborted" | "reason"> & {
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
};

export class LightAbort implements SignalLike {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  /** Like AbortController.abort: the reason defaults to an AbortError; listeners run once, in order. */
  abort(reason?: unknown) {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? new DOMException("The operation was aborted.", "AbortError") : reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const fn of listeners) fn();
  }

  /** Every listener is one-shot (an abort happens once); one added after the abort never runs, as on AbortSignal. */
  addEventListener(_type: "abort", listener: () => void) {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void) {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
  }
}

/** A real AbortSignal that follows `s` (for Bun's fetch). */
export function signalOf(s: SignalLike): AbortSignal {
  if (s instanceof AbortSignal) return s;
  const c = new AbortController();
  if (s.aborted) c.abort(s.reason);
  else s.addEventListener("abort", () => c.abort(s.reason));
  return c.signal;
}
