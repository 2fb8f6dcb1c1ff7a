// Channel operations (admins only; the routes and the CLI enforce who may call them): create, list,
// get, edit, enable/disable, delete, and what a Test's result does to a channel. Upstream keys are
// sealed before they reach the store and never leave this module again; every write rebuilds the
// snapshot's channels and route index. Recovery (new keys, enabling, a passing Test of a channel
// disabled automatically) clears the failure state: keys usable, health cleared, a new health epoch
// (the server's breaker for the channel starts over, even when the CLI did it). Create and update
// replies carry `warnings`: models without a price, an endpoint path cut off the base URL.
import { hasPerCallPrice, hasTokenPrices } from "../core/billing";
import { microsToNumber } from "../core/money";
import type { KeyState } from "../core/snapshot";
import { parseJsonList } from "../core/token-rules";
import { CHANNEL_STATUS, KEY_STATUS, type ChannelStatus } from "../core/status";
import { parseHealth } from "../store/channel-health";
import { balanceView, healthView, stateView } from "./channel-health";
import { withThreshold } from "./upstream-balance";
import type { ChannelRow } from "../db/schema";
import { invalidField, keyed, notFound } from "../errors";
import { recognised } from "../i18n/errors";
import type { ChannelOrder, ChannelPatch } from "../store/channels";
import {
  ChannelCreate,
  channelProblem,
  ChannelStatusUpdate,
  ChannelUpdate,
  withDefaultPath,
  withoutEndpoint,
  type ChannelCreateInput,
  type ChannelUpdateInput,
} from "./channel-schema";
import { catalogIndex } from "../catalog/catalog";
import type { Ctx } from "./context";
import type { Page } from "./paging";
import { validate } from "./validate";

/** What replies show: never a key, not even masked; per key only its position and state (1 usable,
 * 2 out of credit until `until`, unix s, 3 rejected by the upstream). */
export function channelView(row: ChannelRow, keyCount: number) {
  const states = JSON.parse(row.keyStates) as KeyState[];
  const keyStates = Array.from({ length: keyCount }, (_, i) => ({
    index: i,
    status: states[i]?.status ?? KEY_STATUS.usable,
    reason: states[i]?.reason ?? "",
    ...(states[i]?.status === KEY_STATUS.cooling ? { until: states[i].until ?? 0 } : {}),
  }));
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    base_url: row.baseUrl,
    key_count: keyCount,
    key_states: keyStates,
    models: parseJsonList(row.models),
    model_mapping: JSON.parse(row.modelMapping) as Record<string, string>,
    groups: parseJsonList(row.groups),
    priority: row.priority,
    weight: row.weight,
    status: row.status,
    status_reason: row.statusReason,
    timeout_connect_ms: row.timeoutConnectMs,
    timeout_first_byte_ms: row.timeoutFirstByteMs,
    timeout_idle_ms: row.timeoutIdleMs,
    supports_responses: row.supportsResponses,
    api_version: row.apiVersion,
    max_output_tokens: row.maxOutputTokens,
    balance_source: row.balanceSource,
    balance_threshold: microsToNumber(row.balanceThresholdMicros),
    created_at: row.createdAt,
  };
}

const usableStates = (n: number): string =>
  JSON.stringify(Array.from({ length: n }, (): KeyState => ({ status: KEY_STATUS.usable })));

/** The sealed list is the truth about how many keys there are (key_states may lag behind it). */
const storedKeyCount = (ctx: Ctx, row: ChannelRow) => (JSON.parse(ctx.keys.unseal(row.keysSealed)) as string[]).length;

/** Models a call cannot be billed for (no token price, no per-call price, no video price): every call
 * is refused. */
export function unpricedModels(ctx: Ctx, models: string[]): string[] {
  const prices = ctx.snapshot.current.prices;
  return models.filter((m) => {
    const p = prices.get(m);
    return !p || (!hasTokenPrices(p) && !hasPerCallPrice(p) && !p.video);
  });
}

/** The view plus its health, the models it cannot bill, and warnings: what a write changed that was
 * not asked for (`notes`), and models without a price. */
const view = (ctx: Ctx, row: ChannelRow, notes: string[] = []) => {
  const v = channelView(row, storedKeyCount(ctx, row));
  const unpriced = unpricedModels(ctx, v.models);
  const health = healthView(ctx, row);
  const state = stateView(row, health);
  return {
    ...v,
    state: state.state,
    state_detail: state.detail,
    unpriced_models: unpriced,
    health,
    balance: balanceView(row),
    warnings: [...notes, ...unpricedWarning(ctx, unpriced)],
  };
};

