// Alerts, the pure part: which kinds exist and who receives each, when a balance crossed a user's
// threshold, whether the limit lets one more alert go, how long to wait before a retry, and the
// message itself (new-api's webhook shape: {type, title, content, values, timestamp}, signed with
// X-Webhook-Signature = hex HMAC-SHA256 of the raw body under the receiver's secret). The queue and
// the sending are in services/alerts.ts; nothing here does I/O.
import { createHmac } from "node:crypto";
import { EN, type MessageKey, type Translator } from "../i18n";
import { fillTemplate } from "./message-template";
import { unitsToUsd } from "./money";

/** Every alert kind, and whether it goes to the user concerned or to the admin webhook. Later issues
 * add theirs here. */
export const ALERT_KINDS = {
  balance_low: { audience: "user" },
  channel_disabled: { audience: "admin" },
  breaker_open: { audience: "admin" },
  upstream_balance_low: { audience: "admin" },
} as const;
export type AlertKind = keyof typeof ALERT_KINDS;
/** The admin's kinds, each about one channel. */
export type ChannelAlertKind = Exclude<AlertKind, "balance_low">;

/** How many alerts of one kind (per user, or per admin subject) may go within a window. */
export type AlertLimit = { count: number; windowSeconds: number };

/** Did this change take the balance from at or above the threshold to below it? 0 = no alert. */
export const crossedBelow = (before: number, after: number, threshold: number) =>
  threshold > 0 && before >= threshold && after < threshold;

/** Whether an account is below its threshold now (the console's banner). */
export const belowThreshold = (u: { quota: number; unlimited: boolean; alertThreshold: number }) =>
  !u.unlimited && u.alertThreshold > 0 && u.quota < u.alertThreshold;

/** Whether one more alert of `kind` may go now, given the times (unix s) of those already sent for
 * the same kind and target: fewer than `limit.count` within the last `limit.windowSeconds`. */
export function shouldSend(
  kind: AlertKind,
  last: readonly { kind: string; at: number }[],
  now: number,
  limit: AlertLimit,
): boolean {
  if (limit.count <= 0) return false;
  const since = now - limit.windowSeconds;
  return last.filter((s) => s.kind === kind && s.at > since).length < limit.count;
}

/** Attempts per alert, and the wait before attempt n+1 (n from 1): 1 s, then 5 s (×5 each step). */
export const ALERT_ATTEMPTS = 3;
export const retryDelayMs = (attempt: number) => 1000 * 5 ** (attempt - 1);
/** The longest one attempt may take (connect, send, answer). */
export const ATTEMPT_DEADLINE_MS = 10_000;

export type AlertMessage = {
  type: AlertKind;
  title: string;
  content: string;
  values: (string | number)[];
  timestamp: number;
};

/** What happened to a channel, as a message of the catalogs ("notify.*") with its values, so the
 * admin reads it in the server's language. */
export type AlertDetail = { key: MessageKey; params: Record<string, string | number> };

const titleOf = (kind: AlertKind, t: Translator) => t.t(`notify.title.${kind}`);

/** The low-balance message, in the reader's language and currency (`t`); `values` hold the balance
 * and threshold in US dollars for programs. */
export function balanceLowMessage(
  username: string,
  balance: number,
  threshold: number,
  now: number,
  t: Translator = EN,
): AlertMessage {
  return {
    type: "balance_low",
    title: titleOf("balance_low", t),
    content: t.t("notify.balanceLow", { username, balance: t.money(balance), threshold: t.money(threshold) }),
    values: [unitsToUsd(balance), unitsToUsd(threshold)],
    timestamp: now,
  };
}

/** A channel message for the admin: the channel's id and name, and what happened to it. */
export function channelMessage(
  kind: ChannelAlertKind,
  channel: { id: number; name: string },
  detail: AlertDetail,
  now: number,
  t: Translator = EN,
): AlertMessage {
  const what = fillTemplate(t.template(detail.key), detail.params, t.num);
  return {
    type: kind,
    title: titleOf(kind, t),
    content: t.t("notify.channel", { id: String(channel.id), name: channel.name, detail: what }),
    values: [channel.id, channel.name],
    timestamp: now,
  };
}

/** The X-Webhook-Signature of a body: hex HMAC-SHA256 under the secret. */
export const webhookSignature = (secret: string, body: string) =>
  createHmac("sha256", secret).update(body).digest("hex");

/** Where admin alerts may go, and the body each expects (Bark: POST {title, body} to the device URL
 * `https://api.day.app/<key>`; Gotify: POST {title, message, priority} to `…/message?token=<app token>`). */
export const ADMIN_DESTINATIONS = ["webhook", "bark", "gotify"] as const;
export type Destination = (typeof ADMIN_DESTINATIONS)[number];

export function requestBody(destination: Destination, m: AlertMessage): string {
  if (destination === "bark") return JSON.stringify({ title: m.title, body: m.content, group: "apiyi" });
  if (destination === "gotify") return JSON.stringify({ title: m.title, message: m.content, priority: 5 });
  return JSON.stringify(m);
}

/** A URL's host (and port when given), for the send log: never the path or query (they may hold a token). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
}

/** Whether a breaker open since `openedAt` (ms) has been open long enough to alert (0 minutes = never). */
export const breakerAlertDue = (openedAt: number, now: number, minutes: number) =>
  minutes > 0 && openedAt > 0 && now - openedAt >= minutes * 60_000;
