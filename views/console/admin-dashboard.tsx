/** @jsxImportSource @kitajs/html */
// /admin/dashboard: site-wide figures of a period (today, 7 days, 30 days or custom days in the
// operator's time zone): cards (spend, calls, success rate, tokens, latency and first-token
// percentiles), spend and calls over time and calls per model as inline SVG (the charts of the user's
// dashboard), and the top models, channels, groups and users as tables, with the CSV downloads.
import { AdminPage, qs, TabNav } from "./admin-kit";
import { ModelChart, Stat, TimeChart } from "./dashboard";
import { DataTable, ListToolbar } from "./kit";
import { int, ms } from "./logs";
import type { CallSums } from "../../src/core/outcome";
import type { AdminDashboardView, LatencyView, PercentileView, RankingView } from "./models";
import { usd } from "./money";

const CHOICES: [string, string][] = [
  ["today", "Today"],
  ["7d", "7 days"],
  ["30d", "30 days"],
];

const rate = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);
/** A percentile as the middle of its histogram bucket; the bucket itself in the tooltip and the note. */
const pct = (p: PercentileView) => (p ? ms(p.ms, "0 ms") : "—");
const bucket = (p: PercentileView) =>
  !p
    ? ""
    : !Number.isFinite(p.hi)
      ? `≥ ${int(p.lo)} ms`
      : p.hi - 1 === p.lo
        ? `${p.lo} ms`
        : `${int(p.lo)}–${int(p.hi - 1)} ms`;

function PeriodPicker(props: { period: AdminDashboardView["period"] }) {
  const p = props.period;
  return (
    <div class="dash-period">
      <TabNav
        tabs={CHOICES.map(([name, label]) => [`/admin/dashboard${qs({ period: name })}`, label])}
        current={`/admin/dashboard${qs({ period: p.name })}`}
        label="Period"
      />
      <form method="get" action="/admin/dashboard">
        <input type="hidden" name="period" value="custom" />
        <label>
          From <input type="date" name="from" value={p.from} required />
        </label>
        <label>
          to <input type="date" name="to" value={p.to} required />
        </label>
        <button type="submit" class={p.name === "custom" ? "primary" : ""}>
          Show these days
        </button>
      </form>
      <p class="muted" safe>
        {`${p.from === p.to ? p.from : `${p.from} to ${p.to}`}, days in ${p.timezone} (the budget_timezone setting)`}
      </p>
    </div>
  );
}

function LatencyStat(props: { id: string; label: string; l: LatencyView; which: "p50" | "p95" }) {
  const p = props.l[props.which];
  return (
    <Stat
      id={props.id}
      label={props.label}
      value={pct(p)}
      note={p ? `bucket ${bucket(p)}, of ${int(props.l.samples)} served calls` : undefined}
    />
  );
}

const COLUMNS = (what: string, latency: boolean) => [
  what,
  { label: "Calls", class: "num" },
  { label: "Success", class: "num", title: "served ÷ (served + the service's failures)" },
  { label: "Refused", class: "num", title: "the callers' own refusals: key, model, request, quota" },
  { label: "Tokens in", class: "num", title: "prompt tokens (cached ones included)" },
  { label: "Tokens out", class: "num" },
  { label: "Spend", class: "num" },
  ...(latency ? [{ label: "p50 latency", class: "num" }] : []),
];

function Cells(props: { s: CallSums }) {
  const s = props.s;
  return (
    <>
      <td class="num" safe>
        {int(s.calls)}
      </td>
      <td class="num" safe>
        {rate(s.success_rate)}
      </td>
      <td class="num" safe>
        {int(s.refused)}
      </td>
      <td class="num" safe>
        {int(s.prompt_tokens)}
      </td>
      <td class="num" safe>
        {int(s.completion_tokens)}
      </td>
      <td class="num" safe>
        {usd(s.quota)}
      </td>
    </>
  );
}

