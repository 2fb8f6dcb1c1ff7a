// Console sessions on PostgreSQL: the twin of store/sessions.ts (only the cookie's SHA-256 is stored).
import { and, eq, lt, ne } from "drizzle-orm";
import { sessions } from "../../db/pg/schema";
import type { Stores } from "../stores";
import type { PgTx } from "./pg-tx";

export const pgSessionStore = (tx: PgTx) =>
  ({
    async insert(idHash: string, userId: number, expiresAt: number) {
      await tx.db().insert(sessions).values({ idHash, userId, expiresAt });
    },
    get: async (idHash: string) => (await tx.db().select().from(sessions).where(eq(sessions.idHash, idHash)))[0],
    async delete(idHash: string) {
      await tx.db().delete(sessions).where(eq(sessions.idHash, idHash));
    },
    /** Ends a user's sessions, except `keep` (the one making the change) when given. */
    async deleteForUser(userId: number, keep?: string) {
      await tx
        .db()
        .delete(sessions)
        .where(keep ? and(eq(sessions.userId, userId), ne(sessions.idHash, keep)) : eq(sessions.userId, userId));
    },
    async deleteExpired(now: number) {
      await tx.db().delete(sessions).where(lt(sessions.expiresAt, now));
    },
  }) satisfies Stores["sessions"];
