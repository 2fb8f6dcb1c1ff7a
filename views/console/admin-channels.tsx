/** @jsxImportSource @kitajs/html */
// /admin/channels: the table of upstream channels (state and health cells from channel-health.tsx,
// per-key states, the upstream balance, models without a price, the output cap when set, never a key)
// and the Test result (with the cause when it failed). The create/edit dialog is channel-dialog.tsx.
// Every word from the reader's catalog (`t`); channel types and upstream identifiers stay as they are.
import { CHANNEL_STATUS, KEY_STATUS } from "../../src/core/status";
import type { PlainKey, Translator } from "../../src/i18n";
import { AdminPage, qs } from "./admin-kit";
import { BalanceBlock, hhmm, StatusCell } from "./channel-health";
import { DataTable, DialogSlot, ListToolbar, Pager, RowMenu } from "./kit";
import type { ChannelView } from "./models";
export type ProbeResult = {
  ok: boolean;
  status: number;
  latency_ms: number;
  model?: string;
  message: string;
  re_enabled?: boolean;
};

/** What a type adds to its row: the Responses API on openai, the api-version on azure (identifiers). */
function TypeExtras(props: { c: ChannelView }) {
  const { type, supports_responses, api_version } = props.c;
  const note =
    type === "openai" && supports_responses
      ? "+ responses"
      : type === "azure" && api_version
        ? `api ${api_version}`
        : "";
  return note ? (
    <small class="muted" safe>
      {note}
    </small>
  ) : (
    ""
  );
}

/** The output cap, only when one is set: "≤ 8192 out". */
function OutputCap(props: { c: ChannelView; t: Translator }) {
  const cap = props.c.max_output_tokens;
  const { t } = props.t;
  return cap ? (
    <small class="muted" title={t("adminChannels.outputCapTitle")} safe>
      {t("adminChannels.outputCap", { cap: String(cap) })}
    </small>
  ) : (
    ""
  );
}

/** "•••• 3 keys", then each key's state by position: never any key material. */
function KeyStates(props: { c: ChannelView; t: Translator }) {
  const tr = props.t;
  const { t } = tr;
  const states = props.c.key_states;
  const count = props.c.key_count;
  const off = states.filter((k) => k.status !== KEY_STATUS.usable).length;
  const keys = t(count === 1 ? "adminChannels.keys.one" : "adminChannels.keys.many", { count });
  const state = (k: ChannelView["key_states"][number]) =>
    k.status === KEY_STATUS.cooling
      ? t("adminChannels.key.cooling", { time: hhmm(k.until ?? 0, tr) })
      : t("adminChannels.key.disabled");
  return (
    <details class="keys">
      <summary class={off ? "warn" : ""} safe>
        {off ? t("adminChannels.keys.off", { keys, off }) : keys}
      </summary>
      <ol>
        {states.map((k) =>
          k.status === KEY_STATUS.usable ? (
            <li safe>{t("adminChannels.key.usable")}</li>
          ) : (
            <li class="warn" safe>
              {k.reason ? t("adminChannels.key.why", { state: state(k), reason: k.reason }) : state(k)}
            </li>
          ),
        )}
      </ol>
    </details>
  );
}

/** Models no call can be billed for: every call to them is refused until they are priced. */
function Unpriced(props: { c: ChannelView; t: Translator }) {
  const list = props.c.unpriced_models;
  const { t } = props.t;
  if (!list.length) return "";
  return (
    <a
      class="reason warn"
      href="/admin/pricing"
      title={t("adminChannels.unpricedTitle", { models: list.join(", ") })}
      safe
    >
      {t("adminChannels.unpriced", { count: list.length })}
    </a>
  );
}

export function TestResult(props: { id: number; r?: ProbeResult; t: Translator }) {
  const r = props.r;
  if (!r) return <span id={`test-${props.id}`} class="test-result"></span>;
  const label = `${r.status || props.t.t("adminChannels.testFailed")} · ${r.latency_ms < 1 ? "<1" : r.latency_ms} ms`;
  return (
    <span id={`test-${props.id}`} class="test-result" title={`${r.model ?? ""}: ${r.message}`}>
      <span class={`badge ${r.ok ? "ok" : "bad"}`} safe>
        {label}
      </span>
      {r.ok ? (
        ""
      ) : (
        <small class="reason" safe>
          {r.message}
        </small>
      )}
    </span>
  );
}

