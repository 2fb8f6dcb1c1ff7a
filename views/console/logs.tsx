/** @jsxImportSource @kitajs/html */
// The /log page: the filter form (a GET form, so the URL keeps it), the totals line, the table of
// call records newest first, keyset pager links and the CSV export link. Times are UTC.
import { LOG_TYPE } from "../../src/core/status";
import { CopyManualDialog, DataTable, DayRangeInputs, ListToolbar, type Column } from "./kit";
import type { LogLine, LogParams, LogTotals } from "./models";
import { usd } from "./money";

export { usd };

/** log type → label and badge tone: each type looks different */
export const LOG_TYPES: Record<number, [string, string]> = {
  [LOG_TYPE.consume]: ["consume", "ok"],
  [LOG_TYPE.error]: ["error", "bad"],
  [LOG_TYPE.topup]: ["top-up", "info"],
  [LOG_TYPE.admin]: ["admin adjustment", "warn"],
  [LOG_TYPE.system]: ["system", "off"],
};

export const int = (n: number) => n.toLocaleString("en-US");
/** a duration in ms; `none` when it is 0 (no first token seen) */
export const ms = (n: number, none = "—") => (n <= 0 ? none : n < 1000 ? `${n} ms` : `${(n / 1000).toFixed(2)} s`);
const utc = (at: number) => new Date(at).toISOString().replace("T", " ").slice(0, 19);
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

function CachedCell(props: { r: LogLine }) {
  const written = cacheWrites(props.r);
  return (
    <td data-label="Cached" class="num">
      <span safe>{int(props.r.cachedTokens)}</span>
      {written > 0 ? (
        <small class="muted cache-write" title="prompt-cache writes, billed at the cache_write price" safe>
          {` +${int(written)} written`}
        </small>
      ) : (
        ""
      )}
    </td>
  );
}

