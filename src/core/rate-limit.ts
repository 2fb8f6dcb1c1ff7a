// Rate limits, pure and exact: requests per minute, tokens per minute, requests per day and calls in
// flight, for any number of scopes (a token, its owner) checked and taken together or not at all.
//
// A window is a sliding window kept in slots (1 s slots for a minute, 1 min slots for a day): what a
// call adds stays counted until its whole slot has left the window, so it counts for at least the
// window's length and at most one slot more. No window of that length ever holds more than the limit,
// and a refused caller is told exactly when enough will have left. Cost: a few array operations per
// call, memory one number per slot (60 or 1,440) per limited scope, whatever the traffic.
// Tokens are taken at admission from the call's bound and corrected to the real count when it ends
// (while the slot they were taken in is still in the window), as money is held and settled.

export type LimitName = "rpm" | "tpm" | "rpd" | "parallel";

/** A scope's limits; null: none. */
export type Limits = Record<LimitName, number | null>;

export const NO_LIMITS: Limits = { rpm: null, tpm: null, rpd: null, parallel: null };

const MINUTE = 60_000;
const DAY = 86_400_000;

/** How each window is kept: its slot's length and how many slots span it. */
export const WINDOWS = {
  rpm: { slotMs: MINUTE / 60, slots: 60 },
  tpm: { slotMs: MINUTE / 60, slots: 60 },
  rpd: { slotMs: DAY / 1440, slots: 1440 },
} as const;

/** A sliding window of `spanMs` in `slots` equal slots. */
export class Window {
  private readonly amounts: Float64Array;
  private readonly slotMs: number;
  /** absolute index (time ÷ slotMs) of the newest slot */
  private newest = -Infinity;
  /** no slot older than this holds anything (where resetMs's search starts) */
  private oldest = -Infinity;
  /** what the window holds now */
  sum = 0;

  constructor(
    readonly spanMs: number,
    slots: number,
  ) {
    // one slot more than the span holds: the newest is still filling, so a call made late in its slot
    // is counted until a whole span after it
    this.amounts = new Float64Array(slots + 1);
    this.slotMs = spanMs / slots;
  }

  /** Moves the window to `now`: slots that left it are emptied. */
  private advance(now: number) {
    const slot = Math.floor(now / this.slotMs);
    if (slot <= this.newest) return;
    const n = this.amounts.length;
    if (slot - this.newest >= n) {
      this.amounts.fill(0);
      this.sum = 0;
    } else {
      for (let s = this.newest + 1; s <= slot; s++) {
        const i = s % n;
        this.sum -= this.amounts[i];
        this.amounts[i] = 0;
      }
    }
    this.newest = slot;
  }

  /** How long until `need` more fits under `limit`: 0 now, Infinity never (need alone is over it). */
  waitMs(now: number, limit: number, need: number): number {
    this.advance(now);
    if (this.sum + need <= limit) return 0;
    if (need > limit) return Infinity;
    const n = this.amounts.length;
    let left = this.sum;
    for (let s = this.newest - n + 1; s <= this.newest; s++) {
      left -= this.amounts[((s % n) + n) % n];
      // slot s leaves the window when slot s + n begins (a span after slot s ended)
      if (left + need <= limit) return Math.max(1, (s + n) * this.slotMs - now);
    }
    return this.spanMs;
  }

  /** Adds `amount` at `now`; returns the slot it went into (for a later correction). */
  add(now: number, amount: number): number {
    this.advance(now);
    const slot = Math.floor(now / this.slotMs);
    this.amounts[slot % this.amounts.length] += amount;
    this.sum += amount;
    return slot;
  }

  /** Changes what slot `slot` holds by `delta` (never below 0), if that slot is still in the window. */
  correct(now: number, slot: number, delta: number) {
    this.advance(now);
    if (slot <= this.newest - this.amounts.length || slot > this.newest) return;
    const i = slot % this.amounts.length;
    const d = Math.max(delta, -this.amounts[i]);
    this.amounts[i] += d;
    this.sum += d;
  }

  /** ms until the oldest counted slot leaves (0: empty). The search starts where the last one ended
   * (slots before it were empty, and only newer ones are added to), so it costs O(1) a call over time. */
  resetMs(now: number): number {
    this.advance(now);
    if (this.sum <= 0) return 0;
    const n = this.amounts.length;
    let s = Math.max(this.oldest, this.newest - n + 1);
    while (s < this.newest && this.amounts[((s % n) + n) % n] === 0) s++;
    this.oldest = s;
    return Math.max(1, (s + n) * this.slotMs - now);
  }
}

/** The counters of one scope (a token or a user); windows are made when a limit first needs them. */
export class RateState {
  rpm?: Window;
  tpm?: Window;
  rpd?: Window;
  inFlight = 0;
}

const windowOf = (state: RateState, name: "rpm" | "tpm" | "rpd"): Window =>
  (state[name] ??= new Window(WINDOWS[name].slotMs * WINDOWS[name].slots, WINDOWS[name].slots));

