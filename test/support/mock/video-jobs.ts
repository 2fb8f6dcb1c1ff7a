// Mock video upstream, jobs: the job store (create, find by id and key, advance on each status poll),
// the poll wrapper that counts polls in flight per base-URL tag (peakInFlight) and honours pollDelayMs,
// and the deterministic bytes a finished job serves (an MP4 of 64 KiB and JPEG previews, from the id).
import { prng } from "../prng";
import { FAIL_MESSAGE, now, sleep, type VideoCtx, type VideoJob, type VideoProtocol } from "./video-core";

/** FNV-1a: a seed from a string. */
const seedOf = (s: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

function noise(seed: string, size: number, head: number[], tail: number[] = []): Uint8Array<ArrayBuffer> {
  const r = prng(seedOf(seed));
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(r() * 256);
  out.set(head, 0);
  out.set(tail, size - tail.length);
  return out;
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const MP4_HEAD = [0, 0, 0, 0x20, ...ascii("ftypisom"), 0, 0, 2, 0, ...ascii("isomiso2avc1mp41")];
const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, ...ascii("JFIF"), 0];

/** The video a finished job serves: 64 KiB, an MP4 `ftyp` box then bytes derived from the job id. */
export const videoBytes = (id: string) => noise(`video:${id}`, 64 * 1024, MP4_HEAD);
/** OpenAI's thumbnail (4 KiB) and spritesheet (16 KiB) variants: JPEG start and end markers around noise. */
export const thumbnailBytes = (id: string) => noise(`thumb:${id}`, 4 * 1024, JPEG_HEAD, [0xff, 0xd9]);
export const spritesheetBytes = (id: string) => noise(`sprite:${id}`, 16 * 1024, JPEG_HEAD, [0xff, 0xd9]);

/** The signature of a signed download URL (Gemini's storage redirect, DashScope's OSS link). */
export const signature = (id: string) => Bun.hash(`mock-signature:${id}`).toString(16);

export const isDone = (job: VideoJob) => job.status !== "queued" && job.status !== "in_progress";

export type NewJob = Pick<VideoJob, "id" | "model" | "prompt" | "seconds" | "size" | "parameters" | "inputBytes">;

export function createJobStore() {
  const list: VideoJob[] = [];
  const flight = { now: new Map<string, number>(), peak: new Map<string, number>(), all: 0, allPeak: 0 };

  /** Counts one poll in flight for `tag` (and overall) until the returned release is called. */
  function enter(tag: string) {
    flight.now.set(tag, (flight.now.get(tag) ?? 0) + 1);
    flight.peak.set(tag, Math.max(flight.peak.get(tag) ?? 0, flight.now.get(tag)!));
    flight.allPeak = Math.max(flight.allPeak, ++flight.all);
    return () => {
      flight.now.set(tag, flight.now.get(tag)! - 1);
      flight.all--;
    };
  }

  return {
    list,
    add(protocol: VideoProtocol, ctx: VideoCtx, init: NewJob): VideoJob {
      const job: VideoJob = {
        ...init,
        protocol,
        status: "queued",
        progress: 0,
        polls: 0,
        key: ctx.key,
        cancelled: false,
        deleted: false,
        madeSeconds: null,
        error: null,
        tag: ctx.tag,
        createdAt: now(),
        completedAt: null,
        downloads: 0,
      };
      list.push(job);
      return job;
    },
    /** The job with this id in this protocol, if the key is the submit's and it was not deleted. */
    find(protocol: VideoProtocol, id: string, key: string): VideoJob | undefined {
      return list.find((j) => j.id === id && j.protocol === protocol && j.key === key && !j.deleted);
    },
    /** A status poll: counted in flight, delayed by pollDelayMs, then the job (if any) advances one step. */
    async poll(ctx: VideoCtx, job: VideoJob | undefined): Promise<void> {
      const release = enter(ctx.tag);
      try {
        if (ctx.s.pollDelayMs > 0) await sleep(ctx.s.pollDelayMs);
        if (job) advance(job, ctx);
      } finally {
        release();
      }
    },
    /** Cancels an unfinished job (a finished one stays as it is). */
    cancel(job: VideoJob) {
      if (isDone(job)) return;
      job.cancelled = true;
      job.status = "cancelled";
      job.completedAt = now();
    },
    peakInFlight: (tag?: string) => (tag === undefined ? flight.allPeak : (flight.peak.get(tag) ?? 0)),
    clear() {
      list.length = 0;
      flight.now.clear();
      flight.peak.clear();
      flight.all = 0;
      flight.allPeak = 0;
    },
  };
}

export type JobStore = ReturnType<typeof createJobStore>;

/** One poll's step: queued → in_progress (50) → on poll `pollsToComplete` completed (or failed). */
function advance(job: VideoJob, { s }: VideoCtx) {
  job.polls++;
  if (isDone(job)) return;
  if (job.polls < Math.max(1, s.pollsToComplete)) {
    job.status = "in_progress";
    job.progress = 50;
    return;
  }
  job.completedAt = now();
  if (s.fail) {
    job.status = "failed";
    job.error = FAIL_MESSAGE;
    return;
  }
  job.status = "completed";
  job.progress = 100;
  job.madeSeconds = s.noSeconds ? null : job.seconds + (s.moreSeconds ?? 0);
}
