// Users on PostgreSQL: the twin of store/users.ts, answering what it answers; a balance read includes what
// instances hold of it in leases (leased-balance.ts).
import { and, count, eq, ne, sql } from "drizzle-orm";
import { USER_ROLE, USER_STATUS } from "../../core/status";
import { users } from "../../db/pg/schema";
import type { Stores } from "../stores";
import type { NewUser, UserPatch } from "../users";
import type { PgTx } from "./pg-tx";
import { userColumns } from "./leased-balance";
import { contains, patchRow } from "./sql-helpers";
import { endLeases } from "./budget-rolls";

export const pgUserStore = (tx: PgTx) =>
  ({
    byId: async (id: number) => (await tx.db().select(userColumns).from(users).where(eq(users.id, id)))[0],
    byUsername: async (username: string) =>
      (await tx.db().select(userColumns).from(users).where(eq(users.username, username)))[0],
    byAccessTokenHash: async (hash: string) =>
      (await tx.db().select(userColumns).from(users).where(eq(users.accessTokenHash, hash)))[0],
    all: async () => tx.db().select(userColumns).from(users).orderBy(users.id),
    count: async () => (await tx.db().select({ n: count() }).from(users))[0]!.n,

    async page(offset: number, limit: number, keyword: string) {
      const where = keyword ? contains(users.username, keyword) : undefined;
      const items = await tx
        .db()
        .select(userColumns)
        .from(users)
        .where(where)
        .orderBy(users.id)
        .limit(limit)
        .offset(offset);
      const [{ n: total }] = await tx.db().select({ n: count() }).from(users).where(where);
      return { items, total };
    },

    insert: async (row: NewUser) => (await tx.db().insert(users).values(row).returning(userColumns))[0]!,
    /** A budget period restarted by the edit ends the old period's leases first (budget-rolls.ts). */
    async update(id: number, patch: UserPatch) {
      if (patch.periodStart !== undefined) await endLeases(tx.db(), "user", id);
      return patchRow(tx.db(), users, eq(users.id, id), patch, userColumns);
    },
    async delete(id: number) {
      await tx.db().delete(users).where(eq(users.id, id));
    },

    /** Enabled admins other than `exceptId`: the last one may not be demoted, disabled or deleted. */
    otherActiveAdmins: async (exceptId: number) =>
      (
        await tx
          .db()
          .select({ n: count() })
          .from(users)
          .where(and(eq(users.role, USER_ROLE.admin), eq(users.status, USER_STATUS.enabled), ne(users.id, exceptId)))
      )[0]!.n,

    /** Adds `delta` (may be negative) to the balance unless that would take it below zero. */
    addQuota: async (id: number, delta: number) =>
      (
        await tx
          .db()
          .update(users)
          .set({ quota: sql`${users.quota} + ${delta}` })
          .where(and(eq(users.id, id), sql`${users.quota} + ${delta} >= 0`))
          .returning(userColumns)
      )[0],
  }) satisfies Stores["users"];
