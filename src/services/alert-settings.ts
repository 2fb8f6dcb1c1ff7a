// The alert settings, part of the SETTINGS registry (services/settings.ts): per-user limit, the admin
// destination and its limit, the breaker alert, and the test-only loopback exception.
import { z } from "zod";
import { ADMIN_DESTINATIONS } from "../core/alerts";
import { refusedAlertUrl } from "../net/alert-post";

const count = (max: number) => z.number().int().min(0).max(max);

export const ALERT_SETTINGS = {
  alert_user_limit: {
    schema: count(100),
    fallback: 1,
    help: "low-balance alerts a user may receive per window (0 = none are sent; the console banner still shows)",
  },
  alert_user_window_minutes: {
    schema: z.number().int().min(1).max(43_200),
    fallback: 1440,
    help: "the window of alert_user_limit, in minutes (1440 = 24 hours)",
  },
  alert_admin_url: {
    schema: z
      .string()
      .trim()
      .max(2000)
      .refine(
        (u) => u === "" || refusedAlertUrl(u, { publicOnly: false, allowLoopback: true }) === null,
        "must be an http(s) URL apiyi may call (not a link-local or cloud metadata address), or empty",
      ),
    fallback: "",
    help: 'where admin alerts go (a channel disabled automatically, a breaker open too long): a webhook, a Bark device URL (https://api.day.app/<key>) or a Gotify URL (https://gotify.example/message?token=<app token>); "" = none',
  },
  alert_admin_type: {
    schema: z.enum(ADMIN_DESTINATIONS),
    fallback: "webhook" as (typeof ADMIN_DESTINATIONS)[number],
    help: "what alert_admin_url is: webhook (POST {type, title, content, values, timestamp}), bark or gotify",
  },
  alert_admin_limit: {
    schema: count(100),
    fallback: 1,
    help: "admin alerts of one kind about one channel per window",
  },
  alert_admin_window_minutes: {
    schema: z.number().int().min(1).max(43_200),
    fallback: 60,
    help: "the window of alert_admin_limit, in minutes",
  },
  alert_breaker_open_minutes: {
    schema: count(1440),
    fallback: 10,
    help: "alert the admin when a channel's breaker has stayed open this many minutes (0 = never)",
  },
  alerts_allow_loopback_for_tests: {
    schema: z.boolean(),
    fallback: false,
    help: "TEST ONLY, never in production: lets users' webhooks point at 127.0.0.1 / localhost (the test suite's receivers); every other private address stays refused",
  },
} as const;