/** One scope of a call: its name in messages ("token", "user"), its key ("t<id>", "u<id>"), its counters
 * in this process and its limits. */
export type Scope = { name: string; key: string; state: RateState; limits: Limits };

/** The limit a call is over: which scope, which limit, its value, and when it frees up (ms;
 * Infinity when the call alone is over a token limit). */
export type Exceeded = { scope: string; limit: LimitName; value: number; retryAfterMs: number };

/** What an admitted call took, to be given back (in flight) and corrected (tokens) at its end. */
export type Admission = { scopes: Scope[]; tokens: number; tpmSlots: (number | null)[]; at: number };

/** Checks every scope's limits for one more call of `tokens` tokens at `now`; when all allow it, takes
 * it from all of them (nothing is taken from any when one refuses). JavaScript runs this whole
 * function at once, so no other call can come between the check and the take. */
export function admit(scopes: Scope[], now: number, tokens: number): Admission | Exceeded {
  for (const { name, state, limits } of scopes) {
    if (limits.parallel !== null && state.inFlight + 1 > limits.parallel)
      return { scope: name, limit: "parallel", value: limits.parallel, retryAfterMs: 1000 };
    for (const limit of ["rpm", "rpd", "tpm"] as const) {
      const value = limits[limit];
      if (value === null) continue;
      const wait = windowOf(state, limit).waitMs(now, value, limit === "tpm" ? tokens : 1);
      if (wait > 0) return { scope: name, limit, value, retryAfterMs: wait };
    }
  }
  const tpmSlots: (number | null)[] = [];
  for (const { state, limits } of scopes) {
    if (limits.parallel !== null) state.inFlight++;
    if (limits.rpm !== null) windowOf(state, "rpm").add(now, 1);
    if (limits.rpd !== null) windowOf(state, "rpd").add(now, 1);
    tpmSlots.push(limits.tpm !== null ? windowOf(state, "tpm").add(now, tokens) : null);
  }
  return { scopes, tokens, tpmSlots, at: now };
}

/** The call ended: it is no longer in flight, and its tokens are corrected to what it used. */
export function release(a: Admission, now: number, usedTokens: number) {
  a.scopes.forEach(({ state, limits }, i) => {
    if (limits.parallel !== null) state.inFlight = Math.max(0, state.inFlight - 1);
    const slot = a.tpmSlots[i];
    if (slot !== null) windowOf(state, "tpm").correct(now, slot, usedTokens - a.tokens);
  });
}

/** What is left of the tightest request and token limits in force, for the x-ratelimit-* headers:
 * limit, remaining and ms until it resets; null where no scope limits that kind. */
export type Headroom = { limit: number; remaining: number; resetMs: number };

export function headroom(scopes: Scope[], now: number, kind: "requests" | "tokens"): Headroom | null {
  let best: Headroom | null = null;
  for (const { state, limits } of scopes) {
    for (const name of kind === "requests" ? (["rpm", "rpd"] as const) : (["tpm"] as const)) {
      const value = limits[name];
      if (value === null) continue;
      const w = windowOf(state, name);
      w.waitMs(now, value, 0); // advances the window
      const h = { limit: value, remaining: Math.max(0, value - w.sum), resetMs: w.resetMs(now) };
      if (!best || h.remaining < best.remaining) best = h;
    }
  }
  return best;
}

/** An admission, or the refusal, with what the limits in force have left (the x-ratelimit-* headers). */
export type RateTake = { result: Admission | Exceeded; requests: Headroom | null; tokens: Headroom | null };

/** Where a call's limits are counted: in this process (memoryRates: SQLite has one serving process), or
 * in PostgreSQL for several instances (services/pg-rates.ts). */
export type RateCounter = {
  take(scopes: Scope[], now: number, tokens: number): RateTake | Promise<RateTake>;
  release(a: Admission, now: number, usedTokens: number): void;
};

export const memoryRates: RateCounter = {
  take: (scopes, now, tokens) => ({
    result: admit(scopes, now, tokens),
    requests: headroom(scopes, now, "requests"),
    tokens: headroom(scopes, now, "tokens"),
  }),
  release,
};

/** Each limit from the scope's own value, else the default (a group's); 0 (or none) means not set. */
export function effectiveLimits(own: Partial<Limits>, fallback: Partial<Limits> = {}): Limits {
  const set = (v: number | null | undefined) => (v !== null && v !== undefined && v > 0 ? v : null);
  const pick = (k: LimitName) => set(own[k]) ?? set(fallback[k]);
  return { rpm: pick("rpm"), tpm: pick("tpm"), rpd: pick("rpd"), parallel: pick("parallel") };
}

/** A Go-style duration as OpenAI's x-ratelimit-reset-* headers give it: "1s", "6m0s", "1h2m3s", "120ms". */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}
