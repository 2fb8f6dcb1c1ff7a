/** @jsxImportSource @kitajs/html */
// The /log page: the filter form (a GET form, so the URL keeps it), the totals line, the table of
// call records newest first, keyset pager links and the CSV export link. The type filter has "video"
// besides the row types: video jobs' rows, whatever their type. Every word from the reader's
// catalog; times in their time zone (the From/To filter days are UTC days), amounts in their currency.
import { LOG_TYPE, VIDEO_LOGS } from "../../src/core/status";
import type { PlainKey, Translator } from "../../src/i18n";
import { CopyManualDialog, CursorPager, DataTable, DayRangeInputs, ListToolbar, Rich } from "./kit";
import { columnsOf, LOG_TYPES, labelsOf, LogRowView } from "./log-row";
import type { LogLine, LogParams, LogProblem, LogTotals } from "./models";
import { usd } from "./money";

export { usd };
export { int, LOG_TYPES, ms } from "./log-row";

const strong = (text: string) => (<strong safe>{text}</strong>) as string;

function Totals(props: { totals: LogTotals; tr: Translator }) {
  const s = props.totals;
  const { t, num } = props.tr;
  const money = (units: number, signed = false) => strong(usd(units, signed, props.tr));
  const tokens = s.prompt + s.completion;
  const source = (
    <small class="muted" safe>
      {t(s.source === "daily" ? "logs.totals.daily" : "logs.totals.rows")}
    </small>
  );
  if (s.type !== "calls") {
    const type = LOG_TYPES[s.type]?.[0];
    return (
      <p class="log-totals" data-count={s.count} data-quota={s.quota}>
        <span>
          <Rich
            t={props.tr}
            k="logs.totals.typeRows"
            parts={{ count: strong(num(s.count)), type: type ? t(type) : String(s.type) }}
          />
        </span>
        <span>
          <Rich t={props.tr} k="logs.totals.inAll" parts={{ amount: money(s.quota, true) }} />
        </span>
        {source}
      </p>
    );
  }
  const detail = t("logs.totals.tokenDetail", { prompt: s.prompt, cached: s.cached, completion: s.completion });
  return (
    <p class="log-totals" data-count={s.count} data-tokens={tokens} data-quota={s.quota}>
      <span>
        <Rich
          t={props.tr}
          k={s.count === 1 ? "logs.totals.call" : "logs.totals.calls"}
          parts={{ count: strong(num(s.count)) }}
        />
      </span>
      <span>
        <Rich
          t={props.tr}
          k="logs.totals.tokens"
          parts={{
            count: strong(num(tokens)),
            detail: (
              <small class="muted" safe>
                {detail}
              </small>
            ) as string,
          }}
        />
      </span>
      <span>
        <Rich t={props.tr} k="logs.totals.spent" parts={{ amount: money(s.quota) }} />
      </span>
      {source}
    </p>
  );
}

export type LogPageProps = {
  rows: LogLine[];
  params: LogParams;
  problems: LogProblem[];
  totals: LogTotals;
  filtered: boolean;
  choices: { tokens: string[]; models: string[]; groups: string[] };
  links: { csv: string; newest?: string; newer?: string; older?: string };
  t: Translator;
};

const WHY: Record<LogProblem["why"], PlainKey> = { day: "logs.why.day", unix: "logs.why.unix", type: "logs.why.type" };

