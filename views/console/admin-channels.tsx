/** @jsxImportSource @kitajs/html */
// /admin/channels: the table of upstream channels (status and why, breaker, the last failure's cause,
// per-key states, models without a price, the output cap when set, never a key), the create/edit
// dialog (keys write-only), and the Test result (with the cause when it failed).
import { CHANNEL_STATUS, KEY_STATUS } from "../../src/core/status";
import { AdminPage, DialogErrorSlot, qs } from "./admin-kit";
import { DataTable, DialogButtons, DialogSlot, ListToolbar, Pager, RowMenu } from "./kit";
import type { ChannelView } from "./models";
export type ProbeResult = {
  ok: boolean;
  status: number;
  latency_ms: number;
  model?: string;
  message: string;
  re_enabled?: boolean;
};

/** What the dialog shows: a channel's values, or the defaults of a new one. */
export type ChannelForm = {
  id?: number;
  name: string;
  type: string;
  base_url: string;
  key_count: number;
  models: string;
  mapping: string;
  groups: string[];
  priority: string;
  weight: string;
  timeout_connect_ms: string;
  timeout_first_byte_ms: string;
  timeout_idle_ms: string;
  supports_responses: boolean;
  api_version: string;
  max_output_tokens: string;
};

export const NEW_CHANNEL: ChannelForm = {
  name: "",
  type: "openai",
  base_url: "",
  key_count: 0,
  models: "",
  mapping: "",
  groups: ["default"],
  priority: "0",
  weight: "1",
  timeout_connect_ms: "10000",
  timeout_first_byte_ms: "120000",
  timeout_idle_ms: "300000",
  supports_responses: false,
  api_version: "",
  max_output_tokens: "0",
};

export const channelForm = (c: ChannelView): ChannelForm => ({
  id: c.id,
  name: c.name,
  type: c.type,
  base_url: c.base_url,
  key_count: c.key_count,
  models: c.models.join("\n"),
  mapping: Object.entries(c.model_mapping)
    .map(([from, to]) => `${from}=${to}`)
    .join("\n"),
  groups: c.groups,
  priority: String(c.priority),
  weight: String(c.weight),
  timeout_connect_ms: String(c.timeout_connect_ms),
  timeout_first_byte_ms: String(c.timeout_first_byte_ms),
  timeout_idle_ms: String(c.timeout_idle_ms),
  supports_responses: c.supports_responses,
  api_version: c.api_version,
  max_output_tokens: String(c.max_output_tokens),
});

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

function ChannelStatus(props: { c: ChannelView }) {
  const { status, status_reason } = props.c;
  if (status === CHANNEL_STATUS.enabled) return <span class="badge ok">enabled</span>;
  if (status === CHANNEL_STATUS.disabled) return <span class="badge off">disabled</span>;
  return (
    <span class="status-auto">
      <span class="badge warn">auto-disabled</span>
      {status_reason ? (
        <small class="reason" safe>
          {status_reason}
        </small>
      ) : (
        ""
      )}
    </span>
  );
}

const hhmm = (unixS: number) => new Date(unixS * 1000).toISOString().slice(11, 16);

/** The breaker as this server sees it (open / half-open: one probe allowed; recent failures) and the
 * last failure's cause, while no success came after it. */
function Health(props: { c: ChannelView }) {
  const { breaker, recent_failures, last_error, last_error_at, last_ok_at } = props.c.health;
  const note =
    breaker === "open"
      ? "breaker open"
      : breaker === "half_open"
        ? "breaker half-open"
        : recent_failures
          ? `${recent_failures} recent failures`
          : "";
  const cause =
    last_error && last_error_at >= last_ok_at ? `last failure ${hhmm(last_error_at)} UTC: ${last_error}` : "";
  return (
    <>
      {note ? (
        <small class={`reason ${breaker === "closed" ? "" : "warn"}`} safe>
          {note}
        </small>
      ) : (
        ""
      )}
      {cause ? (
        <small class="reason" title={cause} safe>
          {cause}
        </small>
      ) : (
        ""
      )}
    </>
  );
}

