// The mock video upstream's switchable faults in all three protocols (fail, moreSeconds, noSeconds,
// insufficientBalance, submitStatus, unauthorized and keys, noCancel, pollsToComplete), set for everything
// or pinned to one base URL; polls in flight per tag with pollDelayMs; keys that reach the storage host.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { FAIL_MESSAGE, type MockVideo, startMockVideo, type VideoProtocol } from "../../support/mock-video";
import { baseOf, PROTOCOLS, videoClient } from "../../support/mock/video-testkit";

const KEY = "sk-video-fault-key";
let mock: MockVideo;
beforeAll(() => void (mock = startMockVideo({ keys: [KEY] })));
afterAll(() => mock.stop());
beforeEach(() => mock.reset());

const client = (protocol: VideoProtocol, spec?: string, key = KEY) =>
  videoClient(protocol, baseOf(mock, protocol, spec), key);

/** Submits and polls until finished; the last poll's body. */
async function finish(protocol: VideoProtocol, spec?: string, seconds = 8) {
  const c = client(protocol, spec);
  const { id } = await c.submit("p", seconds);
  for (let i = 0; i < 10; i++) {
    const { body } = await c.poll(id);
    if (c.done(body)) return { c, id, body };
  }
  throw new Error("never finished");
}

/** The submit's refusal for each protocol: status and the body fields that tell it. */
const BALANCE: Record<VideoProtocol, [number, object]> = {
  openai: [429, { error: { type: "insufficient_quota", code: "insufficient_quota" } }],
  gemini: [429, { error: { code: 429, status: "RESOURCE_EXHAUSTED" } }],
  dashscope: [400, { code: "Arrearage", message: "Access denied, please make sure your account is in good standing." }],
};
const STATUS_503: Record<VideoProtocol, object> = {
  openai: { error: { type: "server_error" } },
  gemini: { error: { code: 503, status: "UNAVAILABLE" } },
  dashscope: { code: "ServiceUnavailable" },
};
const BAD_KEY: Record<VideoProtocol, [number, object]> = {
  openai: [401, { error: { code: "invalid_api_key" } }],
  gemini: [400, { error: { status: "INVALID_ARGUMENT", details: [{ reason: "API_KEY_INVALID" }] } }],
  dashscope: [401, { code: "InvalidApiKey" }],
};

for (const protocol of PROTOCOLS) {
  describe(`${protocol}: faults`, () => {
    test("fail: the job ends failed with the message", async () => {
      const { c, id, body } = await finish(protocol, "fail");
      expect(c.failure(body)).toBe(FAIL_MESSAGE);
      expect(mock.job(id)).toMatchObject({ status: "failed", error: FAIL_MESSAGE, tag: "fail" });
      if (protocol === "openai") expect(body.error.code).toBe("video_generation_failed");
      if (protocol === "gemini") expect(body.error.code).toBe(13);
      if (protocol === "dashscope")
        expect(body.output).toMatchObject({ task_status: "FAILED", code: "InternalError.Algo" });
    });

    test("moreSeconds and noSeconds change what the finished job reports", async () => {
      const more = await finish(protocol, "moreSeconds=3", 5);
      expect(mock.job(more.id)!.madeSeconds).toBe(8);
      expect(more.c.seconds(more.body)).toBe(protocol === "gemini" ? undefined : 8);
      const none = await finish(protocol, "noSeconds", 5);
      expect(mock.job(none.id)!.madeSeconds).toBeNull();
      expect(none.c.seconds(none.body)).toBeUndefined();
    });

    test("insufficientBalance and submitStatus refuse the submit in the provider's shape", async () => {
      const [status, shape] = BALANCE[protocol];
      const broke = await client(protocol, "insufficientBalance").submit();
      expect(broke.status).toBe(status);
      expect(broke.body).toMatchObject(shape);
      const down = await client(protocol, "submitStatus=503").submit();
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject(STATUS_503[protocol]);
      expect(mock.jobs).toHaveLength(0);
    });

    test("unauthorized, a key outside `keys`, no key at all", async () => {
      const [status, shape] = BAD_KEY[protocol];
      const pinned = await client(protocol, "unauthorized").submit();
      expect(pinned.status).toBe(status);
      expect(pinned.body).toMatchObject(shape);
      expect((await client(protocol, undefined, "sk-stranger").submit()).status).toBe(status);
      const none = await client(protocol, undefined, "").submit();
      expect(none.status).toBe(protocol === "gemini" ? 403 : 401);
      const ok = await client(protocol).submit();
      expect(ok.status).toBe(200);
      mock.set({ unauthorized: true });
      expect((await client(protocol).poll(ok.id)).status).toBe(status);
      expect(mock.job(ok.id)!.polls).toBe(0);
    });

    test("pollsToComplete: the job finishes on that poll; `set` applies to every base URL", async () => {
      mock.set({ pollsToComplete: 4 });
      const c = client(protocol);
      const { id } = await c.submit();
      for (let i = 1; i <= 3; i++) expect(c.done((await c.poll(id)).body)).toBe(false);
      expect(c.done((await c.poll(id)).body)).toBe(true);
      expect(mock.job(id)!.polls).toBe(4);
      await c.poll(id);
      expect(mock.job(id)).toMatchObject({ polls: 5, status: "completed" });
    });
  });
}