export function ChannelRow(props: { c: ChannelView; t: Translator }) {
  const { c, t: tr } = props;
  const { t } = tr;
  const mapped = Object.keys(c.model_mapping).length;
  const enabled = c.status === CHANNEL_STATUS.enabled;
  return (
    <tr id={`channel-${c.id}`}>
      <td class="name">
        <span safe>{c.name}</span> <small class="muted">#{c.id}</small>
      </td>
      <td>
        <span safe>{c.type}</span> <TypeExtras c={c} /> <OutputCap c={c} t={tr} />
      </td>
      <StatusCell c={c} t={tr} />
      <td class="url">
        <code safe>{c.base_url}</code>
      </td>
      <td>
        <KeyStates c={c} t={tr} />
        <BalanceBlock c={c} t={tr} />
      </td>
      <td>
        <span title={c.models.join(", ")} safe>
          {t(c.models.length === 1 ? "adminChannels.models.one" : "adminChannels.models.many", {
            count: c.models.length,
          })}
        </span>
        {mapped ? (
          <small class="muted" safe>
            {t("adminChannels.mapped", { count: mapped })}
          </small>
        ) : (
          ""
        )}
        <Unpriced c={c} t={tr} />
      </td>
      <td class="groups" safe>
        {c.groups.join(", ")}
      </td>
      <td>
        {c.priority} / {c.weight}
      </td>
      <td class="test">
        <button
          type="button"
          hx-post={`/admin/channels/${c.id}/test`}
          hx-target={`#test-${c.id}`}
          hx-swap="outerHTML"
          hx-disabled-elt="this"
          safe
        >
          {t("adminChannels.test")}
        </button>
        <TestResult id={c.id} t={tr} />
      </td>
      <RowMenu t={tr}>
        <button type="button" hx-get={`/admin/channels/${c.id}/edit`} hx-target="#dialog-slot" safe>
          {t("adminChannels.edit")}
        </button>
        <button
          type="button"
          hx-put={`/admin/channels/${c.id}/status`}
          hx-vals={JSON.stringify({ status: enabled ? CHANNEL_STATUS.disabled : CHANNEL_STATUS.enabled })}
          hx-target={`#channel-${c.id}`}
          hx-swap="outerHTML"
          safe
        >
          {t(enabled ? "adminChannels.disable" : "adminChannels.enable")}
        </button>
        <button
          type="button"
          class="danger"
          hx-delete={`/admin/channels/${c.id}`}
          hx-confirm={t("adminChannels.deleteConfirm", { name: c.name })}
          hx-target={`#channel-${c.id}`}
          hx-swap="outerHTML"
          safe
        >
          {t("adminChannels.delete")}
        </button>
      </RowMenu>
    </tr>
  );
}

const COLUMNS: PlainKey[] = [
  "adminChannels.col.name",
  "adminChannels.col.type",
  "adminChannels.col.status",
  "adminChannels.col.baseUrl",
  "adminChannels.col.keys",
  "adminChannels.col.models",
  "adminChannels.col.groups",
  "adminChannels.col.priority",
  "adminChannels.col.test",
];

export function ChannelTable(props: {
  path: string;
  rows: ChannelView[];
  total: number;
  page: number;
  size: number;
  keyword: string;
  t: Translator;
}) {
  const tr = props.t;
  const { t } = tr;
  const empty = t(props.keyword ? "adminChannels.emptySearch" : "adminChannels.empty");
  return (
    <AdminPage path={props.path} t={tr}>
      <ListToolbar
        title={t("adminChannels.title")}
        search={{ action: "/admin/channels", placeholder: t("adminChannels.search"), value: props.keyword }}
        newUrl="/admin/channels/new"
        t={tr}
      />
      <DataTable
        columns={[...COLUMNS.map((k) => t(k)), ""]}
        bodyId="channel-rows"
        tableClass="channels"
        empty={
          props.rows.length === 0 && (
            <p class="empty" safe>
              {empty}
            </p>
          )
        }
      >
        {props.rows.map((c) => (
          <ChannelRow c={c} t={tr} />
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.total}
        summary={(figures) => t("adminChannels.pager", figures)}
        t={tr}
        link={(p) => `/admin/channels${qs({ p, keyword: props.keyword })}`}
      />
      <DialogSlot />
    </AdminPage>
  );
}
