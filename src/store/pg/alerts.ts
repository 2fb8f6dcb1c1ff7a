// The alert send log on PostgreSQL: the twin of store/alerts.ts (one row per alert sent, read for the
// limit and shown in the console).
import { and, asc, desc, eq, gt, isNull, ne } from "drizzle-orm";
import { alertSends, users } from "../../db/pg/schema";
import type { NewSend } from "../alerts";
import type { Stores } from "../stores";
import type { PgTx } from "./pg-tx";

export const pgAlertStore = (tx: PgTx) =>
  ({
    async start(s: NewSend) {
      const [row] = await tx.db().insert(alertSends).values(s).returning({ id: alertSends.id });
      return row!.id;
    },
    async finish(id: number, status: "delivered" | "failed" | "suppressed", attempts: number, lastError: string) {
      await tx
        .db()
        .update(alertSends)
        .set({ status, attempts, lastError: lastError.slice(0, 500) })
        .where(eq(alertSends.id, id));
    },
    /** Times of the sends of `kind` to this target since `since` (suppressed ones do not count), oldest first. */
    sentSince: async (kind: string, userId: number | null, subject: string, since: number) =>
      await tx
        .db()
        .select({ kind: alertSends.kind, at: alertSends.createdAt })
        .from(alertSends)
        .where(
          and(
            eq(alertSends.kind, kind),
            userId === null ? isNull(alertSends.userId) : eq(alertSends.userId, userId),
            eq(alertSends.subject, subject),
            gt(alertSends.createdAt, since),
            ne(alertSends.status, "suppressed"),
          ),
        )
        .orderBy(asc(alertSends.createdAt), asc(alertSends.id)),
    /** The latest sends, newest first: a user's own (userId), or everyone's (undefined) with user names. */
    async recent(userId: number | undefined, limit = 50) {
      const rows = await tx
        .db()
        .select({ row: alertSends, username: users.username })
        .from(alertSends)
        .leftJoin(users, eq(users.id, alertSends.userId))
        .where(userId === undefined ? undefined : eq(alertSends.userId, userId))
        .orderBy(desc(alertSends.id))
        .limit(limit);
      return rows.map((r) => ({ ...r.row, username: r.username }));
    },
  }) satisfies Stores["alerts"];
