// One timer for all open upstream bodies: each registers when it last received bytes, and one that
// stays silent past its idle limit is aborted. Per chunk this costs a field write, not a timer reset.
export type Watched = { last: number; idleMs: number; onIdle: () => void };

const TICK_MS = 100;
const watched = new Set<Watched>();
let timer: ReturnType<typeof setInterval> | null = null;

function tick() {
  const now = performance.now();
  for (const w of watched) {
    if (now - w.last > w.idleMs) {
      watched.delete(w);
      w.onIdle();
    }
  }
  if (watched.size === 0 && timer) {
    clearInterval(timer);
    timer = null;
  }
}

export function watchIdle(idleMs: number, onIdle: () => void): Watched {
  const w = { last: performance.now(), idleMs, onIdle };
  watched.add(w);
  timer ??= setInterval(tick, TICK_MS);
  return w;
}

export const unwatch = (w: Watched) => void watched.delete(w);
