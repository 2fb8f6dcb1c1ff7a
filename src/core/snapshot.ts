// The in-memory view of configuration that the hot path reads: tokens by key hash, users, groups.
// Built from rows here (pure); services/snapshot.ts decides when to rebuild or patch it.
import type { GroupRow, TokenRow, UserRow } from "../db/schema";
import { parseCidr, type Cidr } from "./ip";
import { parseJsonList } from "./tokens";

export type TokenEntry = Omit<TokenRow, "fallbackGroups" | "models" | "allowIps" | "keySealed"> & {
  fallbackGroups: string[];
  models: Set<string>;
  allowIps: Cidr[];
};
export type UserEntry = Pick<UserRow, "id" | "username" | "role" | "status" | "quota" | "usedQuota" | "unlimited">;
export type GroupEntry = Pick<GroupRow, "name" | "multiplierMicros" | "selectable">;

export type Snapshot = {
  tokensByHash: Map<string, TokenEntry>;
  usersById: Map<number, UserEntry>;
  groupsByName: Map<string, GroupEntry>;
  builtAt: number;
};

export function tokenEntry(row: TokenRow): TokenEntry {
  const { keySealed: _sealed, fallbackGroups, models, allowIps, ...rest } = row;
  return {
    ...rest,
    fallbackGroups: parseJsonList(fallbackGroups),
    models: new Set(parseJsonList(models)),
    allowIps: parseJsonList(allowIps).map(parseCidr).filter((c): c is Cidr => c !== null),
  };
}

export const userEntry = ({ id, username, role, status, quota, usedQuota, unlimited }: UserRow): UserEntry => ({
  id,
  username,
  role,
  status,
  quota,
  usedQuota,
  unlimited,
});

export const groupEntry = ({ name, multiplierMicros, selectable }: GroupRow): GroupEntry => ({ name, multiplierMicros, selectable });

export function buildSnapshot(rows: { tokens: TokenRow[]; users: UserRow[]; groups: GroupRow[] }, now = Date.now()): Snapshot {
  return {
    tokensByHash: new Map(rows.tokens.map((t) => [t.keyHash, tokenEntry(t)])),
    usersById: new Map(rows.users.map((u) => [u.id, userEntry(u)])),
    groupsByName: new Map(rows.groups.map((g) => [g.name, groupEntry(g)])),
    builtAt: now,
  };
}
