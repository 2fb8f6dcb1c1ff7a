/** @jsxImportSource @kitajs/html */
// The /token page and its actions: list and search, New and Edit in a dialog (errors shown in it),
// enable/disable, delete, and the one-time display of a new key. Rules live in services/tokens.
// Everything it shows is in the reader's language (`call.t`), but a refusal the token service words
// (a field's validation) stays as the service says it.
import { ModelSelect, NewKeyDialog, TokenDialog, EMPTY_FORM, type TokenForm } from "../../views/console/token-dialog";
import { rateLimitForm } from "../../views/console/rate-limits";
import { TokenPager, TokenRow, TokenTable } from "../../views/console/tokens";
import { reachableModels } from "../core/routing";
import { TOKEN_STATUS } from "../core/status";
import { invalidField, isUserError } from "../errors";
import { errorText } from "../i18n/errors";
import type { Translator } from "../i18n";
import { listGroups } from "../services/groups";
import { readPage } from "../services/paging";
import { createToken, getToken, listTokens, setTokenStatus, deleteToken, updateToken } from "../services/tokens";
import type { TokenView } from "../services/token-schema";
import { typedUnits } from "./money-input";
import { echoRateLimits, readRateLimits } from "./rate-limit-form";
import { all, first, type consoleTable, type Form, type PageCall } from "./route";

const day = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

/** The dialog's quota: Unlimited ticked, or an amount in dollars. Unticked with the amount left empty
 * asks for a limit without giving one: refused with what to do (a token that could never call). */
function quotaOf(f: Form, tr: Translator, was?: TokenView) {
  const { t } = tr;
  const creating = was === undefined;
  if (first(f.unlimited) === "1") return { unlimited_quota: true, remain_quota: 0, budget_period: "" };
  const typed = first(f.quota_usd).trim();
  if (typed === "") throw invalidField("quota", t("tokens.quotaHint"));
  const remain_quota = typedUnits(tr, "quota", typed, was && shownQuota(was));
  // an edit may set a limited token to 0 (the service decides); a new token at 0 could never call
  if (creating && remain_quota === 0) throw invalidField("quota", t("tokens.quotaHint"));
  // with a budget period the amount is each period's allowance (what is left now follows from it)
  const budget_period = first(f.budget_period);
  if (budget_period) return { unlimited_quota: false, budget_period, period_quota: remain_quota };
  return { unlimited_quota: false, remain_quota, budget_period };
}

/** The amount the dialog shows for a token: each period's allowance, or what is left. */
const shownQuota = (t: TokenView) => (t.budget_period ? t.period_quota : t.remain_quota);

/** What the dialog's form posts → what the token service takes; `was`: the token being edited. */
function toInput(f: Form, tr: Translator, was?: TokenView) {
  const never = first(f.never) === "1";
  const expires = first(f.expires);
  const expired_time = never || !expires ? -1 : Math.floor(Date.parse(`${expires}T23:59:59Z`) / 1000);
  if (Number.isNaN(expired_time)) throw invalidField("expires", tr.t("tokens.notADate"));
  return {
    name: first(f.name),
    ...quotaOf(f, tr, was),
    expired_time,
    billing_mode: first(f.billing_mode) || "usage_first",
    group: first(f.group) || "default",
    fallback_groups: [first(f.fallback1), first(f.fallback2)].filter(Boolean),
    models: all(f.models),
    allow_ips: first(f.allow_ips),
    ...readRateLimits(f),
  };
}

/** The form as the person filled it, to show again with an error. */
const echo = (f: Form, id?: number): TokenForm => ({
  id,
  name: first(f.name),
  quota_usd: first(f.quota_usd),
  unlimited: first(f.unlimited) === "1",
  budget_period: first(f.budget_period),
  expires: first(f.expires),
  never: first(f.never) === "1",
  billing_mode: first(f.billing_mode) || "usage_first",
  group: first(f.group) || "default",
  fallback1: first(f.fallback1),
  fallback2: first(f.fallback2),
  models: all(f.models),
  allow_ips: first(f.allow_ips),
  limits: echoRateLimits(f),
});

const formOf = (t: TokenView, tr: Translator): TokenForm => ({
  id: t.id,
  name: t.name,
  quota_usd: t.unlimited_quota ? "" : tr.moneyValue(shownQuota(t)),
  unlimited: t.unlimited_quota,
  budget_period: t.budget_period,
  expires: t.expired_time === -1 ? "" : day(t.expired_time),
  never: t.expired_time === -1,
  billing_mode: t.billing_mode,
  group: t.group,
  fallback1: t.fallback_groups[0] ?? "",
  fallback2: t.fallback_groups[1] ?? "",
  models: t.models,
  allow_ips: t.allow_ips.join("\n"),
  limits: rateLimitForm(t),
});

