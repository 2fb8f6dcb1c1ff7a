// Redemption codes: the only code that reads or writes the redemptions table. The redeeming UPDATE is
// conditional (status enabled, not expired), so of any number of concurrent redeems one claims the code.
import { and, type Column, count, desc, eq, getTableColumns, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import { REDEMPTION_STATUS } from "../core/status";
import type { Db } from "../db/open";
import { redemptions, users, type RedemptionRow } from "../db/schema";
import { patchRow } from "./sql-helpers";

export type NewRedemption = typeof redemptions.$inferInsert;
export type RedemptionPatch = Partial<Pick<RedemptionRow, "name" | "quota" | "expiredTime" | "status">>;
/** A code with the username of whoever redeemed it ("" while unused, or once that user is deleted). */
export type RedemptionWithUser = RedemptionRow & { usedUsername: string };
/** `keyword`: a name prefix, an id, or a code's hash; `status`: "1" | "2" | "3" | "expired". */
export type RedemptionSearch = { keyword?: string; id?: number; keyHash?: string; status?: string; now: number };

const withUser = { ...getTableColumns(redemptions), usedUsername: sql<string>`coalesce(${users.username}, '')` };
const { enabled, disabled, used } = REDEMPTION_STATUS;

/** The columns the terms below read, of either dialect's redemptions table (PostgreSQL's: store/pg/redemptions.ts). */
export type RedemptionTermColumns = Record<"id" | "name" | "keyHash" | "status" | "expiredTime", Column>;

/** `column LIKE pattern`, backslash escaping, ASCII case ignored (and only ASCII: É is not é): SQLite's LIKE. */
export type LikeTerm = (column: Column, pattern: string) => SQL;
const sqliteLike: LikeTerm = (column, pattern) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;

/** The WHERE terms of this store over table `t` (of either dialect), name prefixes matched by `like`. */
export function redemptionTerms(t: RedemptionTermColumns, like: LikeTerm) {
  const expired = (now: number) => and(ne(t.expiredTime, 0), sql`${t.expiredTime} <= ${now}`);
  const unexpired = (now: number) => or(eq(t.expiredTime, 0), sql`${t.expiredTime} > ${now}`);
  return {
    search(s: RedemptionSearch): SQL | undefined {
      const parts: (SQL | undefined)[] = [];
      if (s.keyword) {
        const prefix = `${s.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        parts.push(
          or(like(t.name, prefix), s.id ? eq(t.id, s.id) : undefined, s.keyHash ? eq(t.keyHash, s.keyHash) : undefined),
        );
      }
      if (s.status === "expired") parts.push(and(eq(t.status, enabled), expired(s.now)));
      else if (s.status === String(enabled)) parts.push(and(eq(t.status, enabled), unexpired(s.now)));
      else if (s.status) parts.push(eq(t.status, Number(s.status)));
      const all = parts.filter((p): p is SQL => p !== undefined);
      return all.length ? and(...all) : undefined;
    },
    /** used, disabled and expired codes (deleteInvalid) */
    invalid: (now: number) => or(inArray(t.status, [used, disabled]), and(eq(t.status, enabled), expired(now))),
    /** the code `keyHash` if it can be redeemed at `now` (claim) */
    claimable: (keyHash: string, now: number) => and(eq(t.keyHash, keyHash), eq(t.status, enabled), unexpired(now)),
  };
}

const terms = redemptionTerms(redemptions, sqliteLike);

export const redemptionStore = (db: Db) => ({
  byId: (id: number): RedemptionWithUser | undefined =>
    db
      .select(withUser)
      .from(redemptions)
      .leftJoin(users, eq(users.id, redemptions.usedUserId))
      .where(eq(redemptions.id, id))
      .get(),

  /** Newest first. */
  page(search: RedemptionSearch, offset: number, limit: number) {
    const where = terms.search(search);
    const items = db
      .select(withUser)
      .from(redemptions)
      .leftJoin(users, eq(users.id, redemptions.usedUserId))
      .where(where)
      .orderBy(desc(redemptions.id))
      .limit(limit)
      .offset(offset)
      .all();
    const total = db.select({ n: count() }).from(redemptions).where(where).get()!.n;
    return { items, total };
  },

  insert: (row: NewRedemption) => db.insert(redemptions).values(row).returning().get(),
  update: (id: number, patch: RedemptionPatch) => patchRow(db, redemptions, eq(redemptions.id, id), patch),
  delete: (id: number) =>
    db.delete(redemptions).where(eq(redemptions.id, id)).returning({ id: redemptions.id }).all().length,
  /** Used, disabled and expired codes; how many went. */
  deleteInvalid: (now: number) =>
    db.delete(redemptions).where(terms.invalid(now)).returning({ id: redemptions.id }).all().length,

  /** Marks the code used by `userId` if it is enabled and unexpired; the row, or undefined (nothing changed). */
  claim: (keyHash: string, userId: number, now: number) =>
    db
      .update(redemptions)
      .set({ status: used, usedUserId: userId, redeemedTime: now })
      .where(terms.claimable(keyHash, now))
      .returning()
      .get(),
});