describe("noCancel", () => {
  test("openai: DELETE of an unfinished video is refused; a finished one is still deleted", async () => {
    const c = client("openai", "noCancel");
    const { id } = await c.submit();
    const del = () =>
      fetch(`${mock.urlFor("noCancel", "openai")}/videos/${id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${KEY}` },
      });
    expect((await del()).status).toBe(400);
    expect(mock.job(id)).toMatchObject({ cancelled: false, deleted: false });
    await c.poll(id);
    await c.poll(id);
    expect((await del()).status).toBe(200);
  });

  test("dashscope: cancel of a PENDING task is refused", async () => {
    const { id } = await client("dashscope", "noCancel").submit();
    const res = await fetch(`${mock.urlFor("noCancel", "dashscope")}/api/v1/tasks/${id}/cancel`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe("UnsupportedOperation");
    expect(mock.job(id)!.status).toBe("queued");
  });
});

describe("polls in flight", () => {
  test("pollDelayMs holds each poll; peakInFlight counts concurrent polls per tag and overall", async () => {
    const wide = client("openai", "tag=wide,pollDelayMs=150");
    const narrow = client("gemini", "tag=narrow,pollDelayMs=20");
    const wideIds = await Promise.all([1, 2, 3, 4].map(() => wide.submit().then((r) => r.id)));
    const narrowIds = await Promise.all([1, 2].map(() => narrow.submit().then((r) => r.id)));
    await Promise.all(wideIds.map((id) => wide.poll(id)));
    for (const id of narrowIds) await narrow.poll(id);
    expect(mock.peakInFlight("wide")).toBe(4);
    expect(mock.peakInFlight("narrow")).toBe(1);
    expect(mock.peakInFlight()).toBe(4);
    expect(mock.peakInFlight("nobody")).toBe(0);
    expect(mock.jobs.every((j) => j.polls === 1 && j.status === "in_progress")).toBe(true);
    mock.reset();
    expect(mock.peakInFlight()).toBe(0);
  });

  test('the tag defaults to the whole spec; plain requests count under ""', async () => {
    const c = client("dashscope", "pollsToComplete=1");
    await c.poll((await c.submit()).id);
    expect(mock.peakInFlight("pollsToComplete=1")).toBe(1);
    const plain = client("dashscope");
    await plain.poll((await plain.submit()).id);
    expect(mock.peakInFlight("")).toBe(1);
  });
});

describe("keyLeaks", () => {
  test("a key that reaches the storage host is counted: header, ?key=, Bearer on the OSS link", async () => {
    const g = await finish("gemini");
    const uri = g.body.response.generateVideoResponse.generatedSamples[0].video.uri;
    // fetch keeps custom headers across a cross-host redirect (only Authorization is dropped): a leak
    const followed = await fetch(uri, { headers: { "x-goog-api-key": KEY } });
    expect(followed.status).toBe(200);
    expect(mock.keyLeaks()).toBe(1);
    expect(mock.requests.at(-1)).toMatchObject({ protocol: "storage", host: new URL(mock.storageOrigin).host });
    const hop = await fetch(`${uri}&key=${KEY}`, { redirect: "manual" });
    expect(mock.keyLeaks()).toBe(1);
    expect((await fetch(`${hop.headers.get("location")}&key=${KEY}`)).status).toBe(200);
    expect(mock.keyLeaks()).toBe(2);
    const d = await finish("dashscope");
    await fetch(d.body.output.video_url, { headers: { authorization: `Bearer ${KEY}` } });
    expect(mock.keyLeaks()).toBe(3);
    expect((await d.c.download(d.body, d.id)).status).toBe(200);
    expect((await g.c.download(g.body, g.id)).status).toBe(200);
    expect(mock.keyLeaks()).toBe(3);
  });
});
