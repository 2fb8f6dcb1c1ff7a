/** @jsxImportSource @kitajs/html */
// /admin/dashboard: site-wide figures of a period (today, 7 days, 30 days or custom days in the
// operator's time zone): cards (spend, calls, success rate, tokens, latency and first-token
// percentiles), spend and calls over time and calls per model as inline SVG (the charts of the user's
// dashboard), and the top models, channels, groups and users as tables, with the CSV downloads.
// Every word from the reader's catalog (`t`), amounts in their currency, numbers grouped their way.
import type { PlainKey, Translator } from "../../src/i18n";
import { AdminPage, qs, TabNav } from "./admin-kit";
import { ModelChart, Stat, TimeChart } from "./dashboard";
import { type Column, DataTable, ListToolbar } from "./kit";
import { ms } from "./logs";
import type { CallSums } from "../../src/core/outcome";
import type { AdminDashboardView, LatencyView, PercentileView, RankingView } from "./models";

const CHOICES: [string, PlainKey][] = [
  ["today", "adminDash.period.today"],
  ["7d", "adminDash.period.7d"],
  ["30d", "adminDash.period.30d"],
];

const rate = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);
/** A percentile as the middle of its histogram bucket; the bucket itself in the tooltip and the note. */
const pct = (p: PercentileView) => (p ? ms(p.ms, "0 ms") : "—");
const bucket = (p: PercentileView, t: Translator) =>
  !p
    ? ""
    : !Number.isFinite(p.hi)
      ? `≥ ${t.num(p.lo)} ms`
      : p.hi - 1 === p.lo
        ? `${p.lo} ms`
        : `${t.num(p.lo)}–${t.num(p.hi - 1)} ms`;

function PeriodPicker(props: { period: AdminDashboardView["period"]; t: Translator }) {
  const p = props.period;
  const { t } = props.t;
  const zone = p.timezone;
  return (
    <div class="dash-period">
      <TabNav
        tabs={CHOICES.map(([name, key]) => [`/admin/dashboard${qs({ period: name })}`, t(key)])}
        current={`/admin/dashboard${qs({ period: p.name })}`}
        label={t("adminDash.period.label")}
      />
      <form method="get" action="/admin/dashboard">
        <input type="hidden" name="period" value="custom" />
        <label>
          <span safe>{t("adminDash.period.from")}</span> <input type="date" name="from" value={p.from} required />
        </label>
        <label>
          <span safe>{t("adminDash.period.to")}</span> <input type="date" name="to" value={p.to} required />
        </label>
        <button type="submit" class={p.name === "custom" ? "primary" : ""} safe>
          {t("adminDash.period.show")}
        </button>
      </form>
      <p class="muted" safe>
        {p.from === p.to
          ? t("adminDash.period.day", { day: p.from, zone })
          : t("adminDash.period.days", { from: p.from, to: p.to, zone })}
      </p>
    </div>
  );
}

function LatencyStat(props: { id: string; label: string; l: LatencyView; which: "p50" | "p95"; t: Translator }) {
  const p = props.l[props.which];
  const tr = props.t;
  return (
    <Stat
      id={props.id}
      label={props.label}
      value={pct(p)}
      note={p ? tr.t("adminDash.stat.latencyNote", { bucket: bucket(p, tr), samples: props.l.samples }) : undefined}
    />
  );
}

const COLUMNS = (what: string, latency: boolean, { t }: Translator): Column[] => [
  what,
  { label: t("adminDash.col.calls"), class: "num" },
  { label: t("adminDash.col.success"), class: "num", title: t("adminDash.col.successTitle") },
  { label: t("adminDash.col.refused"), class: "num", title: t("adminDash.col.refusedTitle") },
  { label: t("adminDash.col.tokensIn"), class: "num", title: t("adminDash.col.tokensInTitle") },
  { label: t("adminDash.col.tokensOut"), class: "num" },
  { label: t("adminDash.col.spend"), class: "num" },
  ...(latency ? [{ label: t("adminDash.col.p50"), class: "num" }] : []),
];

function Cells(props: { s: CallSums; t: Translator }) {
  const { s, t } = props;
  return (
    <>
      <td class="num" safe>
        {t.num(s.calls)}
      </td>
      <td class="num" safe>
        {rate(s.success_rate)}
      </td>
      <td class="num" safe>
        {t.num(s.refused)}
      </td>
      <td class="num" safe>
        {t.num(s.prompt_tokens)}
      </td>
      <td class="num" safe>
        {t.num(s.completion_tokens)}
      </td>
      <td class="num" safe>
        {t.money(s.quota)}
      </td>
    </>
  );
}

type Dim = "model" | "channel" | "group" | "user";

/** A row's name in the reader's words where the service wrote one of its own: the calls refused before
 * routing (channel 0), an empty model or group, a deleted channel or user. Real names stay as they are. */
function rankName(dim: Dim, row: { key: string; name: string }, { t }: Translator) {
  if (dim === "channel" && row.key === "0") return t("adminDash.rank.noChannel");
  if (row.key === "" && (dim === "model" || dim === "group")) return t("adminDash.rank.none");
  if (row.name === `#${row.key} (deleted)` || row.name === `(deleted) #${row.key}`)
    return t("adminKit.deleted", { id: row.key });
  return row.name;
}

