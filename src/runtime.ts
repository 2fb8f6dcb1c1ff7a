// The serving process's state, made once by `serve` and handed to every /v1 call: the services'
// context (database, snapshot, ledger), the lifecycle (draining, cutting), channel breakers, metrics,
// session affinity, alerts, the background jobs, and the few settings read from the config; everything
// else comes from the snapshot.
import { backgroundJobs } from "./background";
import type { Config } from "./config";
import { Affinity } from "./core/affinity";
import { memoryRates, type RateCounter, type RateState } from "./core/rate-limit";
import type { Breakers } from "./core/breaker";
import { Metrics } from "./observe/metrics";
import { VideoPoller } from "./relay/video/poller";
import { Alerts } from "./services/alerts";
import type { Checkpoints } from "./store/checkpoints";
import type { Ctx } from "./services/context";
import type { Scheduler } from "./services/scheduler";

/** draining: SIGTERM/SIGINT came, new calls are refused; cutting: the drain's deadline passed, and
 * what is still open is ended by the server (logged server_shutting_down, not the client's doing) */
export type Lifecycle = { draining: boolean; cutting?: boolean };

export type Runtime = {
  ctx: Ctx;
  life: Lifecycle;
  breakers: Breakers;
  metrics: Metrics;
  maxBodyBytes: number;
  metricsToken: string | undefined;
  /** session → channel and upstream key */
  affinity: Affinity;
  /** rate-limit counters by scope ("t<token id>", "u<user id>"), made on a limited scope's first call */
  rates: Map<string, RateState>;
  /** where the limits are checked and counted: those counters, or PostgreSQL's for a cluster */
  rateCounter: RateCounter;
  /** the alert queue and sender (low balance, channel trouble) */
  alerts: Alerts;
  /** the background jobs (background.ts): the scheduled channel test, balances, latency saves */
  jobs: Scheduler;
  /** the poller of asynchronous video jobs (relay/video/poller.ts) */
  videos: VideoPoller;
  /** the WAL checkpointer (store/checkpoints.ts), once `serve` started it */
  checkpoints?: Checkpoints;
};

export function createRuntime(ctx: Ctx, config: Config, life: Lifecycle): Runtime {
  const rt: Omit<Runtime, "jobs" | "videos"> = {
    ctx,
    life,
    breakers: ctx.breakers,
    metrics: new Metrics(),
    maxBodyBytes: Math.floor(config.maxBodyMb * 1024 * 1024),
    metricsToken: config.metricsToken,
    affinity: new Affinity(),
    rates: new Map(),
    rateCounter: ctx.cluster?.rates ?? memoryRates,
    alerts: new Alerts(ctx, ctx.breakers),
  };
  const full = Object.assign(rt, { jobs: backgroundJobs(rt as Runtime) }) as Runtime;
  return Object.assign(full, { videos: new VideoPoller(full) });
}
