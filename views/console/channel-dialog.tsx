/** @jsxImportSource @kitajs/html */
// The create/edit dialog of a channel (keys write-only: an edit shows how many there are, never one),
// and the form values it starts from: a channel's own, or a new one's defaults. Every word from the
// reader's catalog (`t`); channel types and balance APIs are identifiers and stay as they are.
import { BALANCE_SOURCES } from "../../src/core/upstream-balance";
import type { Translator } from "../../src/i18n";
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

/** Code a reader copies the shape of, the same in every language: a key, a model mapping line. */
const KEY_EXAMPLE = "sk-…";
const MAPPING_EXAMPLE = "gpt-4o=gpt-4o-2024-08-06";

/** A help line under a field. */
const Help = (props: { text: string }) => (
  <small class="muted" safe>
    {props.text}
  </small>
);

/** `examples`: what each type's base URL looks like (placeholders and the help line). */
export function ChannelDialog(props: {
  form: ChannelForm;
  types: readonly string[];
  groups: string[];
  examples: Record<string, string>;
  t: Translator;
}) {
  const f = props.form;
  const tr = props.t;
  const { t } = tr;
  const examples = props.examples;
  const exampleUrl = (type: string) => examples[type] ?? examples.openai;
  const editing = f.id !== undefined;
  const groups = [...new Set([...props.groups, ...f.groups])];
  const { openai, anthropic, gemini, azure, dashscope } = examples;
  return (
    <dialog data-autoopen class="form-dialog wide">
      <form
        hx-post={editing ? `/admin/channels/${f.id}` : "/admin/channels"}
        hx-target="#admin-sink"
        hx-swap="none"
        autocomplete="off"
      >
        <h2 safe>{t(editing ? "channelDialog.edit" : "channelDialog.new")}</h2>
        <fieldset class="row">
          <label>
            <span safe>{t("channelDialog.type")}</span>
            <select name="type" data-placeholder-of="base_url">
              {props.types.map((type) => (
                <option value={type} selected={type === f.type} data-placeholder={exampleUrl(type)} safe>
                  {type}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span safe>{t("channelDialog.name")}</span>
            <input name="name" required maxlength="100" value={f.name} />
          </label>
        </fieldset>
        <label>
          <span safe>{t("channelDialog.baseUrl")}</span>
          <input name="base_url" required placeholder={exampleUrl(f.type)} value={f.base_url} />
          <Help text={t("channelDialog.baseUrlHelp", { openai, anthropic, gemini, azure, dashscope })} />
        </label>
        <label>
          <span safe>{editing ? t("channelDialog.keysEdit", { count: f.key_count }) : t("channelDialog.keysNew")}</span>
          <textarea
            name="key"
            rows="3"
            spellcheck="false"
            placeholder={editing ? t("channelDialog.keysKept", { count: f.key_count }) : KEY_EXAMPLE}
          ></textarea>
        </label>
        <label>
          <span safe>{t("channelDialog.models")}</span>
          <textarea name="models" rows="2" spellcheck="false" safe>
            {f.models}
          </textarea>
        </label>
        <label>
          <span safe>{t("channelDialog.mapping")}</span>
          <textarea name="model_mapping" rows="2" spellcheck="false" placeholder={MAPPING_EXAMPLE} safe>
            {f.mapping}
          </textarea>
        </label>
        <fieldset>
          <legend safe>{t("channelDialog.groups")}</legend>
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
            <span safe>{t("channelDialog.priority")}</span>
            <input name="priority" inputmode="numeric" value={f.priority} />
          </label>
          <label>
            <span safe>{t("channelDialog.weight")}</span>
            <input name="weight" inputmode="numeric" value={f.weight} />
          </label>
        </fieldset>
        <fieldset class="row">
          <label>
            <span safe>{t("channelDialog.connect")}</span>
            <input name="timeout_connect_ms" inputmode="numeric" value={f.timeout_connect_ms} />
          </label>
          <label>
            <span safe>{t("channelDialog.firstByte")}</span>
            <input name="timeout_first_byte_ms" inputmode="numeric" value={f.timeout_first_byte_ms} />
          </label>
          <label>
            <span safe>{t("channelDialog.idle")}</span>
            <input name="timeout_idle_ms" inputmode="numeric" value={f.timeout_idle_ms} />
          </label>
        </fieldset>
        <fieldset class="row">
          <div class="field">
            <label class="check">
              <input type="checkbox" name="supports_responses" value="1" checked={f.supports_responses} />{" "}
              <span safe>{t("channelDialog.responses")}</span>
            </label>
            <Help text={t("channelDialog.responsesHelp")} />
          </div>
          <label>
            <span safe>{t("channelDialog.apiVersion")}</span>
            <input name="api_version" maxlength="40" placeholder="2024-10-21" value={f.api_version} />
            <Help text={t("channelDialog.apiVersionHelp")} />
          </label>
        </fieldset>
        <label>
          <span safe>{t("channelDialog.maxOutput")}</span>
          <input name="max_output_tokens" inputmode="numeric" value={f.max_output_tokens} />
          <Help text={t("channelDialog.maxOutputHelp")} />
        </label>
        <fieldset class="row">
          <label>
            <span safe>{t("channelDialog.balanceApi")}</span>
            <select name="balance_source">
              {BALANCE_SOURCES.map((s) => (
                <option value={s} selected={s === f.balance_source}>
                  {s}
                </option>
              ))}
            </select>
            <Help text={t("channelDialog.balanceApiHelp")} />
          </label>
          <label>
            <span safe>{t("channelDialog.threshold")}</span>
            <input name="balance_threshold" inputmode="decimal" value={f.balance_threshold} />
            <Help text={t("channelDialog.thresholdHelp")} />
          </label>
        </fieldset>
        <DialogErrorSlot />
        <DialogButtons submit={t(editing ? "common.save" : "common.create")} t={tr} />
      </form>
    </dialog>
  );
}
