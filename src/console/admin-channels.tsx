/** @jsxImportSource @kitajs/html */
// /admin/channels: list and search, New and Edit in a dialog (keys write-only: an empty field keeps
// the stored keys; the four types, the Responses switch, Azure's api-version and the output cap), enable/disable,
// delete, the Test button (one probe call: status, latency, or the cause; a pass re-enables a
// channel disabled automatically, and its status cell is sent again), and the balance's Refresh (the
// upstream balance read now; the status cell follows, as the threshold may take the channel out or
// back). A save that left models without a price, or cut an endpoint path off the base URL, says so in
// its toast. Everything it shows is in the reader's language (`call.t`), but what the channel service
// words (a field's validation, a save's warnings) and an upstream's own answer stay as they were said.
// Rules live in services/channels and relay/probe; keys never come back out of them.
import { ChannelRow, ChannelTable, TestResult } from "../../views/console/admin-channels";
import { BalanceBlock, StatusCell } from "../../views/console/channel-health";
import { ChannelDialog, NEW_CHANNEL, channelForm } from "../../views/console/channel-dialog";
import { CHANNEL_STATUS } from "../core/status";
import { invalidField, keyed } from "../errors";
import type { Translator } from "../i18n";
import { probeChannel } from "../relay/attempt/probe";
import { BASE_URL_EXAMPLES, CHANNEL_TYPES } from "../services/channel-schema";
import {
  createChannel,
  deleteChannel,
  getChannel,
  listChannels,
  setChannelStatus,
  updateChannel,
} from "../services/channels";
import { listGroups } from "../services/groups";
import { readPage } from "../services/paging";
import { refreshBalance, type LowBalanceAlert } from "../services/upstream-balance";
import { checked, defined, fromDialog, num, oobNewRow, oobRow, type AdminTable } from "./admin-kit";
import { all, first, type Form, type PageCall } from "./route";

/** "client=upstream" lines → the mapping object (a line without "=" is named). */
function mappingFrom(text: string): Record<string, string> {
  const entries: [string, string][] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const at = line.indexOf("=");
    const from = at < 0 ? "" : line.slice(0, at).trim();
    const to = at < 0 ? "" : line.slice(at + 1).trim();
    if (!from || !to) throw invalidField("model_mapping", keyed("error.channel.mappingLine", { line: i + 1 }));
    entries.push([from, to]);
  });
  // fromEntries: a model called "__proto__" stays a plain entry
  return Object.fromEntries(entries);
}

/** What the dialog posts → what the channel service takes. Empty numbers take the defaults on create. */
function toInput(f: Form) {
  return defined({
    name: first(f.name),
    type: first(f.type) || "openai",
    base_url: first(f.base_url),
    key: first(f.key),
    models: first(f.models),
    model_mapping: mappingFrom(first(f.model_mapping)),
    group: all(f.group),
    priority: num(f.priority),
    weight: num(f.weight),
    timeout_connect_ms: num(f.timeout_connect_ms),
    timeout_first_byte_ms: num(f.timeout_first_byte_ms),
    timeout_idle_ms: num(f.timeout_idle_ms),
    // the dialog always shows both: an unticked box is false, an empty version is none
    supports_responses: checked(f, "supports_responses"),
    api_version: first(f.api_version),
    max_output_tokens: num(f.max_output_tokens),
    balance_source: first(f.balance_source) || undefined,
    balance_threshold: first(f.balance_threshold) || undefined,
  });
}

const groupNames = async ({ ctx, user }: Pick<PageCall, "ctx" | "user">) =>
  (await listGroups(ctx, user)).items.map((g) => g.name);

/** "Saved", or "Saved. Warning: … Also: …" with each warning of the write. */
function withWarnings({ t }: Translator, done: string, warnings: string[]) {
  if (!warnings.length) return done;
  const [warning, ...more] = warnings as [string, ...string[]];
  const all = more.reduce((text, next) => t("adminChannels.toast.also", { warnings: text, next }), warning);
  return t("adminChannels.toast.warning", { done, warning: all });
}

/** The dialog of a new channel or of `form`, in the reader's language. */
const dialog = async (call: PageCall, form = NEW_CHANNEL) =>
  ChannelDialog({
    form,
    types: CHANNEL_TYPES,
    groups: await groupNames(call),
    examples: BASE_URL_EXAMPLES,
    t: call.t,
  }) as string;

