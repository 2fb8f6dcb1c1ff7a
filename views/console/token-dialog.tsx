/** @jsxImportSource @kitajs/html */
// The New / Edit token dialog: name, quota (or unlimited), expiry (or never, with quick picks),
// billing mode, group with its multiplier, up to two fallback groups, model whitelist, IP allowlist,
// and (folded) its rate limits.
// Validation errors come back inside the same dialog.
import { PeriodSelect } from "./budget";
import { DialogButtons, DoneButton } from "./kit";
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

const MODES: [string, string][] = [
  ["usage_first", "Usage first (recommended): by tokens where the model has token prices, else per call"],
  ["usage", "Pay per usage: by tokens only; models priced only per call are refused"],
  ["per_call", "Pay per call: a fixed price per call; models priced only by tokens are refused"],
  ["per_call_first", "Call first: per call where the model has a per-call price, else by tokens"],
];

function GroupSelect(props: { name: string; value: string; groups: GroupOption[]; optional?: boolean }) {
  return (
    <select name={props.name} class="group-pick">
      {props.optional ? <option value="">— none —</option> : ""}
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

export function TokenDialog(props: { form: TokenForm; groups: GroupOption[]; models: string[]; error?: string }) {
  const f = props.form;
  const editing = f.id !== undefined;
  return (
    <dialog data-autoopen class="form-dialog">
      <form hx-post={editing ? `/token/${f.id}` : "/token"} hx-target="#dialog-slot">
        <h2>{editing ? "Edit token" : "New token"}</h2>
        {props.error ? (
          <p class="alert error" role="alert" safe>
            {props.error}
          </p>
        ) : (
          ""
        )}
        <label>
          Name
          <input name="name" required maxlength="50" value={f.name} />
        </label>
        <fieldset class="row">
          <label>
            Quota ($)
            <input name="quota_usd" inputmode="decimal" value={f.quota_usd} placeholder="e.g. 10" />
          </label>
          <label class="check">
            <input type="checkbox" name="unlimited" value="1" checked={f.unlimited} /> Unlimited{" "}
            <small class="muted">(up to your balance)</small>
          </label>
          <label>
            Resets
            <PeriodSelect value={f.budget_period} />
          </label>
        </fieldset>
        <fieldset class="row">
          <label>
            Expires
            <input type="date" name="expires" value={f.expires} />
          </label>
          <label class="check">
            <input type="checkbox" name="never" value="1" checked={f.never} /> Never
          </label>
          <span class="quick">
            <button type="button" data-expire="1">
              1 day
            </button>
            <button type="button" data-expire="30">
              1 month
            </button>
            <button type="button" data-expire="365">
              1 year
            </button>
          </span>
        </fieldset>
        <fieldset>
          <legend>Billing mode</legend>
          {MODES.map(([value, text]) => (
            <label class="radio">
              <input type="radio" name="billing_mode" value={value} checked={f.billing_mode === value} />{" "}
              <span safe>{text}</span>
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
            Group
            <GroupSelect name="group" value={f.group} groups={props.groups} />
          </label>
          <label>
            Fallback 1
            <GroupSelect name="fallback1" value={f.fallback1} groups={props.groups} optional />
          </label>
          <label>
            Fallback 2
            <GroupSelect name="fallback2" value={f.fallback2} groups={props.groups} optional />
          </label>
        </fieldset>
        <label>
          Models (none selected = every model)
          <input type="search" class="filter" placeholder="Filter models" data-filter="models" />
          <ModelSelect models={props.models} selected={f.models} />
        </label>
        <label>
          IP allowlist (IPs or CIDRs, one per line; empty = any)
          <textarea name="allow_ips" rows="2" safe>
            {f.allow_ips}
          </textarea>
        </label>
        <RateLimitInputs
          values={f.limits}
          note="Empty: the default of the token's group, if it has one (unless your account has its own)."
        />
        <DialogButtons submit={editing ? "Save" : "Create"} />
      </form>
    </dialog>
  );
}

/** Shown once after a create: the new key, to copy. */
export function NewKeyDialog(props: { name: string; key: string }) {
  return (
    <dialog data-autoopen class="form-dialog">
      <h2>Token created</h2>
      <p>
        Copy the key of <strong safe>{props.name}</strong> now; it stays available from the copy icon later.
      </p>
      <p class="key-box">
        <code safe>{props.key}</code>
        <button type="button" class="primary" data-copy={props.key}>
          Copy
        </button>
      </p>
      <DoneButton />
    </dialog>
  );
}
