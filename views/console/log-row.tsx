/** @jsxImportSource @kitajs/html */
// One row of the /log table and the table's columns: each cell repeats its column's label as
// data-label (the narrow screen's card layout shows it). Words from the reader's catalog, the time in
// their time zone, tokens grouped in their locale, the cost in their currency. A video job's row
// links to its video (/videos?job=…) while it can still be watched.
import { LOG_TYPE } from "../../src/core/status";
import type { PlainKey, Translator } from "../../src/i18n";
import type { Column } from "./kit";
import type { LogLine } from "./models";
import { usd } from "./money";

/** log type → its label's key and badge tone: each type looks different */
export const LOG_TYPES: Record<number, [PlainKey, string]> = {
  [LOG_TYPE.consume]: ["logs.type.consume", "ok"],
  [LOG_TYPE.error]: ["logs.type.error", "bad"],
  [LOG_TYPE.topup]: ["logs.type.topup", "info"],
  [LOG_TYPE.admin]: ["logs.type.admin", "warn"],
  [LOG_TYPE.system]: ["logs.type.system", "off"],
};

/** 1234 → "1,234" in English (pages with a translator use its `num`) */
export const int = (n: number) => n.toLocaleString("en-US");
/** a duration in ms; `none` when it is 0 (no first token seen) */
export const ms = (n: number, none = "—") => (n <= 0 ? none : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(2)} s`);
const isCall = (t: number) => t === LOG_TYPE.consume || t === LOG_TYPE.error;

/** Prompt-cache writes of a billed call (Anthropic), from the row's billing details; 0 when none. */
function cacheWrites(r: LogLine): number {
  if (!r.other?.includes("cacheWrite")) return 0;
  try {
    const n = JSON.parse(r.other)?.usage?.cacheWrite;
    return typeof n === "number" ? n : 0;
  } catch {
    return 0;
  }
}

/** The columns, each with its label (the cells repeat it as data-label for the narrow card layout). */
const COLUMN_KEYS = {
  time: "logs.col.time",
  token: "logs.col.token",
  model: "logs.col.model",
  group: "logs.col.group",
  type: "logs.col.type",
  prompt: "logs.col.prompt",
  cached: "logs.col.cached",
  completion: "logs.col.completion",
  cost: "logs.col.cost",
  duration: "logs.col.duration",
  ttft: "logs.col.ttft",
  requestId: "logs.col.requestId",
  status: "logs.col.status",
} as const;
export type Labels = Record<keyof typeof COLUMN_KEYS, string>;
const NUMERIC = new Set(["prompt", "cached", "completion", "cost", "duration", "ttft"]);

export function labelsOf(tr: Translator): Labels {
  const out = {} as Labels;
  for (const [name, key] of Object.entries(COLUMN_KEYS) as [keyof Labels, (typeof COLUMN_KEYS)[keyof Labels]][])
    out[name] = key === "logs.col.time" ? tr.t(key, { tz: tr.tz }) : tr.t(key);
  return out;
}

/** The day (muted) and the time of day, as the reader's locale writes them. */
function When(props: { at: number; tr: Translator }) {
  const day = props.tr.date(props.at);
  const full = props.tr.dateTime(props.at);
  const clock = full.startsWith(day) ? full.slice(day.length).replace(/^[,\s]+/, "") : full;
  return (
    <time datetime={new Date(props.at).toISOString()}>
      <small class="muted" safe>
        {day}
      </small>{" "}
      <span safe>{clock}</span>
    </time>
  );
}

function CachedCell(props: { r: LogLine; tr: Translator; label: string }) {
  const { t, num } = props.tr;
  const written = cacheWrites(props.r);
  return (
    <td data-label={props.label} class="num">
      <span safe>{num(props.r.cachedTokens)}</span>
      {written > 0 ? (
        <small class="muted cache-write" title={t("logs.cacheWrite.title")} safe>
          {` ${t("logs.cacheWrite", { count: written })}`}
        </small>
      ) : (
        ""
      )}
    </td>
  );
}

function RequestIdCell(props: { id: string; tr: Translator; label: string }) {
  const id = props.id;
  return (
    <td data-label={props.label}>
      {id ? (
        <button type="button" class="link mono" data-copy={id} title={props.tr.t("logs.copyRequestId", { id })} safe>
          {id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id}
        </button>
      ) : (
        "—"
      )}
    </td>
  );
}

export function LogRowView(props: { r: LogLine; tr: Translator; labels?: Labels }) {
  const { r, tr } = props;
  const { t, num } = tr;
  const l = props.labels ?? labelsOf(tr);
  const [label, tone] = LOG_TYPES[r.type] ?? [undefined, "off"];
  const call = isCall(r.type);
  return (
    <tr class={`type-${tone}`} id={`log-${r.id}`}>
      <td data-label={l.time}>
        <When at={r.createdAt} tr={tr} />
      </td>
      <td data-label={l.token} class="name" safe>
        {r.tokenName || "—"}
      </td>
      <td data-label={l.model}>
        <span safe>{r.model || "—"}</span>
        {r.isStream ? (
          <span class="stream-tag" safe>
            {t("logs.stream")}
          </span>
        ) : (
          ""
        )}
        {r.watch ? (
          <a class="watch-tag" href={`/videos?job=${r.watch}`} safe>
            {t("logs.watch")}
          </a>
        ) : (
          ""
        )}
      </td>
      <td data-label={l.group} safe>
        {r.group || "—"}
      </td>
      <td data-label={l.type}>
        <span class={`badge ${tone}`}>{label ? t(label) : "?"}</span>
      </td>
      <td data-label={l.prompt} class="num">
        {call ? num(r.promptTokens) : ""}
      </td>
      {call ? <CachedCell r={r} tr={tr} label={l.cached} /> : <td data-label={l.cached} class="num"></td>}
      <td data-label={l.completion} class="num">
        {call ? num(r.completionTokens) : ""}
      </td>
      <td data-label={l.cost} class="num" safe>
        {usd(r.quota, !call, tr)}
      </td>
      <td data-label={l.duration} class="num">
        {call ? ms(r.durationMs, "0 ms") : ""}
      </td>
      <td data-label={l.ttft} class="num">
        {call ? ms(r.ttftMs) : ""}
      </td>
      <RequestIdCell id={r.requestId} tr={tr} label={l.requestId} />
      <td data-label={l.status} class="detail">
        {r.type === LOG_TYPE.error ? (
          <span title={r.content}>
            <span class="badge bad">{r.statusCode}</span> <code safe>{r.errorCode}</code>
          </span>
        ) : call ? (
          <span class="muted">{r.statusCode}</span>
        ) : (
          <span class="muted" safe>
            {r.content}
          </span>
        )}
      </td>
    </tr>
  );
}

export function columnsOf(l: Labels, tr: Translator): Column[] {
  return (Object.keys(COLUMN_KEYS) as (keyof Labels)[]).map((name) =>
    NUMERIC.has(name)
      ? { label: l[name], class: "num", title: name === "ttft" ? tr.t("logs.col.ttft.title") : undefined }
      : l[name],
  );
}