/** `onLow`: the admin alert a balance read below a channel's threshold raises. */
export function adminChannelPages({ page, action, fragment }: AdminTable, onLow?: LowBalanceAlert) {
  page(
    "/admin/channels",
    { title: ({ t }) => t("adminChannels.title"), admin: true },
    async ({ ctx, query, path, t }) => {
      const paging = readPage({ p: query.p ?? "1", size: query.size ?? "20" });
      const keyword = query.keyword ?? "";
      const list = await listChannels(ctx, paging, keyword);
      return ChannelTable({
        path,
        rows: list.items,
        total: list.total,
        page: paging.p,
        size: paging.size,
        keyword,
        t,
      }) as string;
    },
  );
  fragment("/admin/channels/new", (call) => dialog(call));
  fragment("/admin/channels/:id/edit", async (call) =>
    dialog(call, channelForm(await getChannel(call.ctx, Number(call.params.id)))),
  );

  action("POST", "/admin/channels", { admin: true }, ({ ctx, form, t }) =>
    fromDialog(async () => {
      const c = await createChannel(ctx, toInput(form));
      return {
        html: oobNewRow("channel-rows", ChannelRow({ c, t }) as string),
        toast: withWarnings(t, t.t("adminChannels.toast.created"), c.warnings),
        closeDialog: true,
      };
    }),
  );
  action("POST", "/admin/channels/:id", { admin: true }, ({ ctx, form, params, t }) =>
    fromDialog(async () => {
      const input = toInput(form);
      if (!input.key) delete input.key; // no keys: keep the stored ones
      const c = await updateChannel(ctx, { id: Number(params.id), ...input });
      const toast = withWarnings(t, t.t("adminChannels.toast.saved"), c.warnings);
      return { html: oobRow(ChannelRow({ c, t }) as string), toast, closeDialog: true };
    }),
  );
  action("PUT", "/admin/channels/:id/status", { admin: true }, async ({ ctx, params, form, t }) => {
    const c = await setChannelStatus(ctx, { id: Number(params.id), status: Number(first(form.status)) });
    const toast = t.t(
      c.status === CHANNEL_STATUS.enabled ? "adminChannels.toast.enabled" : "adminChannels.toast.disabled",
    );
    return { html: ChannelRow({ c, t }) as string, toast };
  });
  action("DELETE", "/admin/channels/:id", { admin: true }, async ({ ctx, params, t }) => {
    await deleteChannel(ctx, Number(params.id));
    return { html: "", toast: t.t("adminChannels.toast.deleted") };
  });
  action("POST", "/admin/channels/:id/test", { admin: true }, async ({ ctx, params, t }) => {
    const id = Number(params.id);
    const r = await probeChannel(ctx, id, {});
    const ms = r.latency_ms < 1 ? "<1" : String(r.latency_ms);
    const status = r.re_enabled
      ? `<template>${StatusCell({ c: await getChannel(ctx, id), oob: true, t })}</template>`
      : "";
    const toast = !r.ok
      ? t.t("adminChannels.toast.testFailed", { message: r.message })
      : t.t(r.re_enabled ? "adminChannels.toast.testOkEnabled" : "adminChannels.toast.testOk", {
          status: r.status,
          ms,
        });
    return { html: (TestResult({ id, r, t }) as string) + status, toast };
  });
  action("POST", "/admin/channels/:id/balance", { admin: true }, async ({ ctx, params, t }) => {
    const id = Number(params.id);
    await refreshBalance(ctx, id, onLow);
    const c = await getChannel(ctx, id);
    const b = c.balance;
    const read = { amount: t.num(b.amount ?? 0), currency: b.currency, threshold: t.num(c.balance_threshold) };
    const toast =
      b.error && b.error_at >= b.at
        ? t.t("adminChannels.toast.balanceFailed", { error: b.error })
        : t.t(b.low ? "adminChannels.toast.balanceLow" : "adminChannels.toast.balance", read);
    const status = `<template>${StatusCell({ c, oob: true, t })}</template>`;
    return { html: (BalanceBlock({ c, t }) as string) + status, toast };
  });
}
