/** @jsxImportSource @kitajs/html */
// The rate-limit inputs the token, user and group dialogs share, folded in an "Advanced" section:
// whole numbers, empty (or 0) = not set. In the reader's language when the page passes `t`.
import type { PlainKey, Translator } from "../../src/i18n";
import type { RateLimits } from "./models";

export type RateLimitForm = { rpm_limit: string; tpm_limit: string; rpd_limit: string; max_parallel_requests: string };

export const NO_LIMITS_FORM: RateLimitForm = { rpm_limit: "", tpm_limit: "", rpd_limit: "", max_parallel_requests: "" };

/** Saved limits as the inputs show them (0 as empty). */
export const rateLimitForm = (v: RateLimits): RateLimitForm => ({
  rpm_limit: v.rpm_limit ? String(v.rpm_limit) : "",
  tpm_limit: v.tpm_limit ? String(v.tpm_limit) : "",
  rpd_limit: v.rpd_limit ? String(v.rpd_limit) : "",
  max_parallel_requests: v.max_parallel_requests ? String(v.max_parallel_requests) : "",
});

const FIELDS: [keyof RateLimitForm, PlainKey][] = [
  ["rpm_limit", "limits.rpm"],
  ["tpm_limit", "limits.tpm"],
  ["rpd_limit", "limits.rpd"],
  ["max_parallel_requests", "limits.parallel"],
];

/** `note`: what an empty field means here (the group's default, or no limit). */
export function RateLimitInputs(props: { values: RateLimitForm; note: string; t: Translator }) {
  const { t } = props.t;
  const set = FIELDS.some(([name]) => props.values[name] !== "");
  return (
    <details class="advanced" open={set}>
      <summary safe>{t("limits.summary")}</summary>
      <p class="muted small" safe>
        {props.note}
      </p>
      <fieldset class="row">
        {FIELDS.map(([name, label]) => (
          <label>
            <span safe>{t(label)}</span>
            <input
              name={name}
              inputmode="numeric"
              pattern="[0-9]*"
              value={props.values[name]}
              placeholder={t("limits.notSet")}
            />
          </label>
        ))}
      </fieldset>
    </details>
  );
}