function unpricedWarning(ctx: Ctx, models: string[]): string[] {
  if (!models.length) return [];
  const names =
    models.length > 10 ? `${models.slice(0, 10).join(", ")} and ${models.length - 10} more` : models.join(", ");
  const known = catalogIndex(ctx.catalog);
  const inCatalog = models.filter((m) => known.has(m));
  const catalog = inCatalog.length
    ? `; the price catalog has ${inCatalog.length === models.length ? (models.length === 1 ? "it" : "them all") : inCatalog.slice(0, 10).join(", ")}: apiyi price catalog --apply ${inCatalog.slice(0, 10).join(",")} (or Admin → Pricing → Catalog)`
    : `; the price catalog ${models.length === 1 ? "does not have it" : "has none of them"}`;
  return [
    `no price for ${models.length === 1 ? "the model" : "the models"} ${names}: calls to ${models.length === 1 ? "it" : "them"} are refused (403 model_price_not_set) and left out of /v1/models until priced: apiyi price set --model ${models[0]} --input USD --output USD (per 1M tokens; or --per-call USD), or the console's /admin/pricing${catalog}`,
  ];
}

async function findChannel(ctx: Ctx, id: number) {
  const row = await ctx.store.channels.byId(id);
  if (!row) throw notFound(keyed("error.channel.notFound", { id }));
  return row;
}

/** Every group must exist; called inside the write transaction so a concurrent delete cannot slip by. */
async function checkGroups(ctx: Ctx, groups: string[]) {
  const known = new Set((await ctx.store.groups.all()).map((g) => g.name));
  const missing = groups.find((g) => !known.has(g));
  if (missing !== undefined) throw invalidField("group", keyed("error.group.missing", { group: missing }));
}

/** New keys replace the old ones and all start usable. */
const keyColumns = (ctx: Ctx, keys: string[]) => ({
  keysSealed: ctx.keys.seal(JSON.stringify(keys)),
  keyStates: usableStates(keys.length),
});

const toColumns = (c: Partial<Omit<ChannelCreateInput, "status">>): ChannelPatch => ({
  name: c.name,
  type: c.type,
  baseUrl: c.base_url,
  models: c.models && JSON.stringify(c.models),
  modelMapping: c.model_mapping && JSON.stringify(c.model_mapping),
  groups: c.group && JSON.stringify(c.group),
  priority: c.priority,
  weight: c.weight,
  timeoutConnectMs: c.timeout_connect_ms,
  timeoutFirstByteMs: c.timeout_first_byte_ms,
  timeoutIdleMs: c.timeout_idle_ms,
  supportsResponses: c.supports_responses,
  apiVersion: c.api_version,
  maxOutputTokens: c.max_output_tokens,
  balanceSource: c.balance_source,
  balanceThresholdMicros: c.balance_threshold,
});

/** The cross-field rules, on the values the channel will have once written. */
function checkTypeFields(type: string, apiVersion: string) {
  const problem = channelProblem(type, apiVersion);
  if (problem) throw invalidField(...problem);
}

/** The base URL column of a write: an endpoint path pasted with it is cut off (or, another type's,
 * refused), then the type's default path goes on a URL without a path, judged by the effective type,
 * so sending only a new type or only a new URL still normalises (azure → openai on a bare resource URL
 * adds /v1; a path already there is kept). Undefined: the column is left alone. */
function baseUrlColumn(
  current: ChannelRow | undefined,
  c: { type?: string; base_url?: string },
  notes: string[],
): string | undefined {
  if (c.type === undefined && c.base_url === undefined) return undefined;
  const type = c.type ?? current!.type;
  const r = withoutEndpoint(c.base_url ?? current!.baseUrl, type);
  if ("problem" in r) throw invalidField("base_url", recognised(r.problem));
  if (r.note) notes.push(r.note);
  return r.root ? r.url : withDefaultPath(r.url, type);
}

/** A channel's failure state cleared: every key usable, no saved health, a new epoch (breaker over). */
const freshHealth = (ctx: Ctx, current: ChannelRow, keyCount = storedKeyCount(ctx, current)): ChannelPatch => ({
  keyStates: usableStates(keyCount),
  health: "{}",
  healthEpoch: current.healthEpoch + 1,
});

/** An admin setting the status: any change clears the automatic reason; enabling also clears the
 * failure state (that is how an automatically disabled channel or key comes back). */
function statusColumns(
  ctx: Ctx,
  current: ChannelRow,
  status: ChannelStatus | undefined,
  forceEnable: boolean,
): ChannelPatch {
  if (status === undefined || (status === current.status && !(status === CHANNEL_STATUS.enabled && forceEnable)))
    return {};
  if (status === CHANNEL_STATUS.autoDisabled) throw invalidField("status", keyed("error.channel.autoStatus"));
  if (status === CHANNEL_STATUS.disabled) return { status, statusReason: "" };
  return { status, statusReason: "", ...freshHealth(ctx, current) };
}

/** New keys clear the failure state; a channel disabled automatically (3) comes back, one an admin
 * disabled (2) stays so. */
function newKeyColumns(ctx: Ctx, current: ChannelRow, keys: string[], status: ChannelStatus | undefined): ChannelPatch {
  const back =
    current.status === CHANNEL_STATUS.autoDisabled && (status === undefined || status === CHANNEL_STATUS.autoDisabled)
      ? { status: CHANNEL_STATUS.enabled, statusReason: "" }
      : {};
  return { ...freshHealth(ctx, current, keys.length), ...keyColumns(ctx, keys), ...back };
}

