// The keep-alive pool of the HTTP/1.1 client, per origin (address, port, TLS settings): an idle
// connection is reused (the most recently used first), a new one is opened while the origin has fewer
// than `maxSockets`, and beyond that a request waits in a FIFO queue (at most `maxQueue` waiting, then
// refused with "PoolQueueFull"). A connection idle for `idleMs` is closed by a sweep; an idle one does
// not keep the process alive.
import { Conn } from "./conn";
import { h1Error } from "./errors";
import type { Prepared } from "./request";

export type PoolLimits = { maxSockets: number; maxQueue: number; idleMs: number };
/** maxSockets: a stream holds its connection for as long as the model writes (minutes), so an origin
 * may need as many as the gateway has streams open: the same 16,384 as Bun's fetch is given at start
 * (cli/fetch-limit.ts); 256 (fetch's own default) queued the 257th stream behind the others. */
const limits: PoolLimits = { maxSockets: 16_384, maxQueue: 4096, idleMs: 30_000 };

type Waiter = {
  resolve: (c: Conn) => void;
  reject: (e: unknown) => void;
  address: string;
  port: number;
  prepared: Prepared;
};

class Pool {
  idle: Conn[] = [];
  total = 0;
  waiting: Waiter[] = [];
}

const pools = new Map<string, Pool>();
let sweeper: ReturnType<typeof setInterval> | null = null;

/** Changes the limits (tests; the defaults suit the gateway). */
export function configurePool(next: Partial<PoolLimits>): void {
  Object.assign(limits, next);
  if (sweeper) clearInterval(sweeper);
  sweeper = null;
}

function sweep(): void {
  const old = Date.now() - limits.idleMs;
  for (const pool of pools.values()) for (const c of pool.idle.filter((c) => c.idleSince <= old)) c.destroy();
}

function connect(pool: Pool, address: string, port: number, p: Prepared): Promise<Conn> {
  const c = new Conn(p.key, p.tls);
  pool.total++;
  c.onGone = (gone) => {
    pool.total--;
    const i = pool.idle.indexOf(gone);
    if (i >= 0) pool.idle.splice(i, 1);
    const next = pool.waiting.shift();
    if (next) connect(pool, next.address, next.port, next.prepared).then(next.resolve, next.reject);
    else if (pool.total === 0 && pool.idle.length === 0) pools.delete(p.key);
  };
  return c.open(address, port).then(() => c);
}

/** A connection for `p`: an idle one (unless `fresh`), a new one, or the next one free. `waiter` lets
 * the caller give up its place in the queue. */
export function acquire(
  address: string,
  port: number,
  p: Prepared,
  fresh: boolean,
  onQueued: (leave: () => void) => void,
): Promise<Conn> {
  let pool = pools.get(p.key);
  if (!pool) {
    pool = new Pool();
    pools.set(p.key, pool);
  }
  if (!fresh) {
    for (let c = pool.idle.pop(); c; c = pool.idle.pop()) {
      if (c.closed) continue;
      c.socket?.ref();
      return Promise.resolve(c);
    }
  }
  if (pool.total < limits.maxSockets) return connect(pool, address, port, p);
  if (pool.waiting.length >= limits.maxQueue)
    return Promise.reject(h1Error("PoolQueueFull", `more than ${limits.maxQueue} requests waiting for a connection`));
  const q = pool;
  return new Promise((resolve, reject) => {
    const w: Waiter = { resolve, reject, address, port, prepared: p };
    q.waiting.push(w);
    onQueued(() => {
      const i = q.waiting.indexOf(w);
      if (i >= 0) q.waiting.splice(i, 1);
    });
  });
}

/** Gives back a connection whose response was read to its end; `reusable` false closes it. */
export function release(c: Conn, reusable: boolean): void {
  c.user = null;
  const pool = pools.get(c.key);
  if (!reusable || c.closed || !pool) {
    c.destroy();
    return;
  }
  const next = pool.waiting.shift();
  if (next) {
    next.resolve(c);
    return;
  }
  c.idleSince = Date.now();
  c.socket?.unref();
  pool.idle.push(c);
  if (!sweeper) {
    sweeper = setInterval(sweep, Math.max(50, Math.min(5000, limits.idleMs / 4)));
    sweeper.unref();
  }
}

/** Counts for tests: connections open and idle at an origin key prefix ("address|port"). */
export function poolStats(prefix: string): { total: number; idle: number; waiting: number } {
  const out = { total: 0, idle: 0, waiting: 0 };
  for (const [k, p] of pools)
    if (k.startsWith(prefix)) {
      out.total += p.total;
      out.idle += p.idle.length;
      out.waiting += p.waiting.length;
    }
  return out;
}