function RankTable(props: { title: string; what: string; dim: Dim; r: RankingView; latency?: boolean; t: Translator }) {
  const { r, t: tr } = props;
  const { t } = tr;
  const title =
    r.values > r.top.length
      ? t("adminDash.rank.top", { title: props.title, shown: r.top.length, values: r.values })
      : props.title;
  return (
    <div class="dash-rank" id={`top-${props.dim}`}>
      <h2 safe>{title}</h2>
      <DataTable
        columns={COLUMNS(props.what, !!props.latency, tr)}
        empty={
          r.top.length === 0 && (
            <p class="empty" safe>
              {t("adminDash.noCalls")}
            </p>
          )
        }
      >
        {r.top.map((row) => (
          <tr data-key={row.key} data-calls={row.calls} data-quota={row.quota}>
            <td safe>{rankName(props.dim, row, tr)}</td>
            <Cells s={row} t={tr} />
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
            <td safe>{t("adminDash.rank.more", { count: r.rest.values })}</td>
            <Cells s={r.rest} t={tr} />
            {props.latency ? <td></td> : ""}
          </tr>
        ) : (
          ""
        )}
      </DataTable>
    </div>
  );
}

export function AdminDashboardPage(props: { path: string; d: AdminDashboardView; notice?: string; t: Translator }) {
  const { d, t: tr } = props;
  const { t } = tr;
  const sums = d.totals;
  const hourly = d.period.unit === "hour";
  const bars = d.series.map((b) =>
    hourly ? { ...b, title: `${d.period.from} ${b.label}` } : { ...b, label: b.key.slice(5) },
  );
  const spendPer = t(hourly ? "adminDash.chart.spendPerHour" : "adminDash.chart.spendPerDay");
  const callsPer = t(hourly ? "adminDash.chart.callsPerHour" : "adminDash.chart.callsPerDay");
  const noCalls = t("adminDash.noCalls");
  return (
    <AdminPage path={props.path} t={tr}>
      <ListToolbar title={t("adminDash.title")} t={tr}>
        <a class="push" href={`/admin/usage.csv${qs({ from: d.period.from, to: d.period.to })}`} safe>
          {t("adminDash.csv.usage")}
        </a>
        <a href="/admin/logs.csv" safe>
          {t("adminDash.csv.calls")}
        </a>
      </ListToolbar>
      <PeriodPicker period={d.period} t={tr} />
      {props.notice ? (
        <p class="alert error" role="alert" safe>
          {props.notice}
        </p>
      ) : (
        ""
      )}
      <section class="dash-stats">
        <Stat id="stat-spend" label={t("adminDash.stat.spend")} value={tr.money(sums.quota)} />
        <Stat id="stat-calls" label={t("adminDash.stat.calls")} value={tr.num(sums.calls)} />
        <Stat
          id="stat-success"
          label={t("adminDash.stat.success")}
          value={rate(sums.success_rate)}
          note={t("adminDash.stat.successNote", { failed: sums.failed, refused: sums.refused })}
        />
        <Stat
          id="stat-tokens-in"
          label={t("adminDash.stat.tokensIn")}
          value={tr.num(sums.prompt_tokens)}
          note={sums.cached_tokens ? t("adminDash.stat.cached", { cached: sums.cached_tokens }) : undefined}
        />
        <Stat id="stat-tokens-out" label={t("adminDash.stat.tokensOut")} value={tr.num(sums.completion_tokens)} />
        <LatencyStat id="stat-latency-p50" label={t("adminDash.stat.p50")} l={d.latency} which="p50" t={tr} />
        <LatencyStat id="stat-latency-p95" label={t("adminDash.stat.p95")} l={d.latency} which="p95" t={tr} />
        <Stat
          id="stat-ttft"
          label={t("adminDash.stat.ttft")}
          value={`${pct(d.ttft.p50)} · ${pct(d.ttft.p95)}`}
          note={d.ttft.samples ? t("adminDash.stat.ttftNote", { samples: d.ttft.samples }) : undefined}
        />
      </section>
      <section class="dash-charts three">
        <div class="card chart">
          <h2 safe>{spendPer}</h2>
          <TimeChart bars={bars} measure="quota" label={spendPer} t={tr} />
        </div>
        <div class="card chart">
          <h2 safe>{callsPer}</h2>
          <TimeChart bars={bars} measure="calls" label={callsPer} t={tr} />
        </div>
        <div class="card chart">
          <h2 safe>{t("adminDash.chart.perModel")}</h2>
          {d.by_model.top.length ? (
            <ModelChart
              t={tr}
              models={[...d.by_model.top]
                .sort((a, b) => b.calls - a.calls)
                .slice(0, 8)
                .map((m) => ({ model: m.name, calls: m.calls, quota: m.quota }))}
              label={t("adminDash.chart.perModel")}
            />
          ) : (
            <p class="empty" safe>
              {noCalls}
            </p>
          )}
        </div>
      </section>
      <section class="dash-ranks">
        <RankTable
          title={t("adminDash.rank.models")}
          what={t("adminDash.col.model")}
          dim="model"
          r={d.by_model}
          latency
          t={tr}
        />
        <RankTable
          title={t("adminDash.rank.channels")}
          what={t("adminDash.col.channel")}
          dim="channel"
          r={d.by_channel}
          latency
          t={tr}
        />
        <RankTable
          title={t("adminDash.rank.groups")}
          what={t("adminDash.col.group")}
          dim="group"
          r={d.by_group}
          t={tr}
        />
        <RankTable title={t("adminDash.rank.users")} what={t("adminDash.col.user")} dim="user" r={d.by_user} t={tr} />
      </section>
    </AdminPage>
  );
}
