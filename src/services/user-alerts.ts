// A user's own alert settings (new-api's /api/user/setting fields): the low-balance threshold in quota
// units, notify_type (webhook, or none: the console banner only), the webhook URL (public addresses
// only, checked at save and again at send) and its signing secret, generated here and shown once
// (or set by the user), stored sealed. Also the user's view of their own send log.
import { z } from "zod";
import { belowThreshold } from "../core/alerts";
import { randomBase62 } from "../core/keys";
import { invalidField, keyed, notFound } from "../errors";
import { recognised } from "../i18n/errors";
import { refusedAlertUrl } from "../net/alert-post";
import type { Actor } from "./actor";
import type { Ctx } from "./context";
import { readSettings } from "./settings";
import { validate } from "./validate";

export const NOTIFY_TYPES = ["none", "webhook"] as const;

export const AlertSettingsInput = z.object({
  notify_type: z
    .string()
    .refine((t) => t !== "email", "email is not available on this server; use webhook, or none for the banner only")
    .pipe(z.enum(NOTIFY_TYPES, "must be webhook or none"))
    .optional(),
  quota_warning_threshold: z
    .number()
    .int("must be a whole number of quota units (500,000 = $1)")
    .min(0)
    .max(Number.MAX_SAFE_INTEGER / 2)
    .optional(),
  webhook_url: z.string().trim().max(2000).optional(),
  webhook_secret: z.string().min(16, "must be at least 16 characters").max(200).optional(),
  /** true: apiyi generates a new secret and shows it once in the reply */
  regenerate_secret: z.boolean().optional(),
});

const row = async (ctx: Ctx, id: number) => {
  const u = await ctx.store.users.byId(id);
  if (!u) throw notFound(keyed("error.user.notFound", { id }));
  return u;
};

/** What GET /api/user/setting answers (never the secret itself). */
export async function alertSettingsView(ctx: Ctx, userId: number) {
  const u = await row(ctx, userId);
  return {
    notify_type: u.notifyType,
    quota_warning_threshold: u.alertThreshold,
    webhook_url: u.webhookUrl,
    has_webhook_secret: u.webhookSecretSealed !== "",
    below_threshold: belowThreshold(u),
  };
}

/** Saves the caller's alert settings; the reply carries `webhook_secret` only when apiyi generated
 * one (shown this once). A webhook needs a URL; a URL gets a secret if it has none. */
export async function saveAlertSettings(ctx: Ctx, actor: Actor, input: unknown) {
  const v = validate(AlertSettingsInput, input);
  const current = await row(ctx, actor.id);
  const url = v.webhook_url ?? current.webhookUrl;
  const notifyType = v.notify_type ?? current.notifyType;
  if (url) {
    const policy = { publicOnly: true, allowLoopback: readSettings(ctx).alerts_allow_loopback_for_tests };
    const why = refusedAlertUrl(url, policy);
    if (why) throw invalidField("webhook_url", keyed("error.alert.notPublic", { why: recognised(why) }));
  }
  if (notifyType === "webhook" && !url) throw invalidField("webhook_url", keyed("error.alert.urlNeeded"));
  let generated: string | undefined;
  let sealed = v.webhook_secret ? ctx.keys.seal(v.webhook_secret) : current.webhookSecretSealed;
  if (v.regenerate_secret || (url && !sealed)) {
    generated = randomBase62(40);
    sealed = ctx.keys.seal(generated);
  }
  const updated = await ctx.tx(() =>
    ctx.store.users.update(actor.id, {
      notifyType,
      webhookUrl: url,
      webhookSecretSealed: sealed,
      alertThreshold: v.quota_warning_threshold ?? current.alertThreshold,
    }),
  );
  if (updated) await ctx.snapshot.putUser(updated);
  const view = await alertSettingsView(ctx, actor.id);
  return generated ? { ...view, webhook_secret: generated } : view;
}

/** A send-log row as the API and console show it. */
export const sendView = (r: Awaited<ReturnType<Ctx["store"]["alerts"]["recent"]>>[number]) => ({
  id: r.id,
  kind: r.kind,
  user_id: r.userId,
  username: r.username,
  subject: r.subject,
  destination: r.destination,
  host: r.host,
  status: r.status,
  attempts: r.attempts,
  last_error: r.lastError,
  title: r.title,
  created_at: r.createdAt,
});

/** The last 50 sends: the caller's own, or (admins, `all`) everyone's. */
export const recentSends = async (ctx: Ctx, userId?: number) => (await ctx.store.alerts.recent(userId)).map(sendView);
