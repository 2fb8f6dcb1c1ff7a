/** @jsxImportSource @kitajs/html */
// The health cells of a channel's row on /admin/channels: the state (enabled; breaker open until when;
// out of rotation for a low upstream balance; disabled automatically and why; disabled by an admin),
// the last failure's cause while no success came after it, the last success, the scheduled test's
// last run, the latency median over the last hour; and the upstream balance with its Refresh button.
// Every word from the reader's catalog (`t`), times in their zone. Never a key.
import type { PlainKey, Translator } from "../../src/i18n";
import type { ChannelView } from "./models";

/** Unix seconds → the reader's hours and minutes. */
export const hhmm = (unixS: number, t: Translator) => t.time(unixS * 1000);

const BADGES: Record<string, [string, PlainKey]> = {
  enabled: ["ok", "channelState.enabled"],
  admin_disabled: ["off", "channelState.admin_disabled"],
  auto_disabled: ["warn", "channelState.auto_disabled"],
  balance_low: ["warn", "channelState.balance_low"],
  breaker_open: ["warn", "channelState.breaker_open"],
};

/** What explains a state, in the reader's words (the service's `state_detail` says it in English). */
function stateDetail(c: ChannelView, tr: Translator): string {
  const { t } = tr;
  if (c.state === "auto_disabled") return c.status_reason;
  if (c.state === "breaker_open")
    return c.health.breaker === "open"
      ? t("channelState.openUntil", { time: tr.time(c.health.open_until) })
      : t("channelState.halfOpen");
  if (c.state === "balance_low") {
    const threshold = tr.num(c.balance_threshold);
    const { amount, currency } = c.balance;
    return amount === null
      ? t("channelState.lowUnread", { threshold })
      : t("channelState.lowBalance", { amount: tr.num(amount), currency, threshold });
  }
  return "";
}

function State(props: { c: ChannelView; t: Translator }) {
  const { state } = props.c;
  const known = BADGES[state];
  const [tone, word] = known ? [known[0], props.t.t(known[1])] : ["off", state];
  const badge = (
    <span class={`badge ${tone}`} safe>
      {word}
    </span>
  );
  if (state === "enabled" || state === "admin_disabled") return badge;
  const detail = stateDetail(props.c, props.t);
  return (
    <span class="status-auto">
      {badge}
      {detail ? (
        <small class="reason" safe>
          {detail}
        </small>
      ) : (
        ""
      )}
    </span>
  );
}

const Note = (props: { text: string; warn?: boolean }) =>
  props.text ? (
    <small class={`reason ${props.warn ? "warn" : ""}`} title={props.text} safe>
      {props.text}
    </small>
  ) : (
    ""
  );

/** The breaker's recent failures while closed, the last failure's cause (while no success came after
 * it), the last success, the scheduled test's last run, the latency median. */
function Health(props: { c: ChannelView; t: Translator }) {
  const h = props.c.health;
  const tr = props.t;
  const { t } = tr;
  const failures =
    h.breaker === "closed" && h.recent_failures ? t("channelHealth.recentFailures", { count: h.recent_failures }) : "";
  const cause =
    h.last_error && h.last_error_at >= h.last_ok_at
      ? t("channelHealth.lastFailure", { time: hhmm(h.last_error_at, tr), error: h.last_error })
      : "";
  const ok = h.last_ok_at ? t("channelHealth.lastSuccess", { time: hhmm(h.last_ok_at, tr) }) : "";
  const time = hhmm(h.last_probe_at, tr);
  const probe = !h.last_probe_at
    ? ""
    : h.last_probe_ok
      ? t("channelHealth.probePassed", { time })
      : t("channelHealth.probeFailed", { time, error: h.last_probe_error });
  const p50 =
    h.latency_p50_ms === null ? "" : t("channelHealth.p50", { ms: h.latency_p50_ms, samples: h.latency_samples });
  return (
    <>
      <Note text={failures} warn />
      <Note text={cause} />
      <Note text={[ok, p50].filter(Boolean).join(" · ")} />
      <Note text={probe} warn={h.last_probe_ok === false} />
    </>
  );
}

/** The status cell (also sent alone when a Test or a balance read changes the channel's state). */
export function StatusCell(props: { c: ChannelView; oob?: boolean; t: Translator }) {
  return (
    <td id={`status-${props.c.id}`} hx-swap-oob={props.oob ? "true" : undefined}>
      <State c={props.c} t={props.t} />
      <Health c={props.c} t={props.t} />
    </td>
  );
}

/** The upstream balance, under the keys (the account they belong to): amount and currency as last read
 * (and when), a failed read's cause, the threshold; Refresh reads it again. Nothing without a balance API. */
export function BalanceBlock(props: { c: ChannelView; t: Translator }) {
  const { id, balance: b, balance_threshold } = props.c;
  const tr = props.t;
  const { t } = tr;
  if (!b.api) return <div id={`balance-${id}`} class="balance"></div>;
  const amount =
    b.amount === null
      ? t("channelHealth.balanceUnread")
      : t("channelHealth.balance", { amount: tr.num(b.amount), currency: b.currency });
  const failed =
    b.error && b.error_at >= b.at ? t("channelHealth.readFailed", { time: hhmm(b.error_at, tr), error: b.error }) : "";
  const threshold = tr.num(balance_threshold);
  return (
    <div id={`balance-${id}`} class="balance">
      <span class={b.low ? "warn" : ""} safe>
        {amount}
      </span>
      {b.at ? (
        <small class="muted" safe>
          {t("channelHealth.balanceAt", { time: hhmm(b.at, tr) })}
        </small>
      ) : (
        ""
      )}
      <Note
        text={
          balance_threshold ? t(b.low ? "channelHealth.thresholdLow" : "channelHealth.threshold", { threshold }) : ""
        }
        warn={b.low}
      />
      <Note text={failed} warn />
      <button
        type="button"
        hx-post={`/admin/channels/${id}/balance`}
        hx-target={`#balance-${id}`}
        hx-swap="outerHTML"
        hx-disabled-elt="this"
        safe
      >
        {t("channelHealth.refresh")}
      </button>
    </div>
  );
}
