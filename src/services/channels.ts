// Channel operations (admins only; the routes and the CLI enforce who may call them): create, list,
// get, edit, enable/disable, delete. Upstream keys are sealed before they reach the store and never
// leave this module again; every write rebuilds the snapshot's channels and route index.
import type { KeyState } from "../core/snapshot";
import { parseJsonList } from "../core/tokens";
import type { ChannelRow } from "../db/schema";
import { invalidField, notFound } from "../errors";
import type { ChannelOrder, ChannelPatch } from "../store/channels";
import {
  ChannelCreate,
  channelProblem,
  ChannelStatusUpdate,
  ChannelUpdate,
  withDefaultPath,
  type ChannelCreateInput,
  type ChannelUpdateInput,
} from "./channel-schema";
import type { Ctx } from "./context";
import type { Page } from "./paging";
import { validate } from "./validate";

/** What replies show: never a key, not even masked; per key only its position and state. */
export function channelView(row: ChannelRow, keyCount: number) {
  const states = JSON.parse(row.keyStates) as KeyState[];
  const keyStates = Array.from({ length: keyCount }, (_, i) => ({
    index: i,
    status: states[i]?.status ?? 1,
    reason: states[i]?.reason ?? "",
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
    created_at: row.createdAt,
  };
}

const usableStates = (n: number): string => JSON.stringify(Array.from({ length: n }, (): KeyState => ({ status: 1 })));

/** The sealed list is the truth about how many keys there are (key_states may lag behind it). */
const storedKeyCount = (ctx: Ctx, row: ChannelRow) => (JSON.parse(ctx.keys.unseal(row.keysSealed)) as string[]).length;
/** The view plus what this process knows of the channel's health (its breaker). */
const view = (ctx: Ctx, row: ChannelRow) => {
  const now = Date.now();
  return {
    ...channelView(row, storedKeyCount(ctx, row)),
    health: { breaker: ctx.breakers.state(row.id, now), recent_failures: ctx.breakers.recentFailures(row.id, now) },
  };
};

function findChannel(ctx: Ctx, id: number) {
  const row = ctx.store.channels.byId(id);
  if (!row) throw notFound(`channel ${id}`);
  return row;
}

/** Every group must exist; called inside the write transaction so a concurrent delete cannot slip by. */
function checkGroups(ctx: Ctx, groups: string[]) {
  const missing = groups.find((g) => !ctx.store.groups.get(g));
  if (missing !== undefined) throw invalidField("group", `group "${missing}" does not exist`);
}

/** New keys replace the old ones and all start usable. */
const keyColumns = (ctx: Ctx, keys: string[]) => ({ keysSealed: ctx.keys.seal(JSON.stringify(keys)), keyStates: usableStates(keys.length) });

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
});

/** The cross-field rules, on the values the channel will have once written. */
function checkTypeFields(type: string, apiVersion: string) {
  const problem = channelProblem(type, apiVersion);
  if (problem) throw invalidField(...problem);
}

/** The base URL column of a write: the type's default path goes on a URL without a path, judged by the
 * effective type, so sending only a new type or only a new URL still normalises (azure → openai on a
 * bare resource URL adds /v1; a path already there is kept). Undefined: the column is left alone. */
function baseUrlColumn(current: ChannelRow | undefined, c: { type?: string; base_url?: string }): string | undefined {
  if (c.type === undefined && c.base_url === undefined) return undefined;
  return withDefaultPath(c.base_url ?? current!.baseUrl, c.type ?? current!.type);
}

/** An admin setting the status: any change clears the automatic reason; enabling also puts every key
 * back in rotation (that is how an automatically disabled channel or key comes back). */
function statusColumns(ctx: Ctx, current: ChannelRow, status: 1 | 2 | 3 | undefined, forceEnable: boolean): ChannelPatch {
  if (status === undefined || (status === current.status && !(status === 1 && forceEnable))) return {};
  if (status === 3) throw invalidField("status", "3 is set automatically; send 1 (enable) or 2 (disable)");
  if (status === 2) return { status, statusReason: "" };
  return { status, statusReason: "", keyStates: usableStates(storedKeyCount(ctx, current)) };
}

export function createChannel(ctx: Ctx, input: unknown) {
  const c = validate(ChannelCreate, input);
  checkTypeFields(c.type, c.api_version);
  const row = ctx.tx(() => {
    checkGroups(ctx, c.group);
    const columns = { ...(toColumns(c) as Required<ChannelPatch>), baseUrl: baseUrlColumn(undefined, c)! };
    return ctx.store.channels.insert({ ...columns, ...keyColumns(ctx, c.key), status: c.status });
  });
  ctx.snapshot.reloadChannels();
  return view(ctx, row);
}

export function listChannels(ctx: Ctx, page: Page, keyword = "", order: ChannelOrder = "newest") {
  const { items, total } = ctx.store.channels.page(keyword.trim(), page.offset, page.size, order);
  return { items: items.map((row) => view(ctx, row)), total, page: page.p, page_size: page.size };
}

/** Every channel in id order (the CLI's list). */
export const allChannels = (ctx: Ctx) => ctx.store.channels.all().map((row) => view(ctx, row));

export const getChannel = (ctx: Ctx, id: number) => view(ctx, findChannel(ctx, id));

function applyUpdate(ctx: Ctx, c: ChannelUpdateInput, forceEnable: boolean) {
  const row = ctx.tx(() => {
    const current = findChannel(ctx, c.id);
    if (c.group) checkGroups(ctx, c.group);
    checkTypeFields(c.type ?? current.type, c.api_version ?? current.apiVersion);
    // new-api's edit form sends key "" when the keys are left alone: no keys means keep them.
    // New keys come last: their fresh states win over the reset that enabling would do to the old ones.
    const keys = c.key?.length ? keyColumns(ctx, c.key) : {};
    const patch = { ...toColumns(c), baseUrl: baseUrlColumn(current, c), ...statusColumns(ctx, current, c.status, forceEnable), ...keys };
    return ctx.store.channels.update(c.id, patch)!;
  });
  ctx.snapshot.reloadChannels();
  return view(ctx, row);
}

export const updateChannel = (ctx: Ctx, input: unknown) => applyUpdate(ctx, validate(ChannelUpdate, input), false);

/** ?status_only=true: 1 enables (always resetting the keys' states), 2 disables. */
export const setChannelStatus = (ctx: Ctx, input: unknown) => applyUpdate(ctx, validate(ChannelStatusUpdate, input), true);

export function deleteChannel(ctx: Ctx, id: number) {
  if (!ctx.store.channels.delete(id)) throw notFound(`channel ${id}`);
  ctx.snapshot.reloadChannels();
}