export function LogRowView(props: { r: LogLine }) {
  const r = props.r;
  const [label, tone] = LOG_TYPES[r.type] ?? ["?", "off"];
  const call = isCall(r.type);
  return (
    <tr class={`type-${tone}`} id={`log-${r.id}`}>
      <td data-label="Time (UTC)">
        <time datetime={new Date(r.createdAt).toISOString()}>
          <small class="muted" safe>
            {utc(r.createdAt).slice(0, 10)}
          </small>{" "}
          <span safe>{utc(r.createdAt).slice(11)}</span>
        </time>
      </td>
      <td data-label="Token" class="name" safe>
        {r.tokenName || "—"}
      </td>
      <td data-label="Model">
        <span safe>{r.model || "—"}</span>
        {r.isStream ? <span class="stream-tag">stream</span> : ""}
      </td>
      <td data-label="Group" safe>
        {r.group || "—"}
      </td>
      <td data-label="Type">
        <span class={`badge ${tone}`} safe>
          {label}
        </span>
      </td>
      <td data-label="Prompt" class="num">
        {call ? int(r.promptTokens) : ""}
      </td>
      {call ? <CachedCell r={r} /> : <td data-label="Cached" class="num"></td>}
      <td data-label="Completion" class="num">
        {call ? int(r.completionTokens) : ""}
      </td>
      <td data-label="Cost" class="num" safe>
        {usd(r.quota, !call)}
      </td>
      <td data-label="Duration" class="num">
        {call ? ms(r.durationMs, "0 ms") : ""}
      </td>
      <td data-label="TTFT" class="num">
        {call ? ms(r.ttftMs) : ""}
      </td>
      <td data-label="Request ID">
        {r.requestId ? (
          <button type="button" class="link mono" data-copy={r.requestId} title={`${r.requestId} (click to copy)`} safe>
            {r.requestId.length > 14 ? `${r.requestId.slice(0, 8)}…${r.requestId.slice(-4)}` : r.requestId}
          </button>
        ) : (
          "—"
        )}
      </td>
      <td data-label="Status" class="detail">
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

function Totals(props: { t: LogTotals }) {
  const t = props.t;
  const tokens = t.prompt + t.completion;
  const source = <small class="muted">{t.source === "daily" ? "from the daily totals" : "from the rows"}</small>;
  if (t.type !== "calls") {
    const [label] = LOG_TYPES[t.type] ?? ["rows"];
    return (
      <p class="log-totals" data-count={t.count} data-quota={t.quota}>
        <span>
          <strong safe>{int(t.count)}</strong> <span safe>{`${label} rows`}</span>
        </span>
        <span>
          <strong safe>{usd(t.quota, true)}</strong> in all
        </span>
        {source}
      </p>
    );
  }
  return (
    <p class="log-totals" data-count={t.count} data-tokens={tokens} data-quota={t.quota}>
      <span>
        <strong safe>{int(t.count)}</strong> {t.count === 1 ? "call" : "calls"}
      </span>
      <span>
        <strong safe>{int(tokens)}</strong> tokens{" "}
        <small class="muted" safe>
          {`(prompt ${int(t.prompt)}, cached ${int(t.cached)}, completion ${int(t.completion)})`}
        </small>
      </span>
      <span>
        <strong safe>{usd(t.quota)}</strong> spent
      </span>
      {source}
    </p>
  );
}

export type LogPageProps = {
  rows: LogLine[];
  params: LogParams;
  problems: string[];
  totals: LogTotals;
  filtered: boolean;
  choices: { tokens: string[]; models: string[]; groups: string[] };
  links: { csv: string; newest?: string; newer?: string; older?: string };
};

const num = (label: string, title?: string): Column => ({ label, class: "num", title });
const COLUMNS: Column[] = [
  "Time (UTC)",
  "Token",
  "Model",
  "Group",
  "Type",
  num("Prompt"),
  num("Cached"),
  num("Completion"),
  num("Cost"),
  num("Duration"),
  num("TTFT", "Time to first token"),
  "Request ID",
  "Status",
];

export function LogPage(props: LogPageProps) {
  const p = props.params;
  return (
    <>
      <ListToolbar title="Logs">
        <a class="export push" href={props.links.csv} download="">
          Export CSV
        </a>
      </ListToolbar>
      <form method="get" action="/log" class="log-filters">
        <DayRangeInputs from={p.from} to={p.to} />
        <label>
          Token
          <input name="token_name" list="log-tokens" maxlength="50" value={p.token_name} placeholder="any" />
        </label>
        <label>
          Model
          <input name="model_name" list="log-models" maxlength="200" value={p.model_name} placeholder="any" />
        </label>
        <label>
          Group
          <input name="group" list="log-groups" maxlength="64" value={p.group} placeholder="any" />
        </label>
        <label>
          Type
          <select name="type">
            <option value="">any</option>
            {[LOG_TYPE.consume, LOG_TYPE.error, LOG_TYPE.topup, LOG_TYPE.admin].map((t) => (
              <option value={String(t)} selected={p.type === String(t)} safe>
                {LOG_TYPES[t][0]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Request ID
          <input name="request_id" maxlength="100" value={p.request_id} placeholder="any" />
        </label>
        {p.start_timestamp ? <input type="hidden" name="start_timestamp" value={p.start_timestamp} /> : ""}
        {p.end_timestamp ? <input type="hidden" name="end_timestamp" value={p.end_timestamp} /> : ""}
        <div class="buttons">
          <button type="submit" class="primary">
            Filter
          </button>
          {props.filtered ? <a href="/log">Reset</a> : ""}
        </div>
        <datalist id="log-tokens">
          {props.choices.tokens.map((v) => (
            <option value={v} />
          ))}
        </datalist>
        <datalist id="log-models">
          {props.choices.models.map((v) => (
            <option value={v} />
          ))}
        </datalist>
        <datalist id="log-groups">
          {props.choices.groups.map((v) => (
            <option value={v} />
          ))}
        </datalist>
      </form>
      {props.problems.length ? (
        <p class="alert error" role="alert" safe>
          {`Ignored: ${props.problems.join("; ")}`}
        </p>
      ) : (
        ""
      )}
      <Totals t={props.totals} />
      <DataTable
        columns={COLUMNS}
        tableClass="log cards"
        bodyId="log-rows"
        empty={
          props.rows.length === 0 &&
          (props.filtered ? (
            <p class="empty">Nothing matches these filters — widen the time range or reset them.</p>
          ) : (
            <p class="empty">
              No calls yet — create a key on the <a href="/token">Tokens</a> page and send a request to{" "}
              <code>/v1/chat/completions</code> with it; every call shows up here.
            </p>
          ))
        }
      >
        {props.rows.map((r) => (
          <LogRowView r={r} />
        ))}
      </DataTable>
      <nav class="pager">
        {props.links.newest ? <a href={props.links.newest}>⇤ Newest</a> : ""}
        {props.links.newer ? <a href={props.links.newer}>← Newer</a> : ""}
        {props.links.older ? <a href={props.links.older}>Older →</a> : ""}
      </nav>
      <CopyManualDialog what="it" />
    </>
  );
}
