// Reading a request body on any route (the relay, the management API, the console, sign-in) under a
// size limit and a deadline. A declared Content-Length over the limit is refused before anything is
// read; a chunked body is counted as it arrives and cut at the limit; a body that does not arrive in
// time (a slow sender, or a Content-Length larger than what is sent) is answered 408 at the deadline;
// a client that hangs up mid-body is told apart (499), as is one that ends early (400). Every outcome
// is an AppError, which each route renders in its own shape.
import { refusals } from "../core/refusals";
import { AppError } from "../errors";

export type BodyLimits = { maxBytes: number; deadlineMs: number };

/** What Bun's server offers for a request: its idle timer is raised to outlast our deadline while a slow
 * body arrives, so that the client hears our 408 instead of a closed connection. */
export type TimeoutSetter = { timeout(req: Request, seconds: number): void };

/** `application/json`, `application/json; charset=utf-8`, `application/vnd.x+json`… */
export const isJsonType = (contentType: string | null) =>
  !!contentType && /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType.trim());

function declaredLength(req: Request): number | null {
  const raw = req.headers.get("content-length");
  return raw !== null && /^\d+$/.test(raw.trim()) ? Number(raw) : null;
}

async function readChunked(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  cancelled: { reason: AppError | null },
): Promise<Uint8Array> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (cancelled.reason) throw cancelled.reason;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw refusals.tooLarge(maxBytes);
    }
    parts.push(value);
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** A body still arriving: when its deadline passes it is failed with 408. */
type Pending = {
  req: Request;
  server: TimeoutSetter | undefined;
  limits: BodyLimits;
  started: number;
  raised: boolean;
  cancelled: { reason: AppError | null };
  fail: (e: AppError) => void;
};

/** Deadlines are kept by one sweep for all bodies in flight rather than a timer per request (a timer,
 * and raising Bun's idle timer, cost more than the rest of reading a small body): a 408 comes at most
 * SWEEP_MS after the deadline. */
const SWEEP_MS = 200;
/** Bun closes a connection idle for 10 s (its default): a body still arriving after this long gets its
 * idle timer raised past our deadline, so that the client hears the 408. Most bodies are in long before. */
const RAISE_AFTER_MS = 1000;
const pending = new Set<Pending>();
let sweeper: ReturnType<typeof setInterval> | null = null;

function sweep() {
  const now = performance.now();
  for (const p of pending) {
    const waited = now - p.started;
    if (waited >= p.limits.deadlineMs) {
      pending.delete(p);
      p.cancelled.reason = refusals.bodyTimeout(p.limits.deadlineMs);
      p.fail(p.cancelled.reason);
    } else if (!p.raised && waited >= RAISE_AFTER_MS) {
      p.raised = true;
      p.server?.timeout(p.req, Math.ceil((p.limits.deadlineMs - waited) / 1000) + 5);
    }
  }
  if (pending.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

/** `reading`, or a 408 once the deadline has passed. */
function withinDeadline(
  reading: Promise<Uint8Array>,
  req: Request,
  limits: BodyLimits,
  server: TimeoutSetter | undefined,
  cancelled: Pending["cancelled"],
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const p: Pending = { req, server, limits, started: performance.now(), raised: false, cancelled, fail: reject };
    pending.add(p);
    sweeper ??= setInterval(sweep, SWEEP_MS);
    sweeper.unref?.();
    reading.then(
      (bytes) => (pending.delete(p), resolve(bytes)),
      (e) => (pending.delete(p), reject(e)),
    );
  });
}

/** The whole body as bytes, within `limits`; throws an AppError (413, 408, 400 or 499) otherwise. */
export async function readBodyBytes(req: Request, limits: BodyLimits, server?: TimeoutSetter): Promise<Uint8Array> {
  const declared = declaredLength(req);
  if (declared !== null && declared > limits.maxBytes) throw refusals.tooLarge(limits.maxBytes);
  // req.body is not touched unless the body is chunked: asking for the stream makes Bun build one,
  // and every read after that goes through it (~15 µs a call on the hot path)
  if (declared === 0 || (declared === null && !req.headers.has("transfer-encoding"))) return new Uint8Array();
  const cancelled: { reason: AppError | null } = { reason: null };
  const reading = declared !== null ? req.bytes() : readChunked(req.body!, limits.maxBytes, cancelled);
  try {
    const bytes = await withinDeadline(reading, req, limits, server, cancelled);
    if (declared !== null && bytes.byteLength < declared) throw refusals.bodyIncomplete();
    return bytes;
  } catch (e) {
    reading.catch(() => {}); // a read left behind by the deadline must not surface as unhandled
    if (e instanceof AppError) throw e;
    // the stream broke: the client went away (or sent less than it announced and closed)
    throw req.signal.aborted ? refusals.clientGone() : refusals.bodyIncomplete();
  }
}

const utf8 = new TextDecoder();

/** The body as text (UTF-8, invalid sequences replaced: see the JSON checks for strict decoding). */
export async function readBodyText(req: Request, limits: BodyLimits, server?: TimeoutSetter): Promise<string> {
  return utf8.decode(await readBodyBytes(req, limits, server));
}
