// The serving process's background jobs, on the services' clock (ctx.clock.nowMs; the test clock in tests):
// the scheduled channel test (channel_test_minutes), the upstream balance refresh
// (upstream_balance_minutes; below a channel's threshold the admin is alerted), and every minute the
// channels' latency medians saved for the CLI. Periods are read at each check: a change of the
// settings applies without a restart.
import { minutesMs } from "./core/schedule";
import { healChannels } from "./relay/attempt/heal";
import type { Runtime } from "./runtime";
import { saveLatencySummaries } from "./services/channel-health";
import { leads } from "./services/context";
import { Scheduler } from "./services/scheduler";
import { readSettings } from "./services/settings";
import { refreshAllBalances } from "./services/upstream-balance";

/** How often the scheduler checks what is due. */
export const CHECK_EVERY_MS = 10_000;

export function backgroundJobs(rt: Runtime): Scheduler {
  const { ctx } = rt;
  // once per cluster on PostgreSQL: only the leader runs them (latencies are each instance's own)
  const leader = (run: () => unknown) => () => (leads(ctx) ? run() : undefined);
  return new Scheduler(ctx.clock.nowMs, [
    {
      name: "channel_test",
      periodMs: () => minutesMs(readSettings(ctx).channel_test_minutes),
      run: leader(() => healChannels(rt)),
    },
    {
      name: "upstream_balance",
      periodMs: () => minutesMs(readSettings(ctx).upstream_balance_minutes),
      run: leader(() => refreshAllBalances(ctx, (channel, detail) => rt.alerts.upstreamBalanceLow(channel, detail))),
    },
    { name: "latency_save", periodMs: () => 60_000, run: () => saveLatencySummaries(ctx) },
  ]);
}
