// The in-memory view of configuration that the hot path reads: tokens by key hash, users, groups,
// channels (with their upstream keys unsealed) indexed by group and model, and runtime settings.
// Built from rows here (pure); services/snapshot.ts decides when to rebuild or patch it.
import type { ChannelRow, GroupRow, PriceRow, TokenRow, UserRow } from "../db/schema";
import { priceEntry, type PriceEntry } from "./billing";
import type { BreakerOptions } from "./breaker";
import { parseCidr, type Cidr } from "./ip";
import { parseJsonList } from "./token-rules";
import { KEY_STATUS, type KeyStatus } from "./status";

export type TokenEntry = Omit<TokenRow, "fallbackGroups" | "models" | "allowIps" | "keySealed"> & {
  fallbackGroups: string[];
  models: Set<string>;
  allowIps: Cidr[];
  /** memory only: the end of the current budget period, computed on first need (core/budget.ts) */
  periodEnd?: number;
};
/** The rate-limit columns every limited thing has (tokens, users, groups' defaults). */
type RateLimitFields = "rpmLimit" | "tpmLimit" | "rpdLimit" | "maxParallelRequests";
/** The budget-period columns tokens and users share (core/budget.ts). */
type PeriodFields = "budgetPeriod" | "periodQuota" | "periodStart";
export type UserEntry = Pick<
  UserRow,
  | "id"
  | "username"
  | "role"
  | "status"
  | "quota"
  | "usedQuota"
  | "unlimited"
  | "alertThreshold"
  | RateLimitFields
  | PeriodFields
> & {
  /** memory only: the end of the current budget period, computed on first need (core/budget.ts) */
  periodEnd?: number;
};
export type GroupEntry = Pick<GroupRow, "name" | "multiplierMicros" | "selectable" | RateLimitFields>;

/** 1 usable, 3 rejected by the upstream (dead), 2 out of credit: back in rotation at `until` (unix s) */
export type KeyState = { status: KeyStatus; reason?: string; at?: number; until?: number };

export type ChannelEntry = {
  id: number;
  name: string;
  type: string;
  baseUrl: string;
  /** upstream keys in plaintext (memory only), aligned with keyStates */
  keys: string[];
  /** the sealed form the keys were read from: identifies this set of keys when saving their states */
  keysSealed: string;
  keyStates: KeyState[];
  models: Set<string>;
  /** client model name → upstream model name */
  mapping: Map<string, string>;
  groups: string[];
  priority: number;
  weight: number;
  status: number;
  timeouts: { connectMs: number; firstByteMs: number; idleMs: number };
  /** openai: also speaks /v1/responses */
  supportsResponses: boolean;
  /** azure: the api-version query parameter */
  apiVersion: string;
  /** most output tokens a call may ask for (0: no cap) */
  maxOutputTokens: number;
  /** bumped by each recovery (new keys, enable, a passing Test): the breaker starts over when it changes */
  healthEpoch: number;
};

/** group → model → channels serving it (any status), highest priority first */
export type RouteIndex = Map<string, Map<string, ChannelEntry[]>>;

export type RelaySettings = {
  maxAttempts: number;
  trustedProxies: Cidr[];
  breaker: BreakerOptions;
  /** longest time any request body may take to arrive (body_read_timeout_seconds) */
  bodyTimeoutMs: number;
  /** largest body on /api, the console and sign-in (management_body_limit_kb) */
  managementBodyBytes: number;
  /** least output a call the balance cannot fully cover is admitted with (min_output_tokens) */
  minOutputTokens: number;
  /** IANA time zone of budget period boundaries (budget_timezone) */
  budgetTimezone: string;
};

export type Snapshot = {
  tokensByHash: Map<string, TokenEntry>;
  usersById: Map<number, UserEntry>;
  groupsByName: Map<string, GroupEntry>;
  channelsById: Map<number, ChannelEntry>;
  routes: RouteIndex;
  prices: Map<string, PriceEntry>;
  relay: RelaySettings;
  builtAt: number;
};

