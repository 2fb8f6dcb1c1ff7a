/** @jsxImportSource @kitajs/html */
// The create/edit dialog of a channel (keys write-only: an edit shows how many there are, never one),
// and the form values it starts from: a channel's own, or a new one's defaults.
import { BALANCE_SOURCES } from "../../src/core/upstream-balance";
import { DialogErrorSlot } from "./admin-kit";
import { DialogButtons } from "./kit";
import type { ChannelView } from "./models";

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
  balance_source: string;
  balance_threshold: string;
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
  balance_source: "auto",
  balance_threshold: "0",
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
  balance_source: c.balance_source,
  balance_threshold: String(c.balance_threshold),
});

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
        <fieldset class="row">
          <label>
            Upstream balance API
            <select name="balance_source">
              {BALANCE_SOURCES.map((s) => (
                <option value={s} selected={s === f.balance_source}>
                  {s}
                </option>
              ))}
            </select>
            <small class="muted">auto: DeepSeek, OpenRouter, SiliconFlow, Moonshot by host; oneapi for resellers</small>
          </label>
          <label>
            Balance threshold
            <input name="balance_threshold" inputmode="decimal" value={f.balance_threshold} />
            <small class="muted">in the upstream's currency; below it the channel leaves rotation. 0 = no rule</small>
          </label>
        </fieldset>
        <DialogErrorSlot />
        <DialogButtons submit={editing ? "Save" : "Create"} />
      </form>
    </dialog>
  );
}
