// Redemption codes on PostgreSQL: the twin of store/redemptions.ts, with the same WHERE terms
// (redemptionTerms). The redeeming UPDATE is conditional, so of concurrent redeems one claims the code.
import { count, desc, eq, getTableColumns, sql } from "drizzle-orm";
import { REDEMPTION_STATUS } from "../../core/status";
import { redemptions, users } from "../../db/pg/schema";
import { type NewRedemption, type RedemptionPatch, type RedemptionSearch, redemptionTerms } from "../redemptions";
import type { Stores } from "../stores";
import type { PgTx } from "./pg-tx";
import { patchRow } from "./sql-helpers";

const withUser = { ...getTableColumns(redemptions), usedUsername: sql<string>`coalesce(${users.username}, '')` };
/** SQLite's LIKE exactly: ASCII letters folded on both sides, and only those (ILIKE would fold É to é too). */
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const fold = (v: unknown) => sql`translate(${v}, ${sql.raw(`'${UPPER}', '${UPPER.toLowerCase()}'`)})`;
const terms = redemptionTerms(redemptions, (column, pattern) => sql`${fold(column)} LIKE ${fold(pattern)} ESCAPE '\\'`);

export const pgRedemptionStore = (tx: PgTx) => {
  const withUsers = () =>
    tx.db().select(withUser).from(redemptions).leftJoin(users, eq(users.id, redemptions.usedUserId));
  return {
    byId: async (id: number) => (await withUsers().where(eq(redemptions.id, id)))[0],

    /** Newest first. */
    async page(search: RedemptionSearch, offset: number, limit: number) {
      const where = terms.search(search);
      const items = await withUsers().where(where).orderBy(desc(redemptions.id)).limit(limit).offset(offset);
      const [{ n: total }] = await tx.db().select({ n: count() }).from(redemptions).where(where);
      return { items, total };
    },

    insert: async (row: NewRedemption) => (await tx.db().insert(redemptions).values(row).returning())[0]!,
    update: (id: number, patch: RedemptionPatch) => patchRow(tx.db(), redemptions, eq(redemptions.id, id), patch),
    delete: async (id: number) =>
      (await tx.db().delete(redemptions).where(eq(redemptions.id, id)).returning({ id: redemptions.id })).length,
    /** Used, disabled and expired codes; how many went. */
    deleteInvalid: async (now: number) =>
      (await tx.db().delete(redemptions).where(terms.invalid(now)).returning({ id: redemptions.id })).length,

    /** Marks the code used by `userId` if it is enabled and unexpired; the row, or undefined (nothing changed). */
    claim: async (keyHash: string, userId: number, now: number) =>
      (
        await tx
          .db()
          .update(redemptions)
          .set({ status: REDEMPTION_STATUS.used, usedUserId: userId, redeemedTime: now })
          .where(terms.claimable(keyHash, now))
          .returning()
      )[0],
  } satisfies Stores["redemptions"];
};
