// A channel's state for people (core/channel-state.ts): an admin's disable first, then an automatic
// disable with its reason, a low upstream balance, an open or half-open breaker, else enabled.
import { expect, test } from "bun:test";
import { channelState, type StateInput } from "../../src/core/channel-state";
import { CHANNEL_STATUS } from "../../src/core/status";

const base: StateInput = {
  status: CHANNEL_STATUS.enabled,
  statusReason: "",
  breaker: "closed",
  openUntil: 0,
  balance: { low: false, thresholdMicros: 0 },
};

test("enabled", () => {
  expect(channelState(base)).toEqual({ state: "enabled", detail: "enabled" });
});

test("disabled by an admin wins over everything else", () => {
  const s = channelState({
    ...base,
    status: CHANNEL_STATUS.disabled,
    breaker: "open",
    balance: { low: true, thresholdMicros: 1 },
  });
  expect(s).toEqual({ state: "admin_disabled", detail: "disabled by an admin" });
});

test("disabled automatically, with why", () => {
  expect(
    channelState({ ...base, status: CHANNEL_STATUS.autoDisabled, statusReason: "every key was rejected" }),
  ).toEqual({
    state: "auto_disabled",
    detail: "disabled automatically: every key was rejected",
  });
});

test("out of rotation for a low upstream balance: the amount and the threshold", () => {
  const s = channelState({
    ...base,
    breaker: "open",
    balance: { low: true, micros: -1_250_000, currency: "CNY", thresholdMicros: 5_000_000 },
  });
  expect(s).toEqual({
    state: "balance_low",
    detail: "out of rotation: upstream balance -1.25 CNY below the threshold 5",
  });
});

test("breaker open until when; half-open says the next call or test decides", () => {
  const until = Date.UTC(2026, 2, 20, 10, 30, 5);
  expect(channelState({ ...base, breaker: "open", openUntil: until })).toEqual({
    state: "breaker_open",
    detail: "breaker open until 2026-03-20T10:30:05Z",
  });
  expect(channelState({ ...base, breaker: "half_open" }).detail).toContain("half-open");
});
