// The alert sender of the serving process. The relay only pushes an event on a queue (an array push
// and, for the first one, a timer: nothing else on the request path); the queue is drained on a later
// turn, where each event finds its destination (the user's webhook, or the admin URL of the settings),
// is weighed against the limit (services/settings: alert_* ), recorded in the send log, and sent with
// retries (core/alerts.ts: 3 attempts, 1 s then 5 s apart, each within a deadline). A periodic check
// (every 30 s; 200 ms on a test clock) alerts the admin about breakers open longer than
// alert_breaker_open_minutes. Times come from the process's clock (services/clock.ts).
import {
  ALERT_ATTEMPTS,
  ATTEMPT_DEADLINE_MS,
  type AlertKind,
  type AlertDetail,
  type AlertMessage,
  balanceLowMessage,
  type ChannelAlertKind,
  breakerAlertDue,
  channelMessage,
  type Destination,
  hostOf,
  requestBody,
  retryDelayMs,
  shouldSend,
  webhookSignature,
} from "../core/alerts";
import type { Breakers } from "../core/breaker";
import { type AlertPolicy, postAlert } from "../net/alert-post";
import { EgressError } from "../net/egress";
import type { Ctx } from "./context";
import { readerFor } from "./reader";
import { readSettings, type Settings } from "./settings";

type Event =
  | { kind: "balance_low"; userId: number; balance: number; threshold: number }
  | { kind: ChannelAlertKind; channel: { id: number; name: string }; detail: AlertDetail };

/** Where one alert goes and how. */
type Route = { url: string; destination: Destination; secret: string; policy: AlertPolicy };

const BREAKER_CHECK_MS = 30_000;
/** on a test clock (services/clock.ts), which a test moves forward by minutes at once */
const TEST_BREAKER_CHECK_MS = 200;

