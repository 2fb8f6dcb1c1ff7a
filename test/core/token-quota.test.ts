// The token quota rule without a database (issue 10 item 16): what a new token's quota fields become,
// and which edits would leave a token that can never call.
import { expect, test } from "bun:test";
import { editedTokenQuota, newTokenQuota, type QuotaInput } from "../../src/core/token-quota";
import { renderText } from "../../src/errors";

test("a new token: left out → unlimited, a quota alone → limited, both → as sent, limited at 0 → refused", () => {
  const cases: [QuotaInput, unknown][] = [
    [{}, { remain_quota: 0, unlimited_quota: true }],
    [{ remain_quota: 7 }, { remain_quota: 7, unlimited_quota: false }],
    [{ unlimited_quota: true }, { remain_quota: 0, unlimited_quota: true }],
    [
      { remain_quota: 0, unlimited_quota: true },
      { remain_quota: 0, unlimited_quota: true },
    ],
    [
      { remain_quota: 500_000, unlimited_quota: false },
      { remain_quota: 500_000, unlimited_quota: false },
    ],
    [
      { remain_quota: 500_000, unlimited_quota: true },
      { remain_quota: 500_000, unlimited_quota: true },
    ],
    [{ remain_quota: 0 }, { field: "remain_quota" }],
    [{ remain_quota: 0, unlimited_quota: false }, { field: "remain_quota" }],
    [{ unlimited_quota: false }, { field: "unlimited_quota" }],
  ];
  for (const [input, want] of cases) expect([input, newTokenQuota(input)]).toMatchObject([input, want as object]);
  const refused = newTokenQuota({ remain_quota: 0 });
  expect("message" in refused && renderText(refused.message)).toContain("make it unlimited");
});

test("an edit: unlimited → limited at 0 is refused; a limited token may go to 0 or stay there", () => {
  const unlimited = { remain_quota: 0, unlimited_quota: true };
  const limited = { remain_quota: 10, unlimited_quota: false };
  const dry = { remain_quota: 0, unlimited_quota: false };
  expect(editedTokenQuota(unlimited, { unlimited_quota: false })?.field).toBe("remain_quota");
  expect(editedTokenQuota(unlimited, { unlimited_quota: false, remain_quota: 0 })?.field).toBe("remain_quota");
  expect(editedTokenQuota(unlimited, { unlimited_quota: false, remain_quota: 1 })).toBeNull();
  expect(editedTokenQuota(unlimited, { remain_quota: 0 })).toBeNull();
  expect(editedTokenQuota(unlimited, {})).toBeNull();
  expect(editedTokenQuota(limited, { remain_quota: 0 })).toBeNull();
  expect(editedTokenQuota(dry, { remain_quota: 0, unlimited_quota: false })).toBeNull();
  expect(editedTokenQuota(dry, {})).toBeNull();
});
