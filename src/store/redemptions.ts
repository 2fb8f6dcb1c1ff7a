// Redemption codes: the only code that reads or writes the redemptions table. The redeeming UPDATE is
// conditional (status enabled, not expired), so of any number of concurrent redeems one claims the code.
import { and, count, desc, eq, getTableColumns, inArray, ne, or, sql, type SQL } from "drizzle-orm";
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
const expired = (now: number) => and(ne(redemptions.expiredTime, 0), sql`${redemptions.expiredTime} <= ${now}`);
const unexpired = (now: number) => or(eq(redemptions.expiredTime, 0), sql`${redemptions.expiredTime} > ${now}`);

function searchWhere(s: RedemptionSearch): SQL | undefined {
  const parts: (SQL | undefined)[] = [];
  if (s.keyword) {
    const prefix = `${s.keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(
      or(
        sql`${redemptions.name} LIKE ${prefix} ESCAPE '\\'`,
        s.id ? eq(redemptions.id, s.id) : undefined,
        s.keyHash ? eq(redemptions.keyHash, s.keyHash) : undefined,
      ),
    );
  }
  if (s.status === "expired") parts.push(and(eq(redemptions.status, enabled), expired(s.now)));
  else if (s.status === String(enabled)) parts.push(and(eq(redemptions.status, enabled), unexpired(s.now)));
  else if (s.status) parts.push(eq(redemptions.status, Number(s.status)));
  const all = parts.filter((p): p is SQL => p !== undefined);
  return all.length ? and(...all) : undefined;
}

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
    const where = searchWhere(search);
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
    db
      .delete(redemptions)
      .where(or(inArray(redemptions.status, [used, disabled]), and(eq(redemptions.status, enabled), expired(now))))
      .returning({ id: redemptions.id })
      .all().length,

  /** Marks the code used by `userId` if it is enabled and unexpired; the row, or undefined (nothing changed). */
  claim: (keyHash: string, userId: number, now: number) =>
    db
      .update(redemptions)
      .set({ status: used, usedUserId: userId, redeemedTime: now })
      .where(and(eq(redemptions.keyHash, keyHash), eq(redemptions.status, enabled), unexpired(now)))
      .returning()
      .get(),
});
