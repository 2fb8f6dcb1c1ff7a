// The body limits of every route outside /v1 (the management API, the console's actions, sign-in and
// sign-up): management_body_limit_kb and body_read_timeout_seconds, read from the snapshot (no
// database read per request). The /v1 limit is --max-body-mb (relay/checks/body.ts).
import type { Ctx } from "../services/context";
import type { BodyLimits } from "./read-body";

export const managementLimits = (ctx: Ctx): BodyLimits => ({
  maxBytes: ctx.snapshot.current.relay.managementBodyBytes,
  deadlineMs: ctx.snapshot.current.relay.bodyTimeoutMs,
});
