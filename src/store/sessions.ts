// Console sessions: the cookie value is random; only its SHA-256 is stored.
import { and, eq, lt, ne } from "drizzle-orm";
import type { Db } from "../db/open";
import { sessions } from "../db/schema";

export const sessionStore = (db: Db) => ({
  insert(idHash: string, userId: number, expiresAt: number) {
    db.insert(sessions).values({ idHash, userId, expiresAt }).run();
  },
  get: (idHash: string) => db.select().from(sessions).where(eq(sessions.idHash, idHash)).get(),
  delete(idHash: string) {
    db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
  },
  /** Ends a user's sessions, except `keep` (the one making the change) when given. */
  deleteForUser(userId: number, keep?: string) {
    db.delete(sessions)
      .where(keep ? and(eq(sessions.userId, userId), ne(sessions.idHash, keep)) : eq(sessions.userId, userId))
      .run();
  },
  deleteExpired(now: number) {
    db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
  },
});