export class Alerts {
  private queue: Event[] = [];
  private scheduled = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** channel → the breaker opening already alerted about */
  private breakerAlerted = new Map<number, number>();
  /** sends still running (tests and shutdown can wait for them) */
  readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly ctx: Ctx,
    private readonly breakers: Breakers,
  ) {}

  /** Hot path: a settlement took a user's balance below their threshold. */
  balanceLow(userId: number, balance: number, threshold: number) {
    this.push({ kind: "balance_low", userId, balance, threshold });
  }

  /** A channel was disabled automatically (its last upstream key was rejected). */
  channelDisabled(channel: { id: number; name: string }, reason: string) {
    this.push({ kind: "channel_disabled", channel, detail: { key: "notify.channelDisabled", params: { reason } } });
  }

  /** A channel's upstream balance went below its threshold (it left rotation). */
  upstreamBalanceLow(channel: { id: number; name: string }, detail: AlertDetail) {
    this.push({ kind: "upstream_balance_low", channel, detail });
  }

  private push(e: Event) {
    this.queue.push(e);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.drain(), 0);
  }

  private async drain() {
    this.scheduled = false;
    for (const e of this.queue.splice(0)) {
      try {
        await this.dispatch(e, readSettings(this.ctx));
      } catch (err) {
        console.error(`alert ${e.kind}: could not be queued:`, (err as Error).message);
      }
    }
  }

  private async dispatch(e: Event, s: Settings) {
    const now = this.ctx.now();
    const userId = e.kind === "balance_low" ? e.userId : null;
    const route = userId === null ? this.adminRoute(s) : await this.userRoute(userId, s);
    if (!route) return;
    const subject = e.kind === "balance_low" ? "" : `channel:${e.channel.id}`;
    const limit =
      userId === null
        ? { count: s.alert_admin_limit, windowSeconds: s.alert_admin_window_minutes * 60 }
        : { count: s.alert_user_limit, windowSeconds: s.alert_user_window_minutes * 60 };
    const message = await this.message(e, now);
    const row = { kind: e.kind, userId, subject, destination: route.destination, host: hostOf(route.url) };
    // the count and the new row in one transaction: with several instances (PostgreSQL) two that alert
    // at once cannot both find the limit not reached
    const { id, sent } = await this.ctx.tx(async () => {
      const sent = await this.ctx.store.alerts.sentSince(e.kind, userId, subject, now - limit.windowSeconds);
      return { sent, id: await this.ctx.store.alerts.start({ ...row, title: message.title, createdAt: now }) };
    });
    if (!shouldSend(e.kind, sent, now, limit)) {
      await this.ctx.store.alerts.finish(
        id,
        "suppressed",
        0,
        `limit: ${limit.count} per ${limit.windowSeconds / 60} min`,
      );
      return;
    }
    const p = this.deliver(id, e.kind, route, message).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /** In the recipient's language and currency: the user's own, else the server's (the admin's). */
  private async message(e: Event, now: number): Promise<AlertMessage> {
    if (e.kind !== "balance_low")
      return channelMessage(e.kind, e.channel, e.detail, now, readerFor(this.ctx, undefined));
    const user = await this.ctx.store.users.byId(e.userId);
    const name = user?.username ?? `user ${e.userId}`;
    return balanceLowMessage(name, e.balance, e.threshold, now, readerFor(this.ctx, user));
  }

  private async userRoute(userId: number, s: Settings): Promise<Route | null> {
    const u = await this.ctx.store.users.byId(userId);
    if (u?.notifyType !== "webhook" || !u.webhookUrl) return null;
    const secret = u.webhookSecretSealed ? this.ctx.keys.unseal(u.webhookSecretSealed) : "";
    const policy = { publicOnly: true, allowLoopback: s.alerts_allow_loopback_for_tests };
    return { url: u.webhookUrl, destination: "webhook", secret, policy };
  }

  private adminRoute(s: Settings): Route | null {
    if (!s.alert_admin_url) return null;
    const policy = { publicOnly: false, allowLoopback: true };
    return { url: s.alert_admin_url, destination: s.alert_admin_type, secret: "", policy };
  }

  private async deliver(id: number, kind: AlertKind, route: Route, message: AlertMessage) {
    const body = requestBody(route.destination, message);
    const headers: Record<string, string> = route.secret
      ? { "x-webhook-signature": webhookSignature(route.secret, body) }
      : {};
    let lastError = "";
    let attempt = 1;
    for (; ; attempt++) {
      try {
        await postAlert(route.url, body, headers, route.policy, ATTEMPT_DEADLINE_MS);
        return this.finish(id, "delivered", attempt, "");
      } catch (e) {
        lastError = (e as Error).message;
        // a refused address or a redirect will not change by waiting
        if ((e instanceof EgressError && e.kind !== "dns") || attempt >= ALERT_ATTEMPTS) break;
      }
      await Bun.sleep(retryDelayMs(attempt));
    }
    console.error(`alert ${id} (${kind}) to ${hostOf(route.url)} failed after ${attempt} attempt(s): ${lastError}`);
    await this.finish(id, "failed", attempt, lastError);
  }

  private async finish(id: number, status: "delivered" | "failed", attempts: number, error: string) {
    try {
      await this.ctx.store.alerts.finish(id, status, attempts, error);
    } catch (e) {
      console.error(`alert ${id}: could not record the outcome:`, (e as Error).message);
    }
  }

  /** Alerts once per opening about breakers open longer than the setting. */
  checkBreakers(now = this.ctx.clock.nowMs()) {
    const minutes = readSettings(this.ctx).alert_breaker_open_minutes;
    for (const ch of this.ctx.snapshot.current.channelsById.values()) {
      const opened = this.breakers.openedAt(ch.id);
      if (opened === 0) this.breakerAlerted.delete(ch.id);
      if (!breakerAlertDue(opened, now, minutes) || this.breakerAlerted.get(ch.id) === opened) continue;
      this.breakerAlerted.set(ch.id, opened);
      const detail: AlertDetail = {
        key: "notify.breakerOpen",
        params: { minutes: Math.floor((now - opened) / 60_000) },
      };
      this.push({ kind: "breaker_open", channel: { id: ch.id, name: ch.name }, detail });
    }
  }

  start() {
    this.timer = setInterval(
      () => {
        try {
          this.checkBreakers();
        } catch (e) {
          console.error("alerts: breaker check failed:", (e as Error).message);
        }
      },
      this.ctx.clock.advance ? TEST_BREAKER_CHECK_MS : BREAKER_CHECK_MS,
    );
    this.timer.unref?.();
  }

  stop() {
    clearInterval(this.timer);
  }
}
