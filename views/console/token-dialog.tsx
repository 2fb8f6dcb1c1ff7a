/** @jsxImportSource @kitajs/html */
// The New / Edit token dialog: name, quota (or unlimited), expiry (or never, with quick picks),
// billing mode, group with its multiplier, up to two fallback groups, model whitelist, IP allowlist,
// and (folded) its rate limits.
// Validation errors come back inside the same dialog. Every word from the reader's catalog (`t`).
import type { PlainKey, Translator } from "../../src/i18n";
import { PeriodSelect } from "./budget";
import { DialogButtons, DoneButton, KeyBox } from "./kit";
import { NO_LIMITS_FORM, type RateLimitForm, RateLimitInputs } from "./rate-limits";
import type { GroupOption } from "./tokens";

export type TokenForm = {
  id?: number;
  name: string;
  quota_usd: string;
  unlimited: boolean;
  /** "" none, daily, weekly, monthly */
  budget_period: string;
  expires: string;
  never: boolean;
  billing_mode: string;
  group: string;
  fallback1: string;
  fallback2: string;
  models: string[];
  allow_ips: string;
  limits: RateLimitForm;
};

export const EMPTY_FORM: TokenForm = {
  name: "",
  quota_usd: "",
  unlimited: true,
  budget_period: "",
  expires: "",
  never: true,
  billing_mode: "usage_first",
  group: "default",
  fallback1: "",
  fallback2: "",
  models: [],
  allow_ips: "",
  limits: NO_LIMITS_FORM,
};

const MODES: [string, PlainKey][] = [
  ["usage_first", "billing.mode.usage_first"],
  ["usage", "billing.mode.usage"],
  ["per_call", "billing.mode.per_call"],
  ["per_call_first", "billing.mode.per_call_first"],
];

function GroupSelect(props: { name: string; value: string; groups: GroupOption[]; optional?: string }) {
  return (
    <select name={props.name} class="group-pick">
      {props.optional ? (
        <option value="" safe>
          {props.optional}
        </option>
      ) : (
        ""
      )}
      {props.groups.map((g) => (
        <option value={g.name} selected={g.name === props.value} safe>
          {`${g.name} (×${g.multiplier_text})`}
        </option>
      ))}
    </select>
  );
}

/** The whitelist choices: the models the chosen groups serve (redrawn when the groups change). */
export function ModelSelect(props: { models: string[]; selected: string[] }) {
  return (
    <select name="models" multiple="multiple" size="6" id="model-select">
      {props.models.map((m) => (
        <option value={m} selected={props.selected.includes(m)} safe>
          {m}
        </option>
      ))}
    </select>
  );
}

export function TokenDialog(props: {
  form: TokenForm;
  groups: GroupOption[];
  models: string[];
  error?: string;
  t: Translator;
}) {
  const f = props.form;
  const { t } = props.t;
  const editing = f.id !== undefined;
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post={editing ? `/token/${f.id}` : "/token"} hx-target="#dialog-slot">
        <h2 safe>{editing ? t("tokenDialog.edit") : t("tokenDialog.new")}</h2>
        {props.error ? (
          <p class="alert error" role="alert" safe>
            {props.error}
          </p>
        ) : (
          ""
        )}
        <label>
          <span safe>{t("tokenDialog.name")}</span>
          <input name="name" required maxlength="50" value={f.name} />
        </label>
        <fieldset class="row">
          <label>
            <span safe>{t("tokenDialog.quota", { symbol: props.t.currency.symbol })}</span>
            <input
              name="quota_usd"
              inputmode="decimal"
              value={f.quota_usd}
              placeholder={t("tokenDialog.quotaPlaceholder")}
            />
          </label>
          <label class="check">
            <input type="checkbox" name="unlimited" value="1" checked={f.unlimited} />{" "}
            <span safe>{t("tokenDialog.unlimited")}</span>{" "}
            <small class="muted" safe>
              {t("tokenDialog.upToBalance")}
            </small>
          </label>
          <label>
            <span safe>{t("tokenDialog.resets")}</span>
            <PeriodSelect value={f.budget_period} t={props.t} />
          </label>
        </fieldset>
        <fieldset class="row">
          <label>
            <span safe>{t("tokenDialog.expires")}</span>
            <input type="date" name="expires" value={f.expires} />
          </label>
          <label class="check">
            <input type="checkbox" name="never" value="1" checked={f.never} />{" "}
            <span safe>{t("tokenDialog.never")}</span>
          </label>
          <span class="quick">
            <button type="button" data-expire="1" safe>
              {t("tokenDialog.oneDay")}
            </button>
            <button type="button" data-expire="30" safe>
              {t("tokenDialog.oneMonth")}
            </button>
            <button type="button" data-expire="365" safe>
              {t("tokenDialog.oneYear")}
            </button>
          </span>
        </fieldset>
        <fieldset>
          <legend safe>{t("tokenDialog.billingMode")}</legend>
          {MODES.map(([value, text]) => (
            <label class="radio">
              <input type="radio" name="billing_mode" value={value} checked={f.billing_mode === value} />{" "}
              <span safe>{t(text)}</span>
            </label>
          ))}
        </fieldset>
        {/* a change of group or fallback (the change event bubbles up to here) redraws the model list
            with what those groups serve; a trigger filter would need eval, which the CSP forbids */}
        <fieldset
          class="row"
          hx-get="/token/models"
          hx-trigger="change"
          hx-include="closest form"
          hx-target="#model-select"
          hx-swap="outerHTML"
        >
          <label>
            <span safe>{t("tokenDialog.group")}</span>
            <GroupSelect name="group" value={f.group} groups={props.groups} />
          </label>
          <label>
            <span safe>{t("tokenDialog.fallback1")}</span>
            <GroupSelect name="fallback1" value={f.fallback1} groups={props.groups} optional={t("common.none")} />
          </label>
          <label>
            <span safe>{t("tokenDialog.fallback2")}</span>
            <GroupSelect name="fallback2" value={f.fallback2} groups={props.groups} optional={t("common.none")} />
          </label>
        </fieldset>
        <label>
          <span safe>{t("tokenDialog.models")}</span>
          <input type="search" class="filter" placeholder={t("tokenDialog.filterModels")} data-filter="models" />
          <ModelSelect models={props.models} selected={f.models} />
        </label>
        <label>
          <span safe>{t("tokenDialog.allowIps")}</span>
          <textarea name="allow_ips" rows="2" safe>
            {f.allow_ips}
          </textarea>
        </label>
        <RateLimitInputs values={f.limits} note={t("tokenDialog.limitsNote")} t={props.t} />
        <DialogButtons submit={editing ? t("common.save") : t("common.create")} t={props.t} />
      </form>
    </dialog>
  );
}

/** Shown once after a create: the new key, to copy. */
export function NewKeyDialog(props: { name: string; key: string; t: Translator }) {
  const { t } = props.t;
  return (
    <dialog data-autoopen class="form-dialog">
      <h2 safe>{t("newKey.title")}</h2>
      <p safe>{t("newKey.body", { name: props.name })}</p>
      <KeyBox value={props.key} t={props.t} />
      <DoneButton t={props.t} />
    </dialog>
  );
}
