// Periodic background jobs on an injectable clock: each job's period is read at every check (a runtime
// setting, so a change applies without a restart; 0 = off), a job runs when a period has passed since
// its last run (the first period counts from the start), and jobs run one after another, never two at
// once. A timer checks every few seconds; tests move the clock and call tick() (api/test-clock.ts).
import { isDue } from "../core/schedule";

export type Job = { name: string; periodMs: () => number; run: () => unknown };

export class Scheduler {
  private readonly last = new Map<string, number>();
  private chain: Promise<unknown> = Promise.resolve();
  private busy = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly clock: () => number,
    private readonly jobs: Job[],
  ) {
    const now = clock();
    for (const j of jobs) this.last.set(j.name, now);
  }

  /** Runs the jobs that are due, after any run still going; resolves with their names. */
  tick(): Promise<string[]> {
    const run = this.chain.then(() => this.runDue());
    this.chain = run.catch(() => {});
    return run;
  }

  private async runDue(): Promise<string[]> {
    this.busy = true;
    const ran: string[] = [];
    try {
      for (const job of this.jobs) {
        const now = this.clock();
        let period = 0;
        try {
          period = job.periodMs();
        } catch (e) {
          console.error(`${job.name}: could not read its period:`, (e as Error).message);
        }
        if (!isDue(this.last.get(job.name) ?? now, period, now)) continue;
        this.last.set(job.name, now);
        ran.push(job.name);
        try {
          await job.run();
        } catch (e) {
          console.error(`${job.name} failed:`, (e as Error).message);
        }
      }
    } finally {
      this.busy = false;
    }
    return ran;
  }

  /** Resolves when no run is going, or after `maxMs` (shutdown waits for one, not forever). */
  async idle(maxMs: number): Promise<void> {
    if (!this.busy) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.chain, new Promise((ok) => (timer = setTimeout(ok, maxMs)))]);
    clearTimeout(timer);
  }

  /** Checks every `everyMs` (a check while a run is going is skipped). */
  start(everyMs: number) {
    this.timer = setInterval(() => {
      if (!this.busy) void this.tick();
    }, everyMs);
    this.timer.unref?.();
  }

  stop() {
    clearInterval(this.timer);
  }
}