/** The status cell (also sent alone when a Test re-enables the channel). */
export function StatusCell(props: { c: ChannelView; oob?: boolean }) {
  return (
    <td id={`status-${props.c.id}`} hx-swap-oob={props.oob ? "true" : undefined}>
      <ChannelStatus c={props.c} />
      <Health c={props.c} />
    </td>
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

const COLUMNS = ["Name", "Type", "Status", "Base URL", "Keys", "Models", "Groups", "Priority / weight", "Test", ""];

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

/** `examples`: what each type's base URL looks like (placeholders and the help line). */
export function ChannelDialog(props: {
  form: ChannelForm;
  types: readonly string[];
  groups: string[];
  examples: Record<string, string>;
}) {
  const f = props.form;
  const examples = props.examples;
  const exampleUrl = (type: string) => examples[type] ?? examples.openai;
  const editing = f.id !== undefined;
  const groups = [...new Set([...props.groups, ...f.groups])];
  return (
    <dialog data-autoopen class="form-dialog wide">
      <form
        hx-post={editing ? `/admin/channels/${f.id}` : "/admin/channels"}
        hx-target="#admin-sink"
        hx-swap="none"
        autocomplete="off"
      >
        <h2>{editing ? "Edit channel" : "New channel"}</h2>
        <fieldset class="row">
          <label>
            Type
            <select name="type" data-placeholder-of="base_url">
              {props.types.map((t) => (
                <option value={t} selected={t === f.type} data-placeholder={exampleUrl(t)} safe>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label>
            Name
            <input name="name" required maxlength="100" value={f.name} />
          </label>
        </fieldset>
        <label>
          Base URL
          <input name="base_url" required placeholder={exampleUrl(f.type)} value={f.base_url} />
          <small class="muted" safe>
            {`openai ${examples.openai} · anthropic ${examples.anthropic} · gemini ${examples.gemini} · azure ${examples.azure} — without a path, openai and anthropic get /v1, gemini /v1beta`}
          </small>
        </label>
        <label>
          {editing
            ? `Keys (write-only: ${f.key_count} stored; leave empty to keep them, or paste new ones to replace them)`
            : "Keys (one per line; never shown again)"}
          <textarea
            name="key"
            rows="3"
            spellcheck="false"
            placeholder={editing ? `•••• ${f.key_count} keys — unchanged` : "sk-…"}
          ></textarea>
        </label>
        <label>
          Models (comma or one per line)
          <textarea name="models" rows="2" spellcheck="false" safe>
            {f.models}
          </textarea>
        </label>
        <label>
          Model mapping (one per line: client=upstream)
          <textarea name="model_mapping" rows="2" spellcheck="false" placeholder="gpt-4o=gpt-4o-2024-08-06" safe>
            {f.mapping}
          </textarea>
        </label>
        <fieldset>
          <legend>Groups</legend>
          <div class="checks">
            {groups.map((g) => (
              <label class="check">
                <input type="checkbox" name="group" value={g} checked={f.groups.includes(g)} /> <span safe>{g}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset class="row">
          <label>
            Priority (higher first)
            <input name="priority" inputmode="numeric" value={f.priority} />
          </label>
          <label>
            Weight
            <input name="weight" inputmode="numeric" value={f.weight} />
          </label>
        </fieldset>
        <fieldset class="row">
          <label>
            Connect timeout (ms)
            <input name="timeout_connect_ms" inputmode="numeric" value={f.timeout_connect_ms} />
          </label>
          <label>
            First byte (ms)
            <input name="timeout_first_byte_ms" inputmode="numeric" value={f.timeout_first_byte_ms} />
          </label>
          <label>
            Idle (ms)
            <input name="timeout_idle_ms" inputmode="numeric" value={f.timeout_idle_ms} />
          </label>
        </fieldset>
        <fieldset class="row">
          <div class="field">
            <label class="check">
              <input type="checkbox" name="supports_responses" value="1" checked={f.supports_responses} /> Supports
              /v1/responses
            </label>
            <small class="muted">OpenAI type: the upstream also speaks /v1/responses</small>
          </div>
          <label>
            API version
            <input name="api_version" maxlength="40" placeholder="2024-10-21" value={f.api_version} />
            <small class="muted">Azure only (required there)</small>
          </label>
        </fieldset>
        <label>
          Max output tokens
          <input name="max_output_tokens" inputmode="numeric" value={f.max_output_tokens} />
          <small class="muted">
            0 = no cap. Lowers larger max_tokens asks, e.g. 8192 for DeepSeek when Claude Code asks for 64000
          </small>
        </label>
        <DialogErrorSlot />
        <DialogButtons submit={editing ? "Save" : "Create"} />
      </form>
    </dialog>
  );
}
