// Token rules without a database: derived status, list normalisation, fallback checks, snapshot.
import { expect, test } from "bun:test";
import { BREAKER_DEFAULTS } from "../../src/core/breaker";
import { buildSnapshot } from "../../src/core/snapshot";
import { badIpEntry, effectiveStatus, fallbackProblem, normalizeList } from "../../src/core/token-rules";
import { renderText } from "../../src/errors";
import { TOKEN_STATUS } from "../../src/core/status";
import type { TokenRow } from "../../src/db/schema";

const now = 1_800_000_000;
const base = { status: TOKEN_STATUS.enabled, expiredTime: -1, unlimitedQuota: false, remainQuota: 10 };

test("status: disabled wins, then expired, then exhausted", () => {
  expect(effectiveStatus(base, now)).toBe(TOKEN_STATUS.enabled);
  expect(effectiveStatus({ ...base, status: TOKEN_STATUS.disabled, expiredTime: now - 1 }, now)).toBe(
    TOKEN_STATUS.disabled,
  );
  expect(effectiveStatus({ ...base, expiredTime: now }, now)).toBe(TOKEN_STATUS.expired);
  expect(effectiveStatus({ ...base, expiredTime: now + 1 }, now)).toBe(TOKEN_STATUS.enabled);
  expect(effectiveStatus({ ...base, remainQuota: 0 }, now)).toBe(TOKEN_STATUS.exhausted);
  expect(effectiveStatus({ ...base, remainQuota: 0, unlimitedQuota: true }, now)).toBe(TOKEN_STATUS.enabled);
  expect(effectiveStatus({ ...base, remainQuota: 0, expiredTime: now - 5 }, now)).toBe(TOKEN_STATUS.expired);
});

test("lists come as arrays or comma/newline strings and leave trimmed and unique", () => {
  expect(normalizeList(" a, b ,,a\nc ")).toEqual(["a", "b", "c"]);
  expect(normalizeList(["x", " y", "x", ""])).toEqual(["x", "y"]);
  expect(normalizeList("")).toEqual([]);
  expect(normalizeList(null)).toEqual([]);
});

test("fallback groups: at most two, distinct, not the default group, existing", () => {
  const exists = (g: string) => ["default", "a", "b", "c"].includes(g);
  /** the problem in English, as the API says it */
  const problem = (group: string, fallback: string[], ok: typeof exists) => {
    const p = fallbackProblem(group, fallback, ok);
    return p && renderText(p);
  };
  expect(problem("default", [], exists)).toBeNull();
  expect(problem("default", ["a", "b"], exists)).toBeNull();
  expect(problem("default", ["a", "b", "c"], exists)).toContain("at most 2");
  expect(problem("a", ["a"], exists)).toContain("already the default");
  expect(problem("default", ["a", "a"], exists)).toContain("differ");
  expect(problem("default", ["zz"], exists)).toContain('"zz" does not exist');
});

test("the first bad allowlist entry is named", () => {
  expect(badIpEntry(["10.0.0.0/8", "::1"])).toBeNull();
  expect(badIpEntry(["10.0.0.0/8", "office", "1.1.1.1"])).toBe("office");
});

test("the snapshot indexes tokens by hash with parsed lists and no sealed key", () => {
  const token = {
    id: 1,
    userId: 7,
    name: "t",
    keyHash: "h1",
    keySealed: "SEALED",
    keyMask: "sk-x…y",
    status: 1,
    remainQuota: 0,
    unlimitedQuota: true,
    usedQuota: 0,
    expiredTime: -1,
    billingMode: "usage_first",
    group: "default",
    fallbackGroups: '["a"]',
    models: '["gpt-4o"]',
    allowIps: '["10.0.0.0/8"]',
    requestCount: 0,
    createdTime: 0,
    accessedTime: 0,
  } as TokenRow;
  const snap = buildSnapshot(
    {
      tokens: [token],
      users: [],
      groups: [],
      channels: [],
      prices: [],
      relay: {
        maxAttempts: 4,
        trustedProxies: [],
        breaker: BREAKER_DEFAULTS,
        bodyTimeoutMs: 30_000,
        managementBodyBytes: 1 << 20,
        minOutputTokens: 16,
        budgetTimezone: "UTC",
      },
    },
    (s) => s,
  );
  const entry = snap.tokensByHash.get("h1")!;
  expect(entry.models.has("gpt-4o")).toBe(true);
  expect(entry.fallbackGroups).toEqual(["a"]);
  expect(entry.allowIps).toHaveLength(1);
  expect("keySealed" in entry).toBe(false);
});
