// Console sessions: the cookie value is random; only its SHA-256 is stored.
import { eq, lt } from "drizzle-orm";
import type { Db } from "../db/open";
import { sessions } from "../db/schema";

export const sessionStore = (db: Db) => ({
  insert: (idHash: string, userId: number, expiresAt: number) => db.insert(sessions).values({ idHash, userId, expiresAt }).run(),
  get: (idHash: string) => db.select().from(sessions).where(eq(sessions.idHash, idHash)).get(),
  delete: (idHash: string) => db.delete(sessions).where(eq(sessions.idHash, idHash)).run(),
  deleteForUser: (userId: number) => db.delete(sessions).where(eq(sessions.userId, userId)).run(),
  deleteExpired: (now: number) => db.delete(sessions).where(lt(sessions.expiresAt, now)).run(),
});