/** The models the token's chosen groups (default and fallbacks) serve, for the whitelist. */
function modelsOf(ctx: PageCall["ctx"], form: Pick<TokenForm, "group" | "fallback1" | "fallback2">) {
  const chosen = [form.group || "default", form.fallback1, form.fallback2].filter(Boolean);
  return reachableModels(ctx.snapshot.current.routes, chosen, new Set(), () => true);
}

const dialog = async (call: Pick<PageCall, "ctx" | "user" | "t">, form: TokenForm, error?: string) =>
  TokenDialog({
    form,
    error,
    t: call.t,
    groups: (await listGroups(call.ctx, call.user)).items,
    models: modelsOf(call.ctx, form),
  }) as string;

/** The listing a page (or the page an action came from) shows: its page, size and search. */
async function listing(
  { ctx, user, t }: Pick<PageCall, "ctx" | "user" | "t">,
  query: Record<string, string | undefined>,
) {
  const paging = readPage({ p: query.p ?? "1", size: query.size ?? "20" });
  const keyword = query.keyword ?? "";
  const list = await listTokens(ctx, user, paging, keyword);
  return { rows: list.items, total: list.total, page: paging.p, size: paging.size, keyword, t };
}

/** The footer of the page the browser shows, redrawn out-of-band after a row came or went. */
const footer = async (call: PageCall) =>
  TokenPager({ ...(await listing(call, Object.fromEntries(call.shown.searchParams))), oob: true }) as string;

export function tokenPages({ page, action, fragment }: ReturnType<typeof consoleTable>) {
  page(
    "/token",
    { title: ({ t }) => t("tokens.title") },
    async (call) => TokenTable(await listing(call, call.query)) as string,
  );
  fragment("/token/new", (call) => dialog(call, EMPTY_FORM));
  fragment("/token/models", ({ ctx, query }) => {
    const form = { group: query.group ?? "", fallback1: query.fallback1 ?? "", fallback2: query.fallback2 ?? "" };
    const selected = (query.models ?? "").split(",").filter(Boolean);
    return ModelSelect({ models: modelsOf(ctx, form), selected }) as string;
  });
  fragment("/token/:id/edit", async (call) =>
    dialog(call, formOf(await getToken(call.ctx, call.user, Number(call.params.id)), call.t)),
  );

  action("POST", "/token", {}, async (call) => {
    try {
      const { token, key } = await createToken(call.ctx, call.user, toInput(call.form, call.t));
      const row = TokenRow({ t: token, tr: call.t }) as string;
      // table rows cannot stand alone in HTML: htmx takes them out-of-band from inside a <template>
      const oob = `<template><tbody hx-swap-oob="afterbegin:#token-rows">${row}</tbody></template>`;
      const created = NewKeyDialog({ name: token.name, key, t: call.t }) as string;
      return { html: created + oob + (await footer(call)), toast: call.t.t("tokens.toast.created") };
    } catch (e) {
      if (isUserError(e)) return { html: await dialog(call, echo(call.form), errorText(e, call.t)) };
      throw e;
    }
  });
  action("POST", "/token/:id", {}, async (call) => {
    const id = Number(call.params.id);
    try {
      const was = await getToken(call.ctx, call.user, id);
      const token = await updateToken(call.ctx, call.user, { id, ...toInput(call.form, call.t, was) });
      const row = (TokenRow({ t: token, tr: call.t }) as string).replace("<tr ", '<tr hx-swap-oob="true" ');
      return { html: `<template>${row}</template>`, toast: call.t.t("tokens.toast.saved"), closeDialog: true };
    } catch (e) {
      if (isUserError(e)) return { html: await dialog(call, echo(call.form, id), errorText(e, call.t)) };
      throw e;
    }
  });
  action("PUT", "/token/:id/status", {}, async ({ ctx, user, params, form, t }) => {
    const token = await setTokenStatus(ctx, user, { id: Number(params.id), status: Number(first(form.status)) });
    return {
      html: TokenRow({ t: token, tr: t }) as string,
      toast: t.t(token.status === TOKEN_STATUS.disabled ? "tokens.toast.disabled" : "tokens.toast.enabled"),
    };
  });
  action("DELETE", "/token/:id", {}, async (call) => {
    await deleteToken(call.ctx, call.user, Number(call.params.id));
    return { html: await footer(call), toast: call.t.t("tokens.toast.deleted") };
  });
}
