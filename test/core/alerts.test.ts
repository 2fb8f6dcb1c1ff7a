// The pure alert rules (core/alerts.ts): a crossing is from at-or-above to below a threshold (0 = off),
// the limit counts only the same kind within the window, retries wait 1 s then 5 s, the message and
// each destination's body, the signature, the host kept for the log, and when a breaker alert is due.
import { describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import {
  ALERT_ATTEMPTS,
  type AlertDetail,
  balanceLowMessage,
  belowThreshold,
  breakerAlertDue,
  channelMessage,
  crossedBelow,
  hostOf,
  requestBody,
  retryDelayMs,
  shouldSend,
  webhookSignature,
} from "../../src/core/alerts";
import { currency } from "../../src/core/display-money";
import { translator } from "../../src/i18n";

describe("crossing the threshold", () => {
  test("from at or above to below, and nothing else", () => {
    expect(crossedBelow(1000, 999, 1000)).toBe(true);
    expect(crossedBelow(5000, 0, 1000)).toBe(true);
    expect(crossedBelow(999, 500, 1000)).toBe(false); // was below already
    expect(crossedBelow(2000, 1000, 1000)).toBe(false); // at the threshold is not below
    expect(crossedBelow(500, 2000, 1000)).toBe(false); // going up
    expect(crossedBelow(1000, 0, 0)).toBe(false); // 0 = no alert
  });

  test("the banner: below a set threshold, never for an unlimited account", () => {
    expect(belowThreshold({ quota: 10, unlimited: false, alertThreshold: 11 })).toBe(true);
    expect(belowThreshold({ quota: 11, unlimited: false, alertThreshold: 11 })).toBe(false);
    expect(belowThreshold({ quota: 0, unlimited: false, alertThreshold: 0 })).toBe(false);
    expect(belowThreshold({ quota: 0, unlimited: true, alertThreshold: 11 })).toBe(false);
  });
});

describe("the limit", () => {
  const day = { count: 1, windowSeconds: 86_400 };
  test("N per window of the same kind; older sends and other kinds do not count", () => {
    expect(shouldSend("balance_low", [], 1000, day)).toBe(true);
    expect(shouldSend("balance_low", [{ kind: "balance_low", at: 900 }], 1000, day)).toBe(false);
    expect(shouldSend("balance_low", [{ kind: "balance_low", at: 1000 - 86_400 }], 1000, day)).toBe(true);
    expect(shouldSend("balance_low", [{ kind: "breaker_open", at: 999 }], 1000, day)).toBe(true);
    const two = { count: 2, windowSeconds: 600 };
    expect(shouldSend("channel_disabled", [{ kind: "channel_disabled", at: 990 }], 1000, two)).toBe(true);
    const both = [
      { kind: "channel_disabled", at: 990 },
      { kind: "channel_disabled", at: 995 },
    ];
    expect(shouldSend("channel_disabled", both, 1000, two)).toBe(false);
    expect(shouldSend("balance_low", [], 1000, { count: 0, windowSeconds: 60 })).toBe(false); // 0 = none
  });

  test("retries: 3 attempts, 1 s then 5 s apart", () => {
    expect(ALERT_ATTEMPTS).toBe(3);
    expect([1, 2, 3].map(retryDelayMs)).toEqual([1000, 5000, 25_000]);
  });

  test("a breaker alert is due once it has been open the set minutes; 0 = never", () => {
    expect(breakerAlertDue(1000, 1000 + 10 * 60_000, 10)).toBe(true);
    expect(breakerAlertDue(1000, 1000 + 10 * 60_000 - 1, 10)).toBe(false);
    expect(breakerAlertDue(0, 10 ** 9, 10)).toBe(false); // closed
    expect(breakerAlertDue(1000, 10 ** 9, 0)).toBe(false);
  });
});

describe("messages", () => {
  test("in the reader's language and currency; values stay US dollars for programs", () => {
    const zh = translator("zh-CN", { currency: currency("CNY", 7.3), tz: "UTC" });
    const m = balanceLowMessage("carol", 400_000, 500_000, 1_700_000_000, zh);
    expect(m.title).toBe("余额不足");
    expect(m.content).toBe("carol：你的余额为 ¥5.84，已低于提醒阈值 ¥7.30");
    expect(m.values).toEqual(["0.8", "1"]);
    const open: AlertDetail = { key: "notify.breakerOpen", params: { minutes: 12 } };
    expect(channelMessage("breaker_open", { id: 3, name: "east" }, open, 5, zh).content).toBe(
      "渠道 3（east）：熔断已持续 12 分钟",
    );
  });

  test("low balance: new-api's fields, amounts in $", () => {
    const m = balanceLowMessage("carol", 400_000, 500_000, 1_700_000_000);
    expect(m).toEqual({
      type: "balance_low",
      title: "Balance low",
      content: "carol: your balance is $0.80, below your alert threshold of $1.00",
      values: ["0.8", "1"],
      timestamp: 1_700_000_000,
    });
  });

  test("each destination's body: webhook the message, Bark {title, body}, Gotify {title, message, priority}", () => {
    const rejected: AlertDetail = { key: "notify.channelDisabled", params: { reason: "401" } };
    const m = channelMessage("channel_disabled", { id: 3, name: "east" }, rejected, 5);
    expect(JSON.parse(requestBody("webhook", m))).toEqual(m);
    expect(JSON.parse(requestBody("bark", m))).toEqual({
      title: "Channel disabled automatically",
      body: "channel 3 (east): disabled automatically: every upstream key was rejected; last: 401",
      group: "apiyi",
    });
    expect(JSON.parse(requestBody("gotify", m))).toMatchObject({ title: m.title, message: m.content, priority: 5 });
  });

  test("the signature is hex HMAC-SHA256 of the body; the log keeps the host only", () => {
    expect(webhookSignature("s3cret", "{}")).toBe(createHmac("sha256", "s3cret").update("{}").digest("hex"));
    expect(hostOf("https://hooks.example.com:8443/path/tok?token=x")).toBe("hooks.example.com:8443");
    expect(hostOf("not a url")).toBe("");
  });
});
