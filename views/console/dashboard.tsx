/** @jsxImportSource @kitajs/html */
// The /dashboard page: balance, spend, calls, success rate and medians as cards, and two charts drawn
// here as inline SVG (no chart library): spend per day over 30 days and calls per model (top 8).
import { int, ms } from "./logs";
import type { DashboardView } from "./models";
import { budgetText } from "./budget";
import { balance, usd } from "./money";

const n1 = (x: number) => x.toFixed(1);

/** The smallest 1, 2 or 5 × 10^k micro-dollars at or above `units`, in units: round axis labels. */
function niceCeil(units: number) {
  const micros = units * 2;
  const p = 10 ** Math.floor(Math.log10(micros));
  const f = [1, 2, 5, 10].find((x) => x * p >= micros)!;
  return Math.ceil((f * p) / 2);
}

function Stat(props: { label: string; value: string; note?: string; id: string }) {
  return (
    <div class="dash-stat" id={props.id}>
      <div class="label" safe>
        {props.label}
      </div>
      <div class="value" safe>
        {props.value}
      </div>
      {props.note ? (
        <div class="note muted" safe>
          {props.note}
        </div>
      ) : (
        ""
      )}
    </div>
  );
}

/** Spend per day: 30 bars, a zero line, gridlines at half and full height with their amounts. */
export function SpendChart(props: { days: DashboardView["perDay"] }) {
  const W = 640;
  const H = 220;
  const left = 96;
  const right = 8;
  const top = 12;
  const bottom = 26;
  const plotH = H - top - bottom;
  const max = niceCeil(Math.max(1, ...props.days.map((d) => d.quota)));
  const slot = (W - left - right) / props.days.length;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const label = (i: number) => props.days[i].day.slice(5);
  const ticks = [0, Math.round(max / 2), max];
  return (
    <svg class="chart-svg spend" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Spend per day, last 30 days">
      {ticks.map((t) => (
        <g>
          <line class="grid" x1={left} x2={W - right} y1={n1(y(t))} y2={n1(y(t))} />
          <text x={left - 6} y={n1(y(t) + 4)} text-anchor="end" safe>
            {usd(t)}
          </text>
        </g>
      ))}
      {props.days.map((d, i) => {
        const h = (d.quota / max) * plotH;
        return (
          <rect
            class="bar"
            x={n1(left + i * slot + slot * 0.15)}
            y={n1(top + plotH - h)}
            width={n1(slot * 0.7)}
            height={n1(Math.max(h, d.quota > 0 ? 1 : 0))}
            data-day={d.day}
            data-quota={d.quota}
          >
            <title safe>{`${d.day}: ${usd(d.quota)}, ${int(d.calls)} calls`}</title>
          </rect>
        );
      })}
      {[0, 14, props.days.length - 1].map((i, k) => (
        <text
          x={n1(k === 0 ? left : k === 2 ? W - right : left + i * slot + slot / 2)}
          y={H - 6}
          text-anchor={["start", "middle", "end"][k]}
          safe
        >
          {label(i)}
        </text>
      ))}
    </svg>
  );
}

/** Calls per model: one horizontal bar per model, the name on the left, the count at the end. */
export function ModelChart(props: { models: DashboardView["perModel"] }) {
  const W = 640;
  const row = 32;
  const labelW = 210;
  const valueW = 70;
  const H = props.models.length * row + 8;
  const max = Math.max(1, ...props.models.map((m) => m.calls));
  const short = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s || "(none)");
  return (
    <svg class="chart-svg models" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Calls per model, last 30 days">
      {props.models.map((m, i) => {
        const w = Math.max(2, (m.calls / max) * (W - labelW - valueW));
        const y = 4 + i * row;
        return (
          <g>
            <title safe>{`${m.model}: ${int(m.calls)} calls, ${usd(m.quota)}`}</title>
            <text x={labelW - 8} y={y + 18} text-anchor="end" safe>
              {short(m.model)}
            </text>
            <rect
              class="bar"
              x={labelW}
              y={y + 5}
              width={n1(w)}
              height={row - 10}
              rx="3"
              data-model={m.model}
              data-calls={m.calls}
            />
            <text x={n1(labelW + w + 6)} y={y + 18} safe>
              {int(m.calls)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Under the success rate: the sample it covers, and the calls left out as the caller's own refusals. */
function successNote(s: DashboardView["sample"]): string | undefined {
  const parts = [
    s.partial ? `of the latest ${int(s.calls)} calls` : "",
    s.refused
      ? `not counted: ${int(s.refused)} ${s.refused === 1 ? "call" : "calls"} refused for the key, model, request or quota`
      : "",
  ].filter(Boolean);
  return parts.length ? parts.join("; ") : undefined;
}

export function DashboardPage(props: { d: DashboardView }) {
  const d = props.d;
  const s = d.sample;
  return (
    <>
      <div class="toolbar">
        <h1>Dashboard</h1>
        <a class="push" href="/log">
          All calls →
        </a>
      </div>
      <section class="dash-stats">
        <Stat
          id="stat-balance"
          label="Balance"
          value={balance(d.balance.quota, d.balance.unlimited)}
          note={(!d.balance.unlimited && budgetText(d.balance)) || undefined}
        />
        <Stat id="stat-today" label="Spent today (UTC)" value={usd(d.spend.today)} />
        <Stat id="stat-week" label="Spent, 7 days" value={usd(d.spend.week)} />
        <Stat id="stat-month" label="Spent, 30 days" value={usd(d.spend.month)} />
        <Stat id="stat-calls" label="Calls, 30 days" value={int(d.calls)} />
        <Stat
          id="stat-success"
          label="Success rate, 30 days"
          value={s.successRate === null ? "—" : `${(s.successRate * 100).toFixed(1)}%`}
          note={successNote(s)}
        />
        <Stat
          id="stat-latency"
          label="Median latency"
          value={s.medianMs === null ? "—" : ms(s.medianMs, "0 ms")}
          note={s.partial ? `latest ${int(s.calls)} calls` : undefined}
        />
        <Stat id="stat-ttft" label="Median first token" value={s.medianTtftMs === null ? "—" : ms(s.medianTtftMs)} />
      </section>
      <section class="dash-charts">
        <div class="card chart">
          <h2>Spend per day</h2>
          <SpendChart days={d.perDay} />
        </div>
        <div class="card chart">
          <h2>Calls per model</h2>
          {d.perModel.length ? (
            <ModelChart models={d.perModel} />
          ) : (
            <p class="empty">No calls in the last 30 days — make one with a key from the Tokens page.</p>
          )}
        </div>
      </section>
    </>
  );
}
