/** @jsxImportSource @kitajs/html */
// /admin/settings: one form field per entry of the settings registry, drawn from its kind (switch,
// number, text, list, choice, JSON), with its help line and each field's error inline. The label,
// help and choices' names come in the reader's language (console/admin-settings.tsx finds them).
import type { Translator } from "../../src/i18n";
import { AdminPage } from "./admin-kit";

export type SettingKind =
  | { kind: "boolean" }
  | { kind: "number"; min?: number; max?: number; int: boolean }
  | { kind: "string"; max?: number }
  | { kind: "list" }
  | { kind: "enum"; options: string[] }
  | { kind: "json" };

export type SettingField = SettingKind & {
  key: string;
  label: string;
  help: string;
  /** the default, as the help line says it */
  fallback: string;
  /** a choice's name, when it has one besides its code */
  optionLabels?: Record<string, string>;
  /** what the stored value means, when that helps ("= $0.50") */
  note?: string;
  /** what the field shows: the stored value, or what was typed when it was refused */
  value: string | boolean;
  error?: string;
};

const bound = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER ? undefined : String(n);

function Input(props: { f: SettingField; t: Translator }) {
  const f = props.f;
  const id = `setting-${f.key}`;
  const described = f.note ? `${id}-help ${id}-note` : `${id}-help`;
  const invalid = f.error ? "true" : undefined;
  switch (f.kind) {
    case "boolean":
      return (
        <label class="check switch">
          <input type="hidden" name={f.key} value="0" />
          <input
            type="checkbox"
            role="switch"
            id={id}
            name={f.key}
            value="1"
            checked={f.value === true}
            aria-describedby={described}
            aria-invalid={invalid}
          />
        </label>
      );
    case "number":
      return (
        <input
          type="number"
          id={id}
          name={f.key}
          value={String(f.value)}
          min={bound(f.min)}
          max={bound(f.max)}
          step={f.int ? "1" : "any"}
          aria-describedby={described}
          aria-invalid={invalid}
        />
      );
    case "enum":
      return (
        <select id={id} name={f.key} aria-describedby={described} aria-invalid={invalid}>
          {f.options.map((o) => (
            <option value={o} selected={o === f.value} safe>
              {f.optionLabels?.[o] ?? o}
            </option>
          ))}
        </select>
      );
    case "list":
    case "json":
      return (
        <textarea
          id={id}
          name={f.key}
          rows="3"
          spellcheck="false"
          placeholder={f.kind === "list" ? props.t.t("settings.onePerLine") : undefined}
          aria-describedby={described}
          aria-invalid={invalid}
          safe
        >
          {String(f.value)}
        </textarea>
      );
    default:
      return (
        <input
          id={id}
          name={f.key}
          value={String(f.value)}
          maxlength={bound(f.max)}
          aria-describedby={described}
          aria-invalid={invalid}
        />
      );
  }
}

export function SettingsForm(props: { fields: SettingField[]; error?: string; t: Translator }) {
  const { t } = props.t;
  return (
    <form id="settings-form" class="card settings" hx-post="/admin/settings" hx-target="this" hx-swap="outerHTML">
      {props.error ? (
        <p class="alert error" role="alert" safe>
          {props.error}
        </p>
      ) : (
        ""
      )}
      {props.fields.map((f) => (
        <div class={`setting${f.error ? " invalid" : ""}`}>
          <div class="setting-label">
            <label for={`setting-${f.key}`} safe>
              {f.label}
            </label>
            <code class="muted" safe>
              {f.key}
            </code>
          </div>
          <div class="setting-field">
            <Input f={f} t={props.t} />
            {f.error ? (
              <p class="field-error" role="alert" safe>
                {f.error}
              </p>
            ) : (
              ""
            )}
            <p class="muted help" id={`setting-${f.key}-help`} safe>
              {t(f.kind === "list" ? "settings.helpLine.list" : "settings.helpLine", {
                help: f.help,
                fallback: f.fallback,
              })}
            </p>
            {f.note ? (
              <p class="muted help" id={`setting-${f.key}-note`} safe>
                {f.note}
              </p>
            ) : (
              ""
            )}
          </div>
        </div>
      ))}
      <div class="buttons">
        <button type="submit" class="primary" safe>
          {t("common.save")}
        </button>
      </div>
    </form>
  );
}

export function SettingsPage(props: { path: string; fields: SettingField[]; t: Translator }) {
  const { t } = props.t;
  return (
    <AdminPage path={props.path} t={props.t}>
      <div class="toolbar">
        <h1 safe>{t("settings.title")}</h1>
      </div>
      <p class="muted" safe>
        {t("settings.intro")}
      </p>
      <SettingsForm fields={props.fields} t={props.t} />
    </AdminPage>
  );
}
