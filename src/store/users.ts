// Users: the only code that reads or writes the users table.
import { and, count, eq, ne, sql } from "drizzle-orm";
import { USER_ROLE, USER_STATUS } from "../core/status";
import type { Db } from "../db/open";
import { users, type UserRow } from "../db/schema";
import { contains, patchRow } from "./sql-helpers";

export type NewUser = typeof users.$inferInsert;
export type UserPatch = Partial<
  Pick<
    UserRow,
    | "role"
    | "status"
    | "unlimited"
    | "passwordHash"
    | "accessTokenHash"
    | "alertThreshold"
    | "notifyType"
    | "webhookUrl"
    | "webhookSecretSealed"
    | "budgetPeriod"
    | "periodQuota"
    | "periodStart"
    | "language"
    | "currency"
    | "timeZone"
  >
>;

export const userStore = (db: Db) => ({
  byId: (id: number) => db.select().from(users).where(eq(users.id, id)).get(),
  byUsername: (username: string) => db.select().from(users).where(eq(users.username, username)).get(),
  byAccessTokenHash: (hash: string) => db.select().from(users).where(eq(users.accessTokenHash, hash)).get(),
  all: () => db.select().from(users).orderBy(users.id).all(),
  count: () => db.select({ n: count() }).from(users).get()!.n,

  page(offset: number, limit: number, keyword: string) {
    const where = keyword ? contains(users.username, keyword) : undefined;
    const items = db.select().from(users).where(where).orderBy(users.id).limit(limit).offset(offset).all();
    const total = db.select({ n: count() }).from(users).where(where).get()!.n;
    return { items, total };
  },

  insert: (row: NewUser) => db.insert(users).values(row).returning().get(),
  update: (id: number, patch: UserPatch) => patchRow(db, users, eq(users.id, id), patch),
  delete(id: number) {
    db.delete(users).where(eq(users.id, id)).run();
  },

  /** Enabled admins other than `exceptId`: the last one may not be demoted, disabled or deleted. */
  otherActiveAdmins: (exceptId: number) =>
    db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, USER_ROLE.admin), eq(users.status, USER_STATUS.enabled), ne(users.id, exceptId)))
      .get()!.n,

  /** Adds `delta` (may be negative) to the balance unless that would take it below zero. */
  addQuota: (id: number, delta: number) =>
    db
      .update(users)
      .set({ quota: sql`${users.quota} + ${delta}` })
      .where(and(eq(users.id, id), sql`${users.quota} + ${delta} >= 0`))
      .returning()
      .get(),
});
