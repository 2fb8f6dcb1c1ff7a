// apiyi's video job ids: "video_" and 32 crypto-random lowercase letters and digits, every character
// equally likely; the part after the prefix is the Gemini file id.
import { describe, expect, test } from "bun:test";
import { geminiFileId, isVideoId, newVideoId, VIDEO_ID_PREFIX } from "../../../src/core/video/ids";

/** Gemini file names: lowercase letters, digits and dashes, at most 40, not starting or ending in a dash */
const GEMINI_FILE_ID = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

describe("newVideoId", () => {
  test("video_ and 32 lowercase letters and digits; a Gemini file id after the prefix", () => {
    const id = newVideoId();
    expect(id).toMatch(/^video_[0-9a-z]{32}$/);
    expect(isVideoId(id)).toBe(true);
    expect(geminiFileId(id)).toBe(id.slice(VIDEO_ID_PREFIX.length));
    expect(geminiFileId(id)).toMatch(GEMINI_FILE_ID);
  });

  test("10,000 ids, all different, using the whole alphabet", () => {
    const ids = Array.from({ length: 10_000 }, () => newVideoId());
    expect(new Set(ids).size).toBe(ids.length);
    const seen = new Set(ids.flatMap((id) => [...geminiFileId(id)]));
    expect([...seen].sort().join("")).toBe("0123456789abcdefghijklmnopqrstuvwxyz");
  });

  test("bytes 252–255 are dropped, so every character is equally likely (7 bytes of 0–251 each)", () => {
    const charOf = (b: number) => {
      let calls = 0; // b, then (if b was dropped) zeros
      const id = newVideoId((n) => new Uint8Array(n).fill(calls++ === 0 ? b : 0));
      expect(new Set(geminiFileId(id)).size).toBe(1);
      return id.at(-1)!;
    };
    const tally = new Map<string, number>();
    for (let b = 0; b < 252; b++) {
      const c = charOf(b);
      tally.set(c, (tally.get(c) ?? 0) + 1);
    }
    expect(tally.size).toBe(36);
    expect([...new Set(tally.values())]).toEqual([7]);
    for (const b of [252, 253, 254, 255]) expect(charOf(b)).toBe("0");
  });
});

describe("isVideoId / geminiFileId", () => {
  test("anything else is not a video id", () => {
    for (const s of [
      `video_${"A".repeat(32)}`,
      `video_${"a".repeat(31)}`,
      `video_${"a".repeat(33)}`,
      `video-${"a".repeat(32)}`,
      `video_${"a".repeat(31)}_`,
      `task_${"a".repeat(32)}`,
      "",
      null,
      42,
    ])
      expect(isVideoId(s)).toBe(false);
  });

  test("geminiFileId refuses what is not a video id", () => {
    expect(() => geminiFileId("video_abc")).toThrow('"video_abc" is not a video id');
  });
});
