/** @jsxImportSource @kitajs/html */
// The /dashboard page: balance, spend, calls, success rate and medians as cards, and two charts drawn
// here as inline SVG (no chart library): spend per day over 30 days and calls per model (top 8). The
// cards and charts are shared with the admin dashboard (./admin-dashboard.tsx). Words from the reader's
// catalog (English when a caller passes no translator), amounts in their currency; the user's days are
// UTC days, as the daily rollups keep them.
import type { Translator } from "../../src/i18n";
import { ms } from "./logs";
import type { DashboardView } from "./models";
import { budgetText } from "./budget";
import { balance } from "./money";

const n1 = (x: number) => x.toFixed(1);

/** The smallest 1, 2 or 5 × 10^k at or above `v` (money: in micro-dollars, `scale` 2 units each), in
 * the value's own unit: round axis labels. */
function niceCeil(v: number, scale: number) {
  const x = v * scale;
  const p = 10 ** Math.floor(Math.log10(x));
  const f = [1, 2, 5, 10].find((k) => k * p >= x)!;
  return Math.ceil((f * p) / scale);
}

export function Stat(props: { label: string; value: string; note?: string; id: string }) {
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

/** One bar of a time chart: a day (`key` YYYY-MM-DD) or an hour, its axis label, its tooltip's name
 * (the key when absent), its spend and calls. */
export type Bar = { key: string; label: string; title?: string; quota: number; calls: number };

/** Spend or calls over time: one bar per day (or hour), a zero line, gridlines at half and full height
 * with their values, and the first, middle and last bars' labels under the axis. */
export function TimeChart(props: { bars: Bar[]; measure: "quota" | "calls"; label: string; t: Translator }) {
  const tr = props.t;
  const W = 640;
  const H = 220;
  const left = 96;
  const right = 8;
  const top = 12;
  const bottom = 26;
  const plotH = H - top - bottom;
  const money = props.measure === "quota";
  const value = (b: Bar) => (money ? b.quota : b.calls);
  const show = (v: number) => (money ? tr.money(v) : tr.num(v));
  const max = niceCeil(Math.max(1, ...props.bars.map(value)), money ? 2 : 1);
  const n = props.bars.length;
  const slot = (W - left - right) / n;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const ticks = [0, Math.round(max / 2), max];
  const labelled = n < 3 ? [0, n - 1] : [0, Math.floor((n - 1) / 2), n - 1];
  return (
    <svg class={`chart-svg ${money ? "spend" : "calls"}`} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label}>
      {ticks.map((t) => (
        <g>
          <line class="grid" x1={left} x2={W - right} y1={n1(y(t))} y2={n1(y(t))} />
          <text x={left - 6} y={n1(y(t) + 4)} text-anchor="end" safe>
            {show(t)}
          </text>
        </g>
      ))}
      {props.bars.map((b, i) => {
        const h = (value(b) / max) * plotH;
        return (
          <rect
            class="bar"
            x={n1(left + i * slot + slot * 0.15)}
            y={n1(top + plotH - h)}
            width={n1(slot * 0.7)}
            height={n1(Math.max(h, value(b) > 0 ? 1 : 0))}
            data-day={b.key}
            data-quota={b.quota}
            data-calls={b.calls}
          >
            <title safe>
              {tr.t("charts.bar", { name: b.title ?? b.key, amount: tr.money(b.quota), calls: b.calls })}
            </title>
          </rect>
        );
      })}
      {labelled.map((i, k) => {
        const end = k === labelled.length - 1 && n > 1;
        return (
          <text
            x={n1(k === 0 ? left : end ? W - right : left + i * slot + slot / 2)}
            y={H - 6}
            text-anchor={k === 0 ? "start" : end ? "end" : "middle"}
            safe
          >
            {props.bars[i].label}
          </text>
        );
      })}
    </svg>
  );
}

/** Calls per model: one horizontal bar per model, the name on the left, the count at the end. */
export function ModelChart(props: { models: DashboardView["perModel"]; label?: string; t: Translator }) {
  const tr = props.t;
  const W = 640;
  const row = 32;
  const labelW = 210;
  const valueW = 70;
  const H = props.models.length * row + 8;
  const max = Math.max(1, ...props.models.map((m) => m.calls));
  const short = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s || tr.t("charts.noModel"));
  return (
    <svg
      class="chart-svg models"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={props.label ?? tr.t("dashboard.callsPerModel.label")}
    >
      {props.models.map((m, i) => {
        const w = Math.max(2, (m.calls / max) * (W - labelW - valueW));
        const y = 4 + i * row;
        return (
          <g>
            <title safe>{tr.t("charts.modelBar", { model: m.model, calls: m.calls, amount: tr.money(m.quota) })}</title>
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
              {tr.num(m.calls)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Under the success rate: the sample it covers, and the calls left out as the caller's own refusals. */
function successNote(s: DashboardView["sample"], { t }: Translator): string | undefined {
  const parts = [
    s.partial ? t("dashboard.ofLatest", { count: s.calls }) : "",
    s.refused ? t(s.refused === 1 ? "dashboard.refused.one" : "dashboard.refused", { count: s.refused }) : "",
  ].filter(Boolean);
  return parts.length ? parts.join("; ") : undefined;
}

export function DashboardPage(props: { d: DashboardView; t: Translator }) {
  const d = props.d;
  const s = d.sample;
  const tr = props.t;
  const { t } = tr;
  return (
    <>
      <div class="toolbar">
        <h1 safe>{t("dashboard.title")}</h1>
        <a class="push" href="/log" safe>
          {t("dashboard.allCalls")}
        </a>
      </div>
      <section class="dash-stats">
        <Stat
          id="stat-balance"
          label={t("dashboard.balance")}
          value={balance(d.balance.quota, d.balance.unlimited, tr)}
          note={(!d.balance.unlimited && budgetText(d.balance, tr)) || undefined}
        />
        <Stat id="stat-today" label={t("dashboard.today")} value={tr.money(d.spend.today)} />
        <Stat id="stat-week" label={t("dashboard.week")} value={tr.money(d.spend.week)} />
        <Stat id="stat-month" label={t("dashboard.month")} value={tr.money(d.spend.month)} />
        <Stat id="stat-calls" label={t("dashboard.calls")} value={tr.num(d.calls)} />
        <Stat
          id="stat-success"
          label={t("dashboard.success")}
          value={s.successRate === null ? "—" : `${(s.successRate * 100).toFixed(1)}%`}
          note={successNote(s, tr)}
        />
        <Stat
          id="stat-latency"
          label={t("dashboard.latency")}
          value={s.medianMs === null ? "—" : ms(s.medianMs, "0 ms")}
          note={s.partial ? t("dashboard.latest", { count: s.calls }) : undefined}
        />
        <Stat id="stat-ttft" label={t("dashboard.ttft")} value={s.medianTtftMs === null ? "—" : ms(s.medianTtftMs)} />
      </section>
      <section class="dash-charts">
        <div class="card chart">
          <h2 safe>{t("dashboard.spendPerDay")}</h2>
          <TimeChart
            bars={d.perDay.map((p) => ({ ...p, key: p.day, label: p.day.slice(5) }))}
            measure="quota"
            label={t("dashboard.spendPerDay.label")}
            t={tr}
          />
        </div>
        <div class="card chart">
          <h2 safe>{t("dashboard.callsPerModel")}</h2>
          {d.perModel.length ? (
            <ModelChart models={d.perModel} t={tr} />
          ) : (
            <p class="empty" safe>
              {t("dashboard.noCalls")}
            </p>
          )}
        </div>
      </section>
    </>
  );
}
