// The video poller in real time (issue 15; new-api #5717, #3135, #4244: one task polled after another
// with a 1 s sleep, so thousands of pending tasks back up for hours). apiyi (pinned to core 1) runs
// --jobs video jobs (default 2,000) submitted 50 at a time across 3 OpenAI-shaped channels on the mock
// video upstream (in this process, core 0), whose every status poll takes --delay ms (default 50) and
// whose jobs finish on their --polls-th poll (default 3). For each pair of limits (video_poll_per_channel
// / video_poll_overall, --limits "4/10,8/64") it prints the submit time, the wall-clock time from the
// first submit until every job is final, status polls and polls per second, the peak polls in flight
// per channel and in all (the mock counts them), apiyi's CPU per poll (utime + stime of the serving
// process from the end of the submits until all are final, over the polls in that window), and the
// jobs' times from submit to final. Then what new-api's serial loop would take for the same jobs,
// computed: each round polls every live job one after another (the poll's time + a 1 s sleep), rounds
// 15 s apart, and a job is final on its --polls-th round. Figures only, no asserts.
// `bun bench/video-poll.ts [--jobs 2000] [--delay 50] [--polls 3] [--limits 4/10,8/64]` (about 2 minutes).
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { startMockVideo } from "../test/support/mock-video";
import { APIYI_ENV, apiyiCmd, cpuTicks, flag, run, runMain, serveOn, TMP } from "./lib";

const JOBS = Number(flag("--jobs") ?? 2000);
const DELAY_MS = Number(flag("--delay") ?? 50);
const POLLS = Number(flag("--polls") ?? 3);
const LIMITS = (flag("--limits") ?? "4/10,8/64").split(",").map((p) => p.split("/").map(Number) as [number, number]);
const TAGS = ["a", "b", "c"];
const CONCURRENCY = 50;
/** new-api: a 1 s sleep after each task's poll, and 15 s between rounds */
const NAIVE_SLEEP_S = 1;
const NAIVE_ROUND_GAP_S = 15;
const CLK_TCK = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

/** The management API as a signed-in user (session cookie, CSRF token, this server's Origin on writes). */
async function session(base: string, username: string, password: string) {
  const res = await fetch(`${base}/api/user/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ username, password }),
  });
  const csrf = ((await res.json()) as { data: { csrf_token: string } }).data.csrf_token;
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  return async (method: string, path: string, body?: unknown) => {
    const r = await fetch(base + path, {
      method,
      headers: { cookie, "x-csrf-token": csrf, origin: base, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await r.json()) as { data: any; message: string };
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${json.message}`);
    return json.data;
  };
}

