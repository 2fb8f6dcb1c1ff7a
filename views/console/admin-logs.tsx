/** @jsxImportSource @kitajs/html */
// /admin/logs: every user's call records with filters (UTC days, user, type, model, token, request id) and,
// per row, the attempts chain: channel → status → ms for each upstream tried, in order; the filtered
// rows download as CSV.
import { LOG_TYPE } from "../../src/core/status";
import { AdminPage, qs, utc } from "./admin-kit";
import { usd } from "./money";
import { CopyManualDialog, DataTable, DayRangeInputs, ListToolbar, Pager, type Column } from "./kit";
import type { Attempt, LogView } from "./models";
export type LogFilters = {
  /** UTC days, YYYY-MM-DD, both included */
  from: string;
  to: string;
  user: string;
  type: string;
  model_name: string;
  token_name: string;
  request_id: string;
};

export const LOG_TYPES: [string, string][] = [
  ["", "all types"],
  [String(LOG_TYPE.consume), "consume"],
  [String(LOG_TYPE.error), "error"],
  [String(LOG_TYPE.topup), "top-up"],
  [String(LOG_TYPE.admin), "admin"],
  [String(LOG_TYPE.system), "system"],
];
const TYPE_LABEL: Record<number, [string, string]> = {
  [LOG_TYPE.topup]: ["top-up", "accent"],
  [LOG_TYPE.consume]: ["consume", "ok"],
  [LOG_TYPE.admin]: ["admin", "off"],
  [LOG_TYPE.system]: ["system", "off"],
  [LOG_TYPE.error]: ["error", "bad"],
};
const n = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toLocaleString("en-US"));

export function AttemptsChain(props: { attempts: Attempt[]; channelName: (id: number) => string }) {
  if (!props.attempts.length) return <span class="muted">—</span>;
  return (
    <ol class="attempts">
      {props.attempts.map((a) => (
        <li class={a.status >= 200 && a.status < 300 ? "ok" : "bad"} title={a.cause} safe>
          {`${props.channelName(a.channel_id)} → ${a.status || a.cause || a.error || "failed"} → ${a.ms}\u00a0ms`}
        </li>
      ))}
    </ol>
  );
}

export function LogRow(props: { l: LogView; channelName: (id: number) => string }) {
  const l = props.l;
  const [type, tone] = TYPE_LABEL[l.type] ?? [String(l.type), "off"];
  const failed = l.type === LOG_TYPE.error || (l.status_code !== null && l.status_code >= 400);
  const note = l.content ? l.content.slice(0, 40) : "—";
  const requestId = l.request_id ? `${l.request_id.slice(0, 8)}…${l.request_id.slice(-4)}` : "—";
  return (
    <tr>
      <td class="time">
        <span safe>{utc(l.created_at_ms, "ms").slice(0, 10)}</span>{" "}
        <small class="muted" safe>
          {utc(l.created_at_ms, "ms").slice(11)}
        </small>
      </td>
      <td>
        {l.username ? (
          <a href={`/admin/logs${qs({ user: l.username })}`} safe>
            {l.username}
          </a>
        ) : (
          <span class="muted" title="a system call (the scheduled channel test), billed to nobody">
            nobody
          </span>
        )}
      </td>
      <td safe>{l.token_name || "—"}</td>
      <td class="model">
        <span title={l.upstream_model && l.upstream_model !== l.model_name ? `upstream: ${l.upstream_model}` : ""} safe>
          {l.model_name || "—"}
        </span>
        {l.is_stream ? <small class="tag">stream</small> : ""}
      </td>
      <td safe>{l.group || "—"}</td>
      <td>
        <span class={`badge ${tone}`} safe>
          {type}
        </span>
      </td>
      <td class="num" safe>
        {`${n(l.prompt_tokens)} / ${n(l.cached_tokens)} / ${n(l.completion_tokens)}`}
      </td>
      <td class="num" safe>
        {usd(l.quota)}
      </td>
      <td class="num" safe>
        {`${n(l.duration_ms)} ms${l.ttft_ms ? ` · ${n(l.ttft_ms)}` : ""}`}
      </td>
      <td>
        {failed ? (
          <span class="badge bad" title={l.content} safe>
            {String(l.error_code || l.status_code || "error")}
          </span>
        ) : l.status_code ? (
          <span safe>{String(l.status_code)}</span>
        ) : (
          <span class="muted" title={l.content} safe>
            {note}
          </span>
        )}
      </td>
      <td>
        <code class="copyable" title="Click to copy" data-copy={l.request_id ?? ""} safe>
          {requestId}
        </code>
      </td>
      <td class="attempts">
        <AttemptsChain attempts={l.attempts} channelName={props.channelName} />
      </td>
    </tr>
  );
}

const COLUMNS: Column[] = [
  "Time (UTC)",
  "User",
  "Token",
  "Model",
  "Group",
  "Type",
  { label: "Tokens", title: "prompt / cached / completion" },
  "Cost",
  { label: "Duration", title: "duration · time to first token" },
  "Status",
  "Request id",
  { label: "Attempts", title: "each upstream attempt in order: channel → status → ms" },
];

export function LogTable(props: {
  path: string;
  rows: LogView[];
  total: number;
  page: number;
  size: number;
  filters: LogFilters;
  usernames: string[];
  channelName: (id: number) => string;
  notice?: string;
}) {
  const f = props.filters;
  return (
    <AdminPage path={props.path}>
      <ListToolbar title="Logs">
        <a class="push" href={`/admin/logs.csv${qs(f)}`}>
          Download CSV
        </a>
      </ListToolbar>
      <form method="get" action="/admin/logs" class="admin-filters">
        <DayRangeInputs from={f.from} to={f.to} />
        <label>
          User
          <input name="user" list="log-users" value={f.user} placeholder="any user" />
          <datalist id="log-users">
            {props.usernames.map((u) => (
              <option value={u}></option>
            ))}
          </datalist>
        </label>
        <label>
          Type
          <select name="type">
            {LOG_TYPES.map(([v, text]) => (
              <option value={v} selected={v === f.type} safe>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model
          <input name="model_name" value={f.model_name} />
        </label>
        <label>
          Token
          <input name="token_name" value={f.token_name} />
        </label>
        <label>
          Request id
          <input name="request_id" value={f.request_id} />
        </label>
        <div class="buttons">
          <button type="submit" class="primary">
            Filter
          </button>
          <a href="/admin/logs">Clear</a>
        </div>
      </form>
      {props.notice ? (
        <p class="alert error" role="alert" safe>
          {props.notice}
        </p>
      ) : (
        ""
      )}
      <DataTable
        columns={COLUMNS}
        tableClass="admin-log"
        empty={
          props.rows.length === 0 && (
            <p class="empty">No calls match these filters — widen them, or make a call with a token.</p>
          )
        }
      >
        {props.rows.map((l) => (
          <LogRow l={l} channelName={props.channelName} />
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.total}
        noun="rows"
        link={(p) => `/admin/logs${qs({ ...f, p })}`}
      />
      <CopyManualDialog />
    </AdminPage>
  );
}