/** The filter form: days, token, model, group, type and request id, the datalists that suggest them. */
function LogFilters(props: Pick<LogPageProps, "params" | "filtered" | "choices" | "t">) {
  const p = props.params;
  const { t } = props.t;
  const any = t("logs.any");
  const list = (id: string, values: string[]) => (
    <datalist id={id}>
      {values.map((v) => (
        <option value={v} />
      ))}
    </datalist>
  );
  return (
    <form method="get" action="/log" class="log-filters">
      <DayRangeInputs from={p.from} to={p.to} t={props.t} />
      <label>
        <span safe>{t("logs.col.token")}</span>
        <input name="token_name" list="log-tokens" maxlength="50" value={p.token_name} placeholder={any} />
      </label>
      <label>
        <span safe>{t("logs.col.model")}</span>
        <input name="model_name" list="log-models" maxlength="200" value={p.model_name} placeholder={any} />
      </label>
      <label>
        <span safe>{t("logs.col.group")}</span>
        <input name="group" list="log-groups" maxlength="64" value={p.group} placeholder={any} />
      </label>
      <label>
        <span safe>{t("logs.col.type")}</span>
        <select name="type">
          <option value="" safe>
            {any}
          </option>
          {[LOG_TYPE.consume, LOG_TYPE.error, LOG_TYPE.topup, LOG_TYPE.admin].map((type) => (
            <option value={String(type)} selected={p.type === String(type)} safe>
              {t(LOG_TYPES[type][0])}
            </option>
          ))}
          <option value={VIDEO_LOGS.type} selected={p.type === VIDEO_LOGS.type} safe>
            {t("logs.type.video")}
          </option>
        </select>
      </label>
      <label>
        <span safe>{t("logs.col.requestId")}</span>
        <input name="request_id" maxlength="100" value={p.request_id} placeholder={any} />
      </label>
      {p.start_timestamp ? <input type="hidden" name="start_timestamp" value={p.start_timestamp} /> : ""}
      {p.end_timestamp ? <input type="hidden" name="end_timestamp" value={p.end_timestamp} /> : ""}
      <div class="buttons">
        <button type="submit" class="primary" safe>
          {t("logs.filter")}
        </button>
        {props.filtered ? (
          <a href="/log" safe>
            {t("logs.reset")}
          </a>
        ) : (
          ""
        )}
      </div>
      {list("log-tokens", props.choices.tokens)}
      {list("log-models", props.choices.models)}
      {list("log-groups", props.choices.groups)}
    </form>
  );
}

const CHAT_PATH = "/v1/chat/completions";

function Empty(props: { filtered: boolean; tr: Translator }) {
  const { t } = props.tr;
  if (props.filtered)
    return (
      <p class="empty" safe>
        {t("logs.empty.filtered")}
      </p>
    );
  const tokens = (
    <a href="/token" safe>
      {t("nav.tokens")}
    </a>
  ) as string;
  return (
    <p class="empty">
      <Rich t={props.tr} k="logs.empty.none" parts={{ tokens, path: (<code>{CHAT_PATH}</code>) as string }} />
    </p>
  );
}

export function LogPage(props: LogPageProps) {
  const tr = props.t;
  const { t } = tr;
  const labels = labelsOf(tr);
  const problems = props.problems.map((p) => t("logs.problem", { field: p.key, why: t(WHY[p.why]) }));
  return (
    <>
      <ListToolbar title={t("logs.title")} t={tr}>
        <a class="export push" href={props.links.csv} download="" safe>
          {t("logs.exportCsv")}
        </a>
      </ListToolbar>
      <LogFilters params={props.params} filtered={props.filtered} choices={props.choices} t={tr} />
      {problems.length ? (
        <p class="alert error" role="alert" safe>
          {t("logs.ignored", { problems: problems.join("; ") })}
        </p>
      ) : (
        ""
      )}
      <Totals totals={props.totals} tr={tr} />
      <DataTable
        columns={columnsOf(labels, tr)}
        tableClass="log cards"
        bodyId="log-rows"
        empty={props.rows.length === 0 && <Empty filtered={props.filtered} tr={tr} />}
      >
        {props.rows.map((r) => (
          <LogRowView r={r} tr={tr} labels={labels} />
        ))}
      </DataTable>
      <CursorPager
        links={[
          [props.links.newest, "logs.newest"],
          [props.links.newer, "logs.newer"],
          [props.links.older, "logs.older"],
        ]}
        t={tr}
      />
      <CopyManualDialog prompt={t("copy.manual")} t={tr} />
    </>
  );
}
