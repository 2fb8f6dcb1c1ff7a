// Channel health on PostgreSQL (store/pg/channel-health.ts) writes what SQLite's store writes: key states
// only on the key set they were learned on (no live key left: disabled automatically, never an admin's
// choice undone), health fields merged over the saved ones (a null removes one; text that is no JSON
// object taken as {}), nothing when a recovery bumped the epoch since, last_ok_at only moving forward,
// concurrent saves of one channel all kept, and the saved breaker cleared at a start.
import { beforeEach, expect, test } from "bun:test";
import type { KeyState } from "../../../src/core/snapshot";
import { KEY_STATUS } from "../../../src/core/status";
import { pgChannelHealthStore } from "../../../src/store/pg/channel-health";
import { describePg } from "../../support/postgres";
import { useStorePair } from "../../support/store-pair";

/** [id, health, epoch, status]: saved health of every kind, an admin-disabled channel (2) */
const CHANNELS: [number, string, number, number][] = [
  [1, "{}", 0, 1],
  [2, '{"breaker":"open","open_until":5000,"recent_failures":3,"last_error":"boom","last_ok_at":100}', 1, 1],
  [3, "", 0, 1],
  [4, "[1,2]", 0, 2],
  [5, "not json", 2, 1],
  [6, '{"last_ok_at":"soon","latency_p50_ms":40,"latency_samples":9}', 0, 1],
  [7, '{"last_ok_at":true,"last_error":null}', 0, 1],
];
const dead = (reason: string): KeyState => ({ status: KEY_STATUS.dead, reason, at: 1 });

describePg("channel health on PostgreSQL writes what SQLite's store writes", () => {
  const pair = useStorePair();
  const pg = () => pgChannelHealthStore(pair.pg.tx);
  const lite = () => pair.sqlite.stores.health;

  beforeEach(async () => {
    pair.sqlite.db.$client.run("DELETE FROM channels");
    await pair.pg.db.$client`DELETE FROM channels`;
    for (const [id, health, epoch, status] of CHANNELS) {
      const row = [id, `c${id}`, "http://up", `sealed-${id}`, health, epoch, status];
      pair.sqlite.db.$client.run(
        "INSERT INTO channels (id, name, base_url, keys_sealed, health, health_epoch, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
        row,
      );
      await pair.pg.db.$client.unsafe(
        "INSERT INTO channels (id, name, base_url, keys_sealed, health, health_epoch, status) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        row,
      );
    }
  });

  /** every channel's written columns, health parsed when it is an object (each database spells JSON its way) */
  async function expectSame() {
    const cols = "id, health, key_states, status, status_reason";
    type Row = {
      id: number | string;
      health: string;
      key_states: string;
      status: number | string;
      status_reason: string;
    };
    const shape = (rows: Row[]) =>
      rows.map((r) => ({
        id: Number(r.id),
        health: object(r.health) ?? r.health,
        keys: r.key_states,
        status: Number(r.status),
        reason: r.status_reason,
      }));
    const lite = shape(pair.sqlite.db.$client.query(`SELECT ${cols} FROM channels ORDER BY id`).all() as Row[]);
    expect(shape(await pair.pg.db.$client.unsafe(`SELECT ${cols} FROM channels ORDER BY id`))).toEqual(lite);
    return lite;
  }
  const object = (text: string) => {
    try {
      const v = JSON.parse(text);
      return v && typeof v === "object" && !Array.isArray(v) ? v : null;
    } catch {
      return null;
    }
  };
  const both = async (write: (s: ReturnType<typeof pg>) => Promise<unknown>) => {
    await write(lite() as ReturnType<typeof pg>);
    await write(pg());
  };

  test("health merged over the saved fields; nothing written under an older epoch", async () => {
    for (const [id, epoch] of [
      [1, 0],
      [2, 1],
      [2, 0],
      [3, 0],
      [4, 0],
      [5, 2],
      [5, 1],
      [6, 0],
    ])
      await both((s) => s.saveHealth(id, epoch, { breaker: "half_open", last_error: `e${id}`, last_error_at: 7 }));
    const rows = await expectSame();
    expect(rows[1].health).toMatchObject({ breaker: "half_open", open_until: 5000, last_error: "e2", last_ok_at: 100 });
    expect(rows[4].health).toEqual({ breaker: "half_open", last_error: "e5", last_error_at: 7 });
  });

  test("concurrent saves of one channel: every field kept", async () => {
    const saves = (s: ReturnType<typeof pg>) =>
      Promise.all([
        s.saveHealth(2, 1, { last_error: "a" }),
        s.saveHealth(2, 1, { recent_failures: 9 }),
        s.saveHealth(2, 1, { last_probe_ok: false, last_probe_at: 3 }),
        s.saveHealth(2, 0, { last_probe_error: "older epoch" }),
      ]);
    await both(saves);
    expect((await expectSame())[1].health).toMatchObject({ last_error: "a", recent_failures: 9, last_probe_ok: false });
  });

  test("latencies: a null median removes its fields, last_ok_at only moves forward, absent channels ignored", async () => {
    const rows = [
      { id: 1, p50: 120, samples: 30, lastOk: 50 },
      { id: 2, p50: 80, samples: 4, lastOk: 90 },
      { id: 3, p50: null, samples: 0, lastOk: 0 },
      { id: 5, p50: 10, samples: 1, lastOk: 10 },
      { id: 6, p50: null, samples: 5, lastOk: 60 },
      { id: 7, p50: 3, samples: 2, lastOk: 0 },
      { id: 99, p50: 1, samples: 1, lastOk: 1 },
    ];
    await both((s) => s.saveLatencies(rows, 1234));
    await both((s) => s.saveLatencies([], 1));
    const saved = await expectSame();
    expect(saved[1].health).toMatchObject({
      latency_p50_ms: 80,
      latency_samples: 4,
      latency_at: 1234,
      last_ok_at: 100,
    });
    expect(saved[5].health).toEqual({ last_ok_at: "soon", latency_at: 1234 });
  });

  test("key states: only on the same keys; none alive disables an enabled channel, not an admin-disabled one", async () => {
    await both((s) => s.saveKeyStates(1, "sealed-1", [{ status: KEY_STATUS.usable }, dead("401")], "401"));
    await both((s) => s.saveKeyStates(2, "sealed-2", [dead("a"), dead("b")], "invalid key"));
    await both((s) => s.saveKeyStates(3, "other keys", [dead("a")]));
    await both((s) => s.saveKeyStates(4, "sealed-4", [dead("a")], "x".repeat(600)));
    await both((s) => s.saveKeyStates(5, "sealed-5", [dead("a")]));
    const rows = await expectSame();
    expect(rows.map((r) => r.status)).toEqual([1, 3, 1, 2, 3, 1, 1]);
    expect(rows[1].reason).toContain("last: invalid key");
  });

  test("a start clears the saved breakers and keeps the rest; cells that are no object stay", async () => {
    await both((s) => s.clearSavedBreakers());
    const rows = await expectSame();
    expect(rows[1].health).toEqual({ last_error: "boom", last_ok_at: 100 });
    expect(rows.map((r) => r.health)).toContainEqual("not json");
  });
});