export async function createChannel(ctx: Ctx, input: unknown) {
  const c = validate(ChannelCreate, input);
  checkTypeFields(c.type, c.api_version);
  const notes: string[] = [];
  const row = await ctx.tx(async () => {
    await checkGroups(ctx, c.group);
    const columns = { ...(toColumns(c) as Required<ChannelPatch>), baseUrl: baseUrlColumn(undefined, c, notes)! };
    return ctx.store.channels.insert({ ...columns, ...keyColumns(ctx, c.key), status: c.status });
  });
  await ctx.snapshot.reloadChannels();
  return view(ctx, row, notes);
}

export async function listChannels(ctx: Ctx, page: Page, keyword = "", order: ChannelOrder = "newest") {
  const { items, total } = await ctx.store.channels.page(keyword.trim(), page.offset, page.size, order);
  return { items: items.map((row) => view(ctx, row)), total, page: page.p, page_size: page.size };
}

/** Every channel in id order (the CLI's list). */
export const allChannels = async (ctx: Ctx) => (await ctx.store.channels.all()).map((row) => view(ctx, row));

export const getChannel = async (ctx: Ctx, id: number) => view(ctx, await findChannel(ctx, id));

async function applyUpdate(ctx: Ctx, c: ChannelUpdateInput, forceEnable: boolean) {
  const notes: string[] = [];
  const row = await ctx.tx(async () => {
    const current = await findChannel(ctx, c.id);
    if (c.group) await checkGroups(ctx, c.group);
    checkTypeFields(c.type ?? current.type, c.api_version ?? current.apiVersion);
    // new-api's edit form sends key "" when the keys are left alone: no keys means keep them.
    // New keys come last: their fresh states win over the reset that enabling would do to the old ones.
    const keys = c.key?.length ? newKeyColumns(ctx, current, c.key, c.status) : {};
    const patch = {
      ...toColumns(c),
      // a new threshold judges the last reading again: the channel leaves or rejoins rotation at once
      balance: c.balance_threshold === undefined ? undefined : withThreshold(current.balance, c.balance_threshold),
      baseUrl: baseUrlColumn(current, c, notes),
      ...statusColumns(ctx, current, c.status, forceEnable),
      ...keys,
    };
    return (await ctx.store.channels.update(c.id, patch))!;
  });
  await ctx.snapshot.reloadChannels();
  return view(ctx, row, notes);
}

export const updateChannel = (ctx: Ctx, input: unknown) => applyUpdate(ctx, validate(ChannelUpdate, input), false);

/** ?status_only=true: 1 enables (always resetting the keys' states), 2 disables. */
export const setChannelStatus = (ctx: Ctx, input: unknown) =>
  applyUpdate(ctx, validate(ChannelStatusUpdate, input), true);

/** What a Test's result does to the channel: a pass starts its breaker over (a new epoch, also for the
 * server when the CLI tested), ends the cooldown of keys out of credit, and re-enables a channel
 * disabled automatically (3; never one an admin disabled) with every key usable again; a failure is
 * saved as the channel's last failure. True when re-enabled. */
export async function recordTestResult(ctx: Ctx, id: number, ok: boolean, cause: string): Promise<boolean> {
  const reenabled = await ctx.tx(async () => {
    const current = await ctx.store.channels.byId(id);
    if (!current) return false;
    const at = ctx.now();
    if (!ok) {
      await ctx.store.health.saveHealth(id, current.healthEpoch, {
        ...parseHealth(current.health),
        last_error: cause.slice(0, 500),
        last_error_at: at,
      });
      return false;
    }
    const fresh = freshHealth(ctx, current);
    // re-enabled: every key usable (freshHealth's); else only the cooldowns end, dead keys stay dead
    const states = (JSON.parse(current.keyStates) as KeyState[]).map(
      (s): KeyState => (s.status === KEY_STATUS.cooling ? { status: KEY_STATUS.usable } : s),
    );
    const keys = current.status === CHANNEL_STATUS.autoDisabled ? {} : { keyStates: JSON.stringify(states) };
    const back =
      current.status === CHANNEL_STATUS.autoDisabled ? { status: CHANNEL_STATUS.enabled, statusReason: "" } : {};
    await ctx.store.channels.update(id, { ...fresh, ...keys, health: JSON.stringify({ last_ok_at: at }), ...back });
    return current.status === CHANNEL_STATUS.autoDisabled;
  });
  await ctx.snapshot.reloadChannels();
  return reenabled;
}

/** At server start breakers are closed: what a previous run saved of them no longer holds. */
export const forgetSavedBreakers = (ctx: Ctx) => ctx.store.health.clearSavedBreakers();

export async function deleteChannel(ctx: Ctx, id: number) {
  if (!(await ctx.store.channels.delete(id))) throw notFound(keyed("error.channel.notFound", { id }));
  await ctx.snapshot.reloadChannels();
}