/** POSTs the jobs to /v1/videos, CONCURRENCY at a time; throws on a refusal. */
async function submitAll(base: string, key: string, models: string[]) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < JOBS; i = next++) {
      const res = await fetch(`${base}/v1/videos`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: models[i % models.length], prompt: `bench job ${i}`, seconds: "4" }),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`submit ${i}: ${res.status} ${text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const pct = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const STATUS_POLL = /^\/v1\/videos\/[^/]+$/;

type Row = Record<string, string | number>;

await runMain(
  "video-poll",
  async () => {
    Bun.spawnSync(["taskset", "-pc", "0", String(process.pid)]); // the mock and the clients: core 0
    const mock = startMockVideo();
    const dataDir = join(TMP, "data");
    await run([...apiyiCmd(), "migrate", "--data-dir", dataDir], APIYI_ENV);
    const apiyi = await serveOn(dataDir);
    const base = `http://127.0.0.1:${apiyi.port}`;
    const pid = apiyi.workPid ?? apiyi.pid!;
    const api = await session(base, "admin", APIYI_ENV.APIYI_ADMIN_PASSWORD);
    const models: string[] = [];
    for (const tag of TAGS) {
      const model = `bench-video-${tag}`;
      await api("POST", "/api/pricing/", { model, video: { per_second: "0.10", default_seconds: 4, max_seconds: 12 } });
      const url = mock.urlFor(`tag=${tag},pollDelayMs=${DELAY_MS},pollsToComplete=${POLLS}`, "openai");
      await api("POST", "/api/channel/", {
        name: `video-${tag}`,
        type: "openai",
        base_url: url,
        key: `sk-up-${tag}`,
        models: [model],
      });
      models.push(model);
    }
    // a user of its own with a balance: every job is held, settled and logged
    const user = await api("POST", "/api/user/", { username: "bench-video", password: "bench-video-pass-1" });
    await api("POST", `/api/user/${user.id}/topup`, { quota: 1_000_000_000_000 });
    const userApi = await session(base, "bench-video", "bench-video-pass-1");
    const db = new Database(join(dataDir, "apiyi.db"), { readonly: true });
    const live = () =>
      (
        db
          .query("SELECT count(*) AS n FROM video_jobs WHERE state IN ('submitted', 'queued', 'in_progress')")
          .get() as { n: number }
      ).n;
    const rows: Row[] = [];

    for (const [perChannel, overall] of LIMITS) {
      await api("PUT", "/api/setting", { video_poll_per_channel: perChannel, video_poll_overall: overall });
      mock.reset();
      const { key } = await userApi("POST", "/api/token/", {
        name: `bench-${perChannel}-${overall}`,
        unlimited_quota: true,
      });
      const cpu0 = cpuTicks(pid);
      const t0 = performance.now();
      const wall0 = Date.now();
      await submitAll(base, key, models);
      const submitted = performance.now();
      const submittedAt = Date.now();
      const cpu1 = cpuTicks(pid);
      while (live() > 0) await Bun.sleep(50);
      const done = performance.now();
      const cpu2 = cpuTicks(pid);
      const polls = mock.requests.filter((r) => r.method === "GET" && STATUS_POLL.test(r.path));
      const later = polls.filter((r) => r.time >= submittedAt).length;
      const span = (Math.max(...polls.map((r) => r.time)) - Math.min(...polls.map((r) => r.time))) / 1000;
      const took = (
        db.query("SELECT completed_at - created_at AS ms FROM video_jobs WHERE created_at >= ?").all(wall0) as {
          ms: number;
        }[]
      ).map((r) => r.ms / 1000);
      rows.push({
        limits: `${perChannel}/${overall}`,
        jobs: JOBS,
        "submit s": ((submitted - t0) / 1000).toFixed(1),
        "wall s": ((done - t0) / 1000).toFixed(1),
        polls: polls.length,
        "polls/s": (polls.length / span).toFixed(0),
        "peak a/b/c": TAGS.map((t) => mock.peakInFlight(t)).join("/"),
        "peak all": mock.peakInFlight(),
        "CPU µs/poll": later ? (((cpu2 - cpu1) * 1e6) / CLK_TCK / later).toFixed(0) : "–",
        "CPU µs/submit": (((cpu1 - cpu0) * 1e6) / CLK_TCK / JOBS).toFixed(0),
        "job s p50/max": `${pct(took, 0.5).toFixed(1)}/${pct(took, 1).toFixed(1)}`,
      });
      console.error(`limits ${perChannel}/${overall}: done in ${((done - t0) / 1000).toFixed(1)} s`);
    }
    const round = JOBS * (DELAY_MS / 1000 + NAIVE_SLEEP_S);
    const naive = POLLS * (NAIVE_ROUND_GAP_S + round);
    rows.push({
      limits: "new-api serial (computed)",
      jobs: JOBS,
      "submit s": "–",
      "wall s": naive.toFixed(0),
      polls: JOBS * POLLS,
      "polls/s": (1 / (NAIVE_SLEEP_S + DELAY_MS / 1000)).toFixed(2),
      "peak a/b/c": "1/1/1",
      "peak all": 1,
      "CPU µs/poll": "–",
      "CPU µs/submit": "–",
      "job s p50/max": `${(naive - round / 2).toFixed(0)}/${naive.toFixed(0)}`,
    });
    db.close();
    mock.stop();
    printTable(rows);
    console.log(
      `\n${JOBS} jobs, 3 channels, every status poll ${DELAY_MS} ms at the upstream, each job final on its poll ${POLLS}` +
        ` (apiyi polls 2 s after submit, then 1.5× longer waits: poll ${POLLS} comes ${scheduleS(POLLS).toFixed(1)} s after submit at best).` +
        `\nnew-api serial: ${POLLS} rounds × (${NAIVE_ROUND_GAP_S} s + ${JOBS} × (${DELAY_MS} ms + ${NAIVE_SLEEP_S} s)) = ${(naive / 3600).toFixed(2)} h.`,
    );
  },
  8 * 60_000,
);

/** Seconds from submit to apiyi's poll `n` on its schedule (2 s, then each wait 1.5× the last). */
function scheduleS(n: number): number {
  return Array.from({ length: n }, (_, i) => Math.min(30, 2 * 1.5 ** i)).reduce((a, b) => a + b, 0);
}

function printTable(rows: Row[]) {
  const cols = Object.keys(rows[0]);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(width[i])).join(" | ")} |`;
  console.log(line(cols));
  console.log(line(width.map((w) => "-".repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => String(r[c]))));
}
