/** @jsxImportSource @kitajs/html */
// /admin/logs: every user's call records with filters (UTC days, user, type, model, token, request id) and,
// per row, the attempts chain: channel → status → ms for each upstream tried, in order; the filtered
// rows download as CSV. Every word from the reader's catalog (`t`), times in their zone, amounts in
// their currency.
import { LOG_TYPE } from "../../src/core/status";
import type { PlainKey, Translator } from "../../src/i18n";
import { AdminPage, qs } from "./admin-kit";
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

export const LOG_TYPES: [string, PlainKey][] = [
  ["", "adminLogs.type.all"],
  [String(LOG_TYPE.consume), "adminLogs.type.consume"],
  [String(LOG_TYPE.error), "adminLogs.type.error"],
  [String(LOG_TYPE.topup), "adminLogs.type.topup"],
  [String(LOG_TYPE.admin), "adminLogs.type.admin"],
  [String(LOG_TYPE.system), "adminLogs.type.system"],
];
const TYPE_LABEL: Record<number, [PlainKey, string]> = {
  [LOG_TYPE.topup]: ["adminLogs.type.topup", "accent"],
  [LOG_TYPE.consume]: ["adminLogs.type.consume", "ok"],
  [LOG_TYPE.admin]: ["adminLogs.type.admin", "off"],
  [LOG_TYPE.system]: ["adminLogs.type.system", "off"],
  [LOG_TYPE.error]: ["adminLogs.type.error", "bad"],
};
/** The time of day with seconds, as the reader's locale writes it after the date in dateTime. */
const clock = (ms: number, t: Translator) =>
  t
    .dateTime(ms)
    .slice(t.date(ms).length)
    .replace(/^[,\s]+/, "");
const n = (v: number | null | undefined, t: Translator) => (v === null || v === undefined ? "—" : t.num(v));

export function AttemptsChain(props: { attempts: Attempt[]; channelName: (id: number) => string; t: Translator }) {
  if (!props.attempts.length) return <span class="muted">—</span>;
  const failed = props.t.t("adminLogs.attemptFailed");
  return (
    <ol class="attempts">
      {props.attempts.map((a) => (
        <li class={a.status >= 200 && a.status < 300 ? "ok" : "bad"} title={a.cause} safe>
          {`${props.channelName(a.channel_id)} → ${a.status || a.cause || a.error || failed} → ${props.t.num(a.ms)}\u00a0ms`}
        </li>
      ))}
    </ol>
  );
}

