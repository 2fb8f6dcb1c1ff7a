/** @jsxImportSource @kitajs/html */
// /admin/channels: the table of upstream channels (state and health cells from channel-health.tsx,
// per-key states, the upstream balance, models without a price, the output cap when set, never a key)
// and the Test result (with the cause when it failed). The create/edit dialog is channel-dialog.tsx.
import { CHANNEL_STATUS, KEY_STATUS } from "../../src/core/status";
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

/** What a type adds to its row: the Responses API on openai, the api-version on azure. */
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
function OutputCap(props: { c: ChannelView }) {
  const cap = props.c.max_output_tokens;
  return cap ? (
    <small class="muted" title="max_tokens asks above this are lowered to it" safe>
      {`≤ ${cap} out`}
    </small>
  ) : (
    ""
  );
}

/** "•••• 3 keys", then each key's state by position: never any key material. */
function KeyStates(props: { c: ChannelView }) {
  const states = props.c.key_states;
  const off = states.filter((k) => k.status !== KEY_STATUS.usable).length;
  const summary = `•••• ${props.c.key_count} ${props.c.key_count === 1 ? "key" : "keys"}${off ? ` · ${off} disabled` : ""}`;
  return (
    <details class="keys">
      <summary class={off ? "warn" : ""} safe>
        {summary}
      </summary>
      <ol>
        {states.map((k) =>
          k.status === KEY_STATUS.usable ? (
            <li>usable</li>
          ) : (
            <li class="warn" safe>
              {`${k.status === KEY_STATUS.cooling ? `out of credit, tried again from ${hhmm(k.until ?? 0)} UTC` : "disabled"}${k.reason ? `: ${k.reason}` : ""}`}
            </li>
          ),
        )}
      </ol>
    </details>
  );
}

/** Models no call can be billed for: every call to them is refused until they are priced. */
function Unpriced(props: { c: ChannelView }) {
  const list = props.c.unpriced_models;
  if (!list.length) return "";
  return (
    <a
      class="reason warn"
      href="/admin/pricing"
      title={`no price: ${list.join(", ")} — calls to them are refused until priced`}
      safe
    >
      {`${list.length} without a price`}
    </a>
  );
}

export function TestResult(props: { id: number; r?: ProbeResult }) {
  const r = props.r;
  if (!r) return <span id={`test-${props.id}`} class="test-result"></span>;
  const label = `${r.status || "failed"} · ${r.latency_ms < 1 ? "<1" : r.latency_ms} ms`;
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

export function ChannelRow(props: { c: ChannelView }) {
  const c = props.c;
  const mapped = Object.keys(c.model_mapping).length;
  return (
    <tr id={`channel-${c.id}`}>
      <td class="name">
        <span safe>{c.name}</span> <small class="muted">#{c.id}</small>
      </td>
      <td>
        <span safe>{c.type}</span> <TypeExtras c={c} /> <OutputCap c={c} />
      </td>
      <StatusCell c={c} />
      <td class="url">
        <code safe>{c.base_url}</code>
      </td>
      <td>
        <KeyStates c={c} />
        <BalanceBlock c={c} />
      </td>
      <td>
        <span title={c.models.join(", ")} safe>
          {`${c.models.length} ${c.models.length === 1 ? "model" : "models"}`}
        </span>
        {mapped ? <small class="muted" safe>{` · ${mapped} mapped`}</small> : ""}
        <Unpriced c={c} />
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
        >
          Test
        </button>
        <TestResult id={c.id} />
      </td>
      <RowMenu>
        <button type="button" hx-get={`/admin/channels/${c.id}/edit`} hx-target="#dialog-slot">
          Edit
        </button>
        <button
          type="button"
          hx-put={`/admin/channels/${c.id}/status`}
          hx-vals={JSON.stringify({
            status: c.status === CHANNEL_STATUS.enabled ? CHANNEL_STATUS.disabled : CHANNEL_STATUS.enabled,
          })}
          hx-target={`#channel-${c.id}`}
          hx-swap="outerHTML"
        >
          {c.status === CHANNEL_STATUS.enabled ? "Disable" : "Enable"}
        </button>
        <button
          type="button"
          class="danger"
          hx-delete={`/admin/channels/${c.id}`}
          hx-confirm={`Delete the channel "${c.name}"? Its keys are deleted with it.`}
          hx-target={`#channel-${c.id}`}
          hx-swap="outerHTML"
        >
          Delete
        </button>
      </RowMenu>
    </tr>
  );
}

const COLUMNS = [
  "Name",
  "Type",
  "Status",
  "Base URL",
  "Keys · balance",
  "Models",
  "Groups",
  "Priority / weight",
  "Test",
  "",
];

export function ChannelTable(props: {
  path: string;
  rows: ChannelView[];
  total: number;
  page: number;
  size: number;
  keyword: string;
}) {
  const empty = props.keyword
    ? "No channel matches — clear the search."
    : "No channels yet — click New to add an upstream.";
  return (
    <AdminPage path={props.path}>
      <ListToolbar
        title="Channels"
        search={{ action: "/admin/channels", placeholder: "Search by name", value: props.keyword }}
        newUrl="/admin/channels/new"
      />
      <DataTable
        columns={COLUMNS}
        bodyId="channel-rows"
        tableClass="channels"
        empty={props.rows.length === 0 && <p class="empty">{empty}</p>}
      >
        {props.rows.map((c) => (
          <ChannelRow c={c} />
        ))}
      </DataTable>
      <Pager
        page={props.page}
        size={props.size}
        total={props.total}
        noun="channels"
        link={(p) => `/admin/channels${qs({ p, keyword: props.keyword })}`}
      />
      <DialogSlot />
    </AdminPage>
  );
}
