// The PostgreSQL twins of the console's reads answer what SQLite's answer, from the same rows written
// through each database's ledger: the daily rollups' sums, days, models and names (store/pg/usage.ts),
// and the logs' keyset pages, sums and latest rows (store/pg/log-browse.ts), bounded walks included.
import { beforeAll, expect, test } from "bun:test";
import { LOG_TYPE } from "../../../src/core/status";
import type { Cursor } from "../../../src/store/log-browse";
import type { LogFilter } from "../../../src/store/logs";
import { pgLogBrowseStore } from "../../../src/store/pg/log-browse";
import { pgUsageStore } from "../../../src/store/pg/usage";
import type { UsageFilter } from "../../../src/store/rollups";
import { describePg } from "../../support/postgres";
import { fillBoth, languageOrder, sameOnBoth, T0 } from "../../support/read-rows";
import { useStorePair } from "../../support/store-pair";

const DAY_MS = 86_400_000;
const day = (n: number) => new Date(T0 + n * DAY_MS).toISOString().slice(0, 10);

describePg("the read stores on PostgreSQL answer as SQLite's", () => {
  const pair = useStorePair();
  const same = sameOnBoth(pair);
  beforeAll(async () => {
    await languageOrder(pair, "usage_daily", ["model", "group"]);
    await fillBoth(pair);
  });
  const lite = () => pair.sqlite.stores;

  test("usage: sums over every filter (no rows: zeros), per day, per model, days, per user and model, names", async () => {
    const pg = pgUsageStore(pair.pg.tx);
    const filters: UsageFilter[] = [
      { userId: 1 },
      { userId: 1, fromDay: day(1) },
      { userId: 1, fromDay: day(0), toDay: day(1) },
      { userId: 2, model: "Claude-y", group: "vip" },
      { userId: 1, group: "" },
      { userId: 1, tokenIds: [11] },
      { userId: 1, tokenIds: [11, 12], type: LOG_TYPE.error },
      { userId: 1, tokenIds: [] },
      { userId: 99 },
      { userId: 3, fromDay: day(5) },
    ];
    for (const f of filters)
      await same(
        () => lite().usage.sums(f),
        () => pg.sums(f),
      );
    expect((await lite().usage.sums({ userId: 1 })).calls).toBeGreaterThan(5000);
    expect(await pg.sums({ userId: 99 })).toEqual({ calls: 0, prompt: 0, cached: 0, completion: 0, quota: 0 });
    for (const [user, from] of [
      [1, day(0)],
      [2, day(1)],
      [99, day(0)],
    ] as const) {
      await same(
        () => lite().usage.perDay(user, from),
        () => pg.perDay(user, from),
      );
      for (const limit of [1, 2, 10])
        await same(
          () => lite().usage.perModel(user, from, limit),
          () => pg.perModel(user, from, limit),
        );
    }
    expect(
      (
        await same(
          () => lite().usage.days(),
          () => pg.days(),
        )
      ).length,
    ).toBe(4);
    for (const [from, to] of [[day(1)], [undefined, day(1)], [day(1), day(1)], [day(4)]] as const)
      await same(
        () => lite().usage.days(from, to),
        () => pg.days(from, to),
      );
    for (const d of [day(0), day(2), day(9)])
      await same(
        () => lite().usage.perUserModel(d),
        () => pg.perUserModel(d),
      );
    for (const [user, limit] of [[1], [3], [99], [1, 2]] as const)
      await same(
        () => lite().usage.names(user, limit),
        () => pg.names(user, limit),
      );
  });

  /** the pages of `f` older and older from the newest (at most `pages`), then newer back from the last */
  async function pages(f: LogFilter, limit: number, pages: number) {
    const pg = pgLogBrowseStore(pair.pg.tx);
    const ids: number[][] = [];
    const go = async (cursor: Cursor) => {
      const p = await same(
        () => lite().logBrowse.page(f, cursor, limit),
        () => pg.page(f, cursor, limit),
      );
      ids.push(p.rows.map((r) => r.id));
      if (p.more && p.rows.length < limit) stopped++;
      return p;
    };
    let cursor: Cursor = {};
    for (let n = 0; n < pages; n++) {
      const p = await go(cursor);
      if (!p.more) break;
      cursor = { before: p.next };
    }
    const last = ids.flat().at(-1);
    if (last !== undefined) {
      cursor = { after: last };
      for (let n = 0; n < pages; n++) {
        const p = await go(cursor);
        if (!p.more) break;
        cursor = { after: p.next };
      }
    }
    return ids;
  }
  /** pages whose walk stopped at WALK_ROWS (fewer rows than asked, and more to come) */
  let stopped = 0;

  const hours = (h: number) => T0 + h * 3_600_000;
  const FILTERS: LogFilter[] = [
    { userId: 1 },
    {},
    { userId: 1, model: "rare" },
    { userId: 1, group: "vip" },
    { userId: 1, group: "" },
    { userId: 1, type: LOG_TYPE.topup },
    { userId: 1, type: LOG_TYPE.error },
    { userId: 1, endpoint: "videos" },
    { userId: 1, tokenName: "t11", model: "gpt-x" },
    { tokenName: "t21" },
    { userId: 1, requestId: "req-40" },
    { userId: 1, from: hours(3), to: hours(30) },
    { userId: 2, from: hours(-1), to: hours(5), model: "a_b%" },
    { from: hours(20) },
    { userId: 99 },
  ];

  test("logs: pages of each filter, older then newer, with time ranges and ties of created_at", async () => {
    for (const f of FILTERS) await pages(f, 7, 3);
    expect((await pages({ userId: 1, from: hours(3), to: hours(30) }, 7, 3)).flat().length).toBeGreaterThan(20);
  });

  test("logs: a walk that stops at WALK_ROWS goes on from the same row on both", async () => {
    stopped = 0;
    for (const f of [
      { userId: 1, group: "vip" },
      { userId: 1, from: hours(0), model: "rare" },
    ])
      expect((await pages(f, 400, 10)).flat().length).toBeGreaterThan(0);
    expect(stopped).toBeGreaterThan(1);
  });

  test("logs: sums of a filter's rows of some types (none: zeros), and a user's latest rows", async () => {
    const pg = pgLogBrowseStore(pair.pg.tx);
    const calls = [LOG_TYPE.consume, LOG_TYPE.error];
    for (const f of FILTERS.filter((f) => f.userId !== undefined) as (LogFilter & { userId: number })[])
      for (const types of [calls, [LOG_TYPE.topup], [LOG_TYPE.system, LOG_TYPE.admin]])
        await same(
          () => lite().logBrowse.sums(f, types),
          () => pg.sums(f, types),
        );
    expect((await pg.sums({ userId: 1 }, calls)).rows).toBeGreaterThan(5000);
    for (const [user, limit] of [
      [1, 50],
      [3, 5],
      [99, 5],
    ])
      await same(
        () => lite().logBrowse.latest(user, limit),
        () => pg.latest(user, limit),
      );
  });
});
