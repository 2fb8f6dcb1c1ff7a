/** @jsxImportSource @kitajs/html */
// The health cells of a channel's row on /admin/channels: the state (enabled; breaker open until when;
// out of rotation for a low upstream balance; disabled automatically and why; disabled by an admin),
// the last failure's cause while no success came after it, the last success, the scheduled test's
// last run, the latency median over the last hour; and the upstream balance with its Refresh button.
// Times are UTC. Never a key.
import type { ChannelView } from "./models";

export const hhmm = (unixS: number) => new Date(unixS * 1000).toISOString().slice(11, 16);

const BADGES: Record<string, [string, string]> = {
  enabled: ["ok", "enabled"],
  admin_disabled: ["off", "disabled"],
  auto_disabled: ["warn", "auto-disabled"],
  balance_low: ["warn", "balance low"],
  breaker_open: ["warn", "breaker open"],
};

function State(props: { c: ChannelView }) {
  const { state, state_detail, status_reason } = props.c;
  const [tone, word] = BADGES[state] ?? ["off", state];
  if (state === "enabled" || state === "admin_disabled")
    return (
      <span class={`badge ${tone}`} safe>
        {word}
      </span>
    );
  const detail = state === "auto_disabled" ? status_reason : state_detail;
  return (
    <span class="status-auto">
      <span class={`badge ${tone}`} safe>
        {word}
      </span>
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
function Health(props: { c: ChannelView }) {
  const h = props.c.health;
  const failures = h.breaker === "closed" && h.recent_failures ? `${h.recent_failures} recent failures` : "";
  const cause =
    h.last_error && h.last_error_at >= h.last_ok_at ? `last failure ${hhmm(h.last_error_at)}: ${h.last_error}` : "";
  const ok = h.last_ok_at ? `last success ${hhmm(h.last_ok_at)}` : "";
  const probe = h.last_probe_at
    ? `last scheduled test ${hhmm(h.last_probe_at)}: ${h.last_probe_ok ? "passed" : `failed (${h.last_probe_error})`}`
    : "";
  const p50 = h.latency_p50_ms === null ? "" : `p50 ${h.latency_p50_ms} ms over the last hour (${h.latency_samples})`;
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
export function StatusCell(props: { c: ChannelView; oob?: boolean }) {
  return (
    <td id={`status-${props.c.id}`} hx-swap-oob={props.oob ? "true" : undefined}>
      <State c={props.c} />
      <Health c={props.c} />
    </td>
  );
}

/** The upstream balance, under the keys (the account they belong to): amount and currency as last read
 * (and when), a failed read's cause, the threshold; Refresh reads it again. Nothing without a balance API. */
export function BalanceBlock(props: { c: ChannelView }) {
  const { id, balance: b, balance_threshold } = props.c;
  if (!b.api) return <div id={`balance-${id}`} class="balance"></div>;
  const amount = b.amount === null ? "balance not read yet" : `balance ${b.amount} ${b.currency}`;
  const failed = b.error && b.error_at >= b.at ? `read failed ${hhmm(b.error_at)}: ${b.error}` : "";
  return (
    <div id={`balance-${id}`} class="balance">
      <span class={b.low ? "warn" : ""} safe>
        {amount}
      </span>
      {b.at ? <small class="muted" safe>{` at ${hhmm(b.at)}`}</small> : ""}
      <Note
        text={balance_threshold ? `threshold ${balance_threshold}${b.low ? ": out of rotation" : ""}` : ""}
        warn={b.low}
      />
      <Note text={failed} warn />
      <button
        type="button"
        hx-post={`/admin/channels/${id}/balance`}
        hx-target={`#balance-${id}`}
        hx-swap="outerHTML"
        hx-disabled-elt="this"
      >
        Refresh
      </button>
    </div>
  );
}
