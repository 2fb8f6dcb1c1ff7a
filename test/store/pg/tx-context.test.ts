// Work a transaction starts without awaiting it (a timer, an alert queued inside it) runs after the
// transaction ended: its store calls must go to the pool, not to the finished transaction. On SQLite they
// must not wait for it either. (An alert queued inside a channel's balance save never went out on
// PostgreSQL before this.)
import { expect, test } from "bun:test";
import { pgUserStore } from "../../../src/store/pg/users";
import { describePg } from "../../support/postgres";
import { useStorePair } from "../../support/store-pair";

describePg("a transaction's context", () => {
  const pair = useStorePair();

  /** Inside `run`, starts a timer that counts users after the transaction has ended. */
  const later = (run: (body: () => Promise<void>) => Promise<void>, count: () => Promise<number>) =>
    new Promise<number>((resolve, reject) =>
      run(async () => {
        setTimeout(() => count().then(resolve, reject), 0);
      }),
    );

  test("a timer started inside a PostgreSQL transaction runs on the pool after it", async () => {
    const users = pgUserStore(pair.pg.tx);
    expect(
      await later(
        (b) => pair.pg.tx.run(b),
        () => users.count(),
      ),
    ).toBe(0);
  });

  test("and on SQLite it runs at once after it, outside", async () => {
    expect(
      await later(
        (b) => pair.sqlite.tx.run(b),
        () => pair.sqlite.stores.users.count(),
      ),
    ).toBe(0);
    expect(pair.sqlite.tx.inside).toBe(false);
  });
});