function RankTable(props: { title: string; what: string; dim: string; r: RankingView; latency?: boolean }) {
  const r = props.r;
  return (
    <div class="dash-rank" id={`top-${props.dim}`}>
      <h2 safe>{`${props.title}${r.values > r.top.length ? ` (top ${r.top.length} of ${r.values})` : ""}`}</h2>
      <DataTable
        columns={COLUMNS(props.what, !!props.latency)}
        empty={r.top.length === 0 && <p class="empty">No calls in this period.</p>}
      >
        {r.top.map((row) => (
          <tr data-key={row.key} data-calls={row.calls} data-quota={row.quota}>
            <td safe>{row.name}</td>
            <Cells s={row} />
            {props.latency ? (
              <td class="num" safe>
                {row.p50_ms === null || row.p50_ms === undefined ? "—" : ms(row.p50_ms, "0 ms")}
              </td>
            ) : (
              ""
            )}
          </tr>
        ))}
        {r.rest ? (
          <tr class="muted" data-key="(rest)" data-calls={r.rest.calls} data-quota={r.rest.quota}>
            <td safe>{`${int(r.rest.values)} more`}</td>
            <Cells s={r.rest} />
            {props.latency ? <td></td> : ""}
          </tr>
        ) : (
          ""
        )}
      </DataTable>
    </div>
  );
}

export function AdminDashboardPage(props: { path: string; d: AdminDashboardView; notice?: string }) {
  const d = props.d;
  const t = d.totals;
  const unit = d.period.unit === "hour" ? "hour" : "day";
  const bars = d.series.map((b) =>
    unit === "day" ? { ...b, label: b.key.slice(5) } : { ...b, title: `${d.period.from} ${b.label}` },
  );
  return (
    <AdminPage path={props.path}>
      <ListToolbar title="Dashboard">
        <a class="push" href={`/admin/usage.csv${qs({ from: d.period.from, to: d.period.to })}`}>
          Rollups per day × user × model (CSV, UTC days)
        </a>
        <a href="/admin/logs.csv">All calls (CSV)</a>
      </ListToolbar>
      <PeriodPicker period={d.period} />
      {props.notice ? (
        <p class="alert error" role="alert" safe>
          {props.notice}
        </p>
      ) : (
        ""
      )}
      <section class="dash-stats">
        <Stat id="stat-spend" label="Spend" value={usd(t.quota)} />
        <Stat id="stat-calls" label="Calls" value={int(t.calls)} />
        <Stat
          id="stat-success"
          label="Success rate"
          value={rate(t.success_rate)}
          note={`${int(t.failed)} failed; not counted: ${int(t.refused)} refused for the key, model, request or quota`}
        />
        <Stat
          id="stat-tokens-in"
          label="Tokens in"
          value={int(t.prompt_tokens)}
          note={t.cached_tokens ? `${int(t.cached_tokens)} of them cached` : undefined}
        />
        <Stat id="stat-tokens-out" label="Tokens out" value={int(t.completion_tokens)} />
        <LatencyStat id="stat-latency-p50" label="Latency p50" l={d.latency} which="p50" />
        <LatencyStat id="stat-latency-p95" label="Latency p95" l={d.latency} which="p95" />
        <Stat
          id="stat-ttft"
          label="First token p50 · p95"
          value={`${pct(d.ttft.p50)} · ${pct(d.ttft.p95)}`}
          note={d.ttft.samples ? `of ${int(d.ttft.samples)} served calls with a first token` : undefined}
        />
      </section>
      <section class="dash-charts three">
        <div class="card chart">
          <h2 safe>{`Spend per ${unit}`}</h2>
          <TimeChart bars={bars} measure="quota" label={`Spend per ${unit}`} />
        </div>
        <div class="card chart">
          <h2 safe>{`Calls per ${unit}`}</h2>
          <TimeChart bars={bars} measure="calls" label={`Calls per ${unit}`} />
        </div>
        <div class="card chart">
          <h2>Calls per model</h2>
          {d.by_model.top.length ? (
            <ModelChart
              models={[...d.by_model.top]
                .sort((a, b) => b.calls - a.calls)
                .slice(0, 8)
                .map((m) => ({ model: m.name, calls: m.calls, quota: m.quota }))}
              label="Calls per model"
            />
          ) : (
            <p class="empty">No calls in this period.</p>
          )}
        </div>
      </section>
      <section class="dash-ranks">
        <RankTable title="Models" what="Model" dim="model" r={d.by_model} latency />
        <RankTable title="Channels" what="Channel" dim="channel" r={d.by_channel} latency />
        <RankTable title="Groups" what="Group" dim="group" r={d.by_group} />
        <RankTable title="Users" what="User" dim="user" r={d.by_user} />
      </section>
    </AdminPage>
  );
}
