/** @jsxImportSource @kitajs/html */
// /admin/settings: a form drawn from the SETTINGS registry of services/settings, so a setting added
// there appears here by itself. Each field's kind comes from its zod schema (boolean → switch,
// number, string, list of strings, enum, anything else as JSON). Saving checks every field (errors
// shown beside each), then writes them all through writeSettings. Below it: everyone's alert sends.
// Labels, help and messages are in the reader's language (setting-words.ts).
import { z } from "zod";
import { AlertSendsTable } from "../../views/console/alerts";
import { SettingsForm, SettingsPage, type SettingField, type SettingKind } from "../../views/console/admin-settings";
import { isUserError } from "../errors";
import type { Translator } from "../i18n";
import { errorText, textIn } from "../i18n/errors";
import type { Ctx } from "../services/context";
import { readSettings, SETTINGS, writeSettings } from "../services/settings";
import { recentSends } from "../services/user-alerts";
import { issueText } from "../services/validate";
import { checked, type AdminTable } from "./admin-kit";
import { all, first, type Form } from "./route";
import { optionLabels, settingHelp, settingLabel, settingNote } from "./setting-words";

/** The form control a schema calls for (wrappers like optional/default/readonly, and the input side of
 * a pipe such as a transform, looked through). */
export function kindOf(schema: z.core.$ZodType): SettingKind {
  const def = schema._zod.def;
  if ("innerType" in def && def.innerType instanceof z.core.$ZodType) return kindOf(def.innerType);
  if (schema instanceof z.ZodPipe) return kindOf(schema.in);
  if (schema instanceof z.ZodBoolean) return { kind: "boolean" };
  if (schema instanceof z.ZodNumber)
    return {
      kind: "number",
      min: schema.minValue ?? undefined,
      max: schema.maxValue ?? undefined,
      int: !!schema.isInt,
    };
  if (schema instanceof z.ZodString) return { kind: "string", max: schema.maxLength ?? undefined };
  if (schema instanceof z.ZodEnum) return { kind: "enum", options: schema.options.map(String) };
  if (schema instanceof z.ZodArray)
    return kindOf(schema.element).kind === "string" ? { kind: "list" } : { kind: "json" };
  // "a list, or a comma string" (trusted_proxies): edited as a list, one entry per line
  if (schema instanceof z.ZodUnion)
    return schema.options.some((o) => kindOf(o).kind === "list") ? { kind: "list" } : { kind: "json" };
  return { kind: "json" };
}

const entries = () =>
  Object.entries(SETTINGS).map(([key, def]) => ({
    key,
    schema: def.schema as z.ZodType,
    help: def.help as string,
    fallback: def.fallback as unknown,
    kind: kindOf(def.schema as z.ZodType),
  }));

/** A stored value as its field shows it. */
function shown(kind: SettingKind, v: unknown): string | boolean {
  if (kind.kind === "boolean") return v === true;
  if (kind.kind === "list") return Array.isArray(v) ? v.join("\n") : "";
  if (kind.kind === "json") return JSON.stringify(v ?? null);
  return v === undefined || v === null ? "" : String(v);
}

/** What a field posted → the value its schema checks (as typed when it cannot be converted, so
 * the schema's own message says what is wrong). */
function posted(kind: SettingKind, f: Form, key: string): unknown {
  const text = first(f[key]).trim();
  switch (kind.kind) {
    case "boolean":
      return checked(f, key);
    case "number":
      return text !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
    case "list":
      return text
        .split("\n")
        .map((s) => s.trim())
        .filter(Boolean);
    case "json":
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return kind.kind === "string" ? first(f[key]) : text;
  }
}

/** The default as the help line says it: "on", "empty", "none", a list's entries, a choice's name, or
 * the value. */
function fallbackText({ t, num }: Translator, kind: SettingKind, fallback: unknown, names?: Record<string, string>) {
  if (kind.kind === "boolean") return t(fallback ? "settings.default.on" : "settings.default.off");
  if (kind.kind === "list" && Array.isArray(fallback))
    return fallback.length ? fallback.join(", ") : t("settings.default.none");
  if (fallback === "") return t("settings.default.empty");
  if (typeof fallback === "string" && names?.[fallback]) return names[fallback];
  if (typeof fallback === "number") return num(fallback);
  return typeof fallback === "object" ? JSON.stringify(fallback) : String(fallback);
}

type Messages = Record<string, string>;

/** The form's fields: `values` stored; `raw` what was posted, shown again in the fields with `errors`. */
function fields(t: Translator, values: Record<string, unknown>, raw?: Form, errors: Messages = {}): SettingField[] {
  return entries().map(({ key, help, fallback, kind }) => {
    const names = kind.kind === "enum" ? optionLabels(t, key, kind.options) : undefined;
    return {
      ...kind,
      key,
      label: settingLabel(t, key),
      help: settingHelp(t, key, help),
      fallback: fallbackText(t, kind, fallback, names),
      optionLabels: names,
      note: settingNote(t, key, values[key]),
      value: raw && errors[key] && kind.kind !== "boolean" ? (all(raw[key]).at(-1) ?? "") : shown(kind, values[key]),
      error: errors[key],
    };
  });
}

async function save(ctx: Ctx, form: Form, t: Translator) {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const { key, schema, kind } of entries()) {
    if (form[key] === undefined) continue; // not on the form (switches always send a hidden "0"): leave it alone
    const value = posted(kind, form, key);
    const parsed = schema.safeParse(value);
    if (parsed.success) input[key] = value;
    else errors[key] = textIn(issueText(parsed.error.issues[0]!, value), t);
  }
  if (Object.keys(errors).length)
    return {
      html: SettingsForm({
        fields: fields(t, readSettings(ctx), form, errors),
        error: t.t("settings.notSaved"),
        t,
      }) as string,
    };
  try {
    const saved = await writeSettings(ctx, input);
    return { html: SettingsForm({ fields: fields(t, saved), t }) as string, toast: t.t("settings.toast.saved") };
  } catch (e) {
    if (!isUserError(e)) throw e;
    const key = e.param ?? "";
    const problem = e.text?.params?.problem; // an invalid field's problem, without its name
    const errs = Object.hasOwn(SETTINGS, key)
      ? { [key]: problem === undefined ? errorText(e, t) : textIn(problem, t) }
      : {};
    return {
      html: SettingsForm({ fields: fields(t, readSettings(ctx), form, errs), error: errorText(e, t), t }) as string,
    };
  }
}

export function adminSettingsPages({ page, action }: AdminTable) {
  page(
    "/admin/settings",
    { title: ({ t }) => t("settings.title"), admin: true },
    async ({ ctx, path, t }) =>
      (SettingsPage({ path, fields: fields(t, readSettings(ctx)), t }) as string) +
      (AlertSendsTable({ rows: await recentSends(ctx), everyone: true, t }) as string),
  );
  action("POST", "/admin/settings", { admin: true }, ({ ctx, form, t }) => save(ctx, form, t));
}
