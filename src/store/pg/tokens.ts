// Tokens (sk- keys) on PostgreSQL: the twin of store/tokens.ts, answering what it answers; a balance read
// includes what instances hold of it in leases, and one set is the whole balance (leased-balance.ts).
import { and, count, desc, eq, type SQL } from "drizzle-orm";
import { tokens, users } from "../../db/pg/schema";
import type { Stores } from "../stores";
import type { NewToken, TokenPatch, TokenWithOwner } from "../tokens";
import type { PgTx } from "./pg-tx";
import { heldByInstances, tokenBalanceTo, tokenColumns } from "./leased-balance";
import { contains, patchRow } from "./sql-helpers";
import { endLeases } from "./budget-rolls";
import { definedOnly } from "../sql-helpers";

const withOwner = { ...tokenColumns, username: users.username };

export const pgTokenStore = (tx: PgTx) =>
  ({
    byId: async (id: number): Promise<TokenWithOwner | undefined> =>
      (
        await tx
          .db()
          .select(withOwner)
          .from(tokens)
          .innerJoin(users, eq(users.id, tokens.userId))
          .where(eq(tokens.id, id))
      )[0],
    all: async () => tx.db().select(tokenColumns).from(tokens).orderBy(tokens.id),
    countForUser: async (userId: number) =>
      (await tx.db().select({ n: count() }).from(tokens).where(eq(tokens.userId, userId)))[0]!.n,
    nameTaken: async (userId: number, name: string) =>
      (
        await tx
          .db()
          .select({ id: tokens.id })
          .from(tokens)
          .where(and(eq(tokens.userId, userId), eq(tokens.name, name)))
          .limit(1)
      ).length > 0,

    /** Newest first; `userId` null lists every user's tokens (admins). */
    async page(userId: number | null, keyword: string, offset: number, limit: number) {
      const filters: SQL[] = [];
      if (userId !== null) filters.push(eq(tokens.userId, userId));
      if (keyword) filters.push(contains(tokens.name, keyword));
      const where = filters.length ? and(...filters) : undefined;
      const items = await tx
        .db()
        .select(withOwner)
        .from(tokens)
        .innerJoin(users, eq(users.id, tokens.userId))
        .where(where)
        .orderBy(desc(tokens.id))
        .limit(limit)
        .offset(offset);
      const [{ n: total }] = await tx.db().select({ n: count() }).from(tokens).where(where);
      return { items, total };
    },

    insert: async (row: NewToken) => (await tx.db().insert(tokens).values(row).returning(tokenColumns))[0]!,
    /** A balance given is the whole one: refused while leases hold more of it (leased-balance.ts). */
    async update(id: number, patch: TokenPatch) {
      const { remainQuota, ...rest } = patch;
      // a budget period restarted by the edit ends the old period's leases first (budget-rolls.ts)
      if (patch.periodStart !== undefined) await endLeases(tx.db(), "token", id);
      if (remainQuota === undefined) return patchRow(tx.db(), tokens, eq(tokens.id, id), rest, tokenColumns);
      const to = tokenBalanceTo(remainQuota);
      const [row] = await tx
        .db()
        .update(tokens)
        .set({ ...definedOnly(rest), remainQuota: to.set })
        .where(and(eq(tokens.id, id), to.allowed))
        .returning(tokenColumns);
      if (row) return row;
      if (await this.byId(id)) throw heldByInstances(id);
      return undefined;
    },
    async delete(id: number) {
      await tx.db().delete(tokens).where(eq(tokens.id, id));
    },
  }) satisfies Stores["tokens"];