export function LogRow(props: { l: LogView; channelName: (id: number) => string; t: Translator }) {
  const { l, t: tr } = props;
  const { t } = tr;
  const [typeKey, tone] = TYPE_LABEL[l.type] ?? [undefined, "off"];
  const type = typeKey ? t(typeKey) : String(l.type);
  const failed = l.type === LOG_TYPE.error || (l.status_code !== null && l.status_code >= 400);
  const note = l.content ? l.content.slice(0, 40) : "—";
  const requestId = l.request_id ? `${l.request_id.slice(0, 8)}…${l.request_id.slice(-4)}` : "—";
  return (
    <tr>
      <td class="time">
        <time datetime={new Date(l.created_at_ms).toISOString()}>
          <span safe>{tr.date(l.created_at_ms)}</span>{" "}
          <small class="muted" safe>
            {clock(l.created_at_ms, tr)}
          </small>
        </time>
      </td>
      <td>
        {l.username ? (
          <a href={`/admin/logs${qs({ user: l.username })}`} safe>
            {l.username}
          </a>
        ) : (
          <span class="muted" title={t("adminLogs.nobodyTitle")} safe>
            {t("adminLogs.nobody")}
          </span>
        )}
      </td>
      <td safe>{l.token_name || "—"}</td>
      <td class="model">
        <span
          title={
            l.upstream_model && l.upstream_model !== l.model_name
              ? t("adminLogs.upstream", { model: l.upstream_model })
              : ""
          }
          safe
        >
          {l.model_name || "—"}
        </span>
        {l.is_stream ? (
          <small class="tag" safe>
            {t("adminLogs.stream")}
          </small>
        ) : (
          ""
        )}
      </td>
      <td safe>{l.group || "—"}</td>
      <td>
        <span class={`badge ${tone}`} safe>
          {type}
        </span>
      </td>
      <td class="num" safe>
        {`${n(l.prompt_tokens, tr)} / ${n(l.cached_tokens, tr)} / ${n(l.completion_tokens, tr)}`}
      </td>
      <td class="num" safe>
        {tr.money(l.quota)}
      </td>
      <td class="num" safe>
        {`${n(l.duration_ms, tr)} ms${l.ttft_ms ? ` · ${n(l.ttft_ms, tr)}` : ""}`}
      </td>
      <td>
        {failed ? (
          <span class="badge bad" title={l.content} safe>
            {String(l.error_code || l.status_code || t("adminLogs.type.error"))}
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
        <code class="copyable" title={t("adminLogs.clickToCopy")} data-copy={l.request_id ?? ""} safe>
          {requestId}
        </code>
      </td>
      <td class="attempts">
        <AttemptsChain attempts={l.attempts} channelName={props.channelName} t={tr} />
      </td>
    </tr>
  );
}

const COLUMNS = ({ t, tz }: Translator): Column[] => [
  t("adminLogs.col.time", { zone: tz }),
  t("adminLogs.col.user"),
  t("adminLogs.col.token"),
  t("adminLogs.col.model"),
  t("adminLogs.col.group"),
  t("adminLogs.col.type"),
  { label: t("adminLogs.col.tokens"), title: t("adminLogs.col.tokensTitle") },
  t("adminLogs.col.cost"),
  { label: t("adminLogs.col.duration"), title: t("adminLogs.col.durationTitle") },
  t("adminLogs.col.status"),
  t("adminLogs.col.requestId"),
  { label: t("adminLogs.col.attempts"), title: t("adminLogs.col.attemptsTitle") },
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
  t: Translator;
}) {
  const f = props.filters;
  const tr = props.t;
  const { t } = tr;
  return (
    <AdminPage path={props.path} t={tr}>
      <ListToolbar title={t("adminLogs.title")} t={tr}>
        <a class="push" href={`/admin/logs.csv${qs(f)}`} safe>
          {t("adminLogs.csv")}
        </a>
      </ListToolbar>
      <form method="get" action="/admin/logs" class="admin-filters">
        <DayRangeInputs from={f.from} to={f.to} t={tr} />
        <label>
          <span safe>{t("adminLogs.user")}</span>
          <input name="user" list="log-users" value={f.user} placeholder={t("adminLogs.anyUser")} />
          <datalist id="log-users">
            {props.usernames.map((u) => (
              <option value={u}></option>
            ))}
          </datalist>
        </label>
        <label>
          <span safe>{t("adminLogs.type")}</span>
          <select name="type">
            {LOG_TYPES.map(([v, key]) => (
              <option value={v} selected={v === f.type} safe>
                {t(key)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span safe>{t("adminLogs.model")}</span>
          <input name="model_name" value={f.model_name} />
        </label>
        <label>
          <span safe>{t("adminLogs.token")}</span>
          <input name="token_name" value={f.token_name} />
        </label>
        <label>
          <span safe>{t("adminLogs.requestId")}</span>
          <input name="request_id" value={f.request_id} />
        </label>
        <div class="buttons">
          <button type="submit" class="primary" safe>
            {t("adminLogs.filter")}
          </button>
          <a href="/admin/logs" safe>
            {t("adminLogs.clear")}
          </a>
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
        columns={COLUMNS(tr)}
        tableClass="admin-log"
        empty={
          props.rows.length === 0 && (
            <p class="empty" safe>
              {t("adminLogs.empty")}
            </p>
          )
        }
      >
        {props.rows.map((l) => (
          <LogRow l={l} channelName={props.channelName} t={tr} />
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.total}
        summary={(figures) => t("adminLogs.pager", figures)}
        t={tr}
        link={(p) => `/admin/logs${qs({ ...f, p })}`}
      />
      <CopyManualDialog prompt={t("copy.manual")} t={tr} />
    </AdminPage>
  );
}