export function tokenEntry(row: TokenRow): TokenEntry {
  const { keySealed: _sealed, fallbackGroups, models, allowIps, ...rest } = row;
  return {
    ...rest,
    fallbackGroups: parseJsonList(fallbackGroups),
    models: new Set(parseJsonList(models)),
    allowIps: parseJsonList(allowIps)
      .map(parseCidr)
      .filter((c): c is Cidr => c !== null),
  };
}

const rateLimits = (r: Pick<UserRow, RateLimitFields>) => ({
  rpmLimit: r.rpmLimit,
  tpmLimit: r.tpmLimit,
  rpdLimit: r.rpdLimit,
  maxParallelRequests: r.maxParallelRequests,
});

export const userEntry = (u: UserRow): UserEntry => ({
  id: u.id,
  username: u.username,
  role: u.role,
  status: u.status,
  quota: u.quota,
  usedQuota: u.usedQuota,
  unlimited: u.unlimited,
  alertThreshold: u.alertThreshold,
  ...rateLimits(u),
  budgetPeriod: u.budgetPeriod,
  periodQuota: u.periodQuota,
  periodStart: u.periodStart,
});

export const groupEntry = ({ name, multiplierMicros, selectable, ...row }: GroupRow): GroupEntry => ({
  name,
  multiplierMicros,
  selectable,
  ...rateLimits(row),
});

export function channelEntry(row: ChannelRow, unseal: (sealed: string) => string): ChannelEntry {
  const keys = JSON.parse(unseal(row.keysSealed)) as string[];
  const states = JSON.parse(row.keyStates) as KeyState[];
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    baseUrl: row.baseUrl,
    keys,
    keysSealed: row.keysSealed,
    keyStates: keys.map((_, i) => states[i] ?? { status: KEY_STATUS.usable }),
    models: new Set(parseJsonList(row.models)),
    mapping: new Map(Object.entries(JSON.parse(row.modelMapping) as Record<string, string>)),
    groups: parseJsonList(row.groups),
    priority: row.priority,
    weight: row.weight,
    status: row.status,
    timeouts: { connectMs: row.timeoutConnectMs, firstByteMs: row.timeoutFirstByteMs, idleMs: row.timeoutIdleMs },
    supportsResponses: row.supportsResponses,
    apiVersion: row.apiVersion,
    maxOutputTokens: row.maxOutputTokens,
    healthEpoch: row.healthEpoch,
  };
}

export function buildRouteIndex(channels: Iterable<ChannelEntry>): RouteIndex {
  const index: RouteIndex = new Map();
  for (const ch of channels) {
    for (const group of ch.groups) {
      let byModel = index.get(group);
      if (!byModel) index.set(group, (byModel = new Map()));
      for (const model of ch.models) {
        const list = byModel.get(model);
        if (list) list.push(ch);
        else byModel.set(model, [ch]);
      }
    }
  }
  for (const byModel of index.values())
    for (const list of byModel.values()) list.sort((a, b) => b.priority - a.priority || a.id - b.id);
  return index;
}

export const pricesByModel = (rows: PriceRow[]) => new Map(rows.map((r) => [r.model, priceEntry(r)]));

export type SnapshotRows = {
  tokens: TokenRow[];
  users: UserRow[];
  groups: GroupRow[];
  channels: ChannelRow[];
  prices: PriceRow[];
  relay: RelaySettings;
};

export function buildSnapshot(rows: SnapshotRows, unseal: (sealed: string) => string, now = Date.now()): Snapshot {
  const channelsById = new Map(rows.channels.map((c) => [c.id, channelEntry(c, unseal)]));
  return {
    tokensByHash: new Map(rows.tokens.map((t) => [t.keyHash, tokenEntry(t)])),
    usersById: new Map(rows.users.map((u) => [u.id, userEntry(u)])),
    groupsByName: new Map(rows.groups.map((g) => [g.name, groupEntry(g)])),
    channelsById,
    routes: buildRouteIndex(channelsById.values()),
    prices: pricesByModel(rows.prices),
    relay: rows.relay,
    builtAt: now,
  };
}
