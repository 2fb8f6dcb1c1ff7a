// The alert send log: one row per alert sent (created "sending", then delivered or failed with its
// attempts and last error), read for the limit (recent sends of a kind to a target) and shown in the
// console (the last 50, a user's own or everyone's).
import { and, asc, desc, eq, gt, isNull, ne } from "drizzle-orm";
import type { Db } from "../db/open";
import { type AlertSendRow, alertSends, users } from "../db/schema";

export type NewSend = {
  kind: string;
  userId: number | null;
  subject: string;
  destination: string;
  host: string;
  title: string;
  /** unix s, on the process's clock (services/clock.ts) */
  createdAt: number;
};

export const alertStore = (db: Db) => ({
  start(s: NewSend): number {
    return db.insert(alertSends).values(s).returning({ id: alertSends.id }).get().id;
  },
  finish(id: number, status: "delivered" | "failed" | "suppressed", attempts: number, lastError: string) {
    db.update(alertSends)
      .set({ status, attempts, lastError: lastError.slice(0, 500) })
      .where(eq(alertSends.id, id))
      .run();
  },
  /** Times of the sends of `kind` to this target (a user, or the admin about `subject`) since `since`
   * (those the limit held back do not count), oldest first. */
  sentSince(kind: string, userId: number | null, subject: string, since: number) {
    const who = userId === null ? isNull(alertSends.userId) : eq(alertSends.userId, userId);
    return db
      .select({ kind: alertSends.kind, at: alertSends.createdAt })
      .from(alertSends)
      .where(
        and(
          eq(alertSends.kind, kind),
          who,
          eq(alertSends.subject, subject),
          gt(alertSends.createdAt, since),
          ne(alertSends.status, "suppressed"),
        ),
      )
      .orderBy(asc(alertSends.createdAt), asc(alertSends.id))
      .all();
  },
  /** The latest sends, newest first: a user's own (userId), or everyone's (undefined) with user names. */
  recent(userId: number | undefined, limit = 50): (AlertSendRow & { username: string | null })[] {
    return db
      .select({ row: alertSends, username: users.username })
      .from(alertSends)
      .leftJoin(users, eq(users.id, alertSends.userId))
      .where(userId === undefined ? undefined : eq(alertSends.userId, userId))
      .orderBy(desc(alertSends.id))
      .limit(limit)
      .all()
      .map((r) => ({ ...r.row, username: r.username }));
  },
});
