// Prometheus metrics kept in memory: calls by endpoint/model/group/status, latency and time-to-first-
// token histograms, upstream attempts and failures by channel; rendered as text at GET /metrics.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

class Histogram {
  private counts = new Map<string, { buckets: number[]; sum: number; count: number }>();
  observe(labels: string, seconds: number) {
    let h = this.counts.get(labels);
    if (!h) this.counts.set(labels, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.buckets[i]++;
    h.sum += seconds;
    h.count++;
  }
  render(name: string, help: string): string[] {
    const out = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    for (const [labels, h] of this.counts) {
      const sep = labels ? "," : "";
      BUCKETS.forEach((b, i) => out.push(`${name}_bucket{${labels}${sep}le="${b}"} ${h.buckets[i]}`));
      out.push(
        `${name}_bucket{${labels}${sep}le="+Inf"} ${h.count}`,
        `${name}_sum{${labels}} ${h.sum}`,
        `${name}_count{${labels}} ${h.count}`,
      );
    }
    return out;
  }
}

const esc = (v: string | number) => String(v).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labelsOf = (pairs: Record<string, string | number>) =>
  Object.entries(pairs)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(",");

function counter(name: string, help: string, values: Map<string, number>): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, ...[...values].map(([l, v]) => `${name}{${l}} ${v}`)];
}

const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

export type Gauges = {
  logQueueDepth: number;
  breakers: { channel: number; state: string }[];
  /** the WAL checkpointer: running, and frames it copied (absent outside `serve`) */
  checkpoints?: { running: boolean; copied: number };
};

export class Metrics {
  private calls = new Map<string, number>();
  private attempts = new Map<string, number>();
  private failures = new Map<string, number>();
  private latency = new Histogram();
  private ttft = new Histogram();

  /** label text per endpoint → model → group → status, escaped once (every call would build it again) */
  private callKeys = new Map<string, string>();

  /** `model` and `group` are empty for calls refused before the model was known to be served. */
  call(endpoint: string, model: string, group: string, status: number, seconds: number, ttftSeconds: number | null) {
    const raw = `${endpoint}\n${status}\n${model.length}\n${model}${group}`; // lengths: no two calls share one
    let key = this.callKeys.get(raw);
    if (key === undefined) {
      key = `endpoint="${endpoint}",model="${esc(model)}",group="${esc(group)}",status="${status}"`;
      this.callKeys.set(raw, key);
    }
    bump(this.calls, key);
    const l = `endpoint="${endpoint}"`;
    this.latency.observe(l, seconds);
    if (ttftSeconds !== null) this.ttft.observe(l, ttftSeconds);
  }

  attempt(channel: number, failure: string | null) {
    bump(this.attempts, `channel="${channel}"`); // a number: nothing to escape
    if (failure) bump(this.failures, labelsOf({ channel, reason: failure }));
  }

  render(g: Gauges): string {
    return [
      ...counter("apiyi_requests_total", "Relay calls by endpoint, model, group and final status.", this.calls),
      ...this.latency.render("apiyi_request_duration_seconds", "Relay call duration."),
      ...this.ttft.render("apiyi_time_to_first_token_seconds", "Time to the first streamed chunk."),
      ...counter("apiyi_upstream_attempts_total", "Upstream attempts by channel.", this.attempts),
      ...counter("apiyi_upstream_failures_total", "Failed upstream attempts by channel and reason.", this.failures),
      "# HELP apiyi_channel_breaker_state Circuit breaker per channel: 0 closed, 1 half-open, 2 open.",
      "# TYPE apiyi_channel_breaker_state gauge",
      ...g.breakers.map(
        (b) =>
          `apiyi_channel_breaker_state{channel="${b.channel}"} ${b.state === "open" ? 2 : b.state === "half_open" ? 1 : 0}`,
      ),
      "# HELP apiyi_log_queue_depth Log rows waiting to be written.",
      "# TYPE apiyi_log_queue_depth gauge",
      `apiyi_log_queue_depth ${g.logQueueDepth}`,
      ...(g.checkpoints
        ? [
            "# HELP apiyi_wal_checkpointer_up Whether WAL checkpoints run on their own thread (0: SQLite's own, in commits).",
            "# TYPE apiyi_wal_checkpointer_up gauge",
            `apiyi_wal_checkpointer_up ${g.checkpoints.running ? 1 : 0}`,
            "# HELP apiyi_wal_checkpointed_frames_total WAL frames the checkpointer copied into the database.",
            "# TYPE apiyi_wal_checkpointed_frames_total counter",
            `apiyi_wal_checkpointed_frames_total ${g.checkpoints.copied}`,
          ]
        : []),
      "",
    ].join("\n");
  }
}
