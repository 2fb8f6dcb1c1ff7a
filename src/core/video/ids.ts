// apiyi's own video job ids: "video_" and 32 crypto-random lowercase letters and digits (about 165
// bits: unguessable, so an id reveals nothing and cannot be found by trying). The part after the
// prefix is also the job's Gemini file id (files/{id}), which allows only lowercase letters and digits.

export const VIDEO_ID_PREFIX = "video_";
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
const LENGTH = 32;
/** bytes at or above this are dropped, so that every character is equally likely (252 = 36 × 7) */
const UNBIASED = 256 - (256 % ALPHABET.length);
const ID = /^video_[0-9a-z]{32}$/;

/** `randomBytes`: the source of randomness (crypto's, unless a test gives its own). */
export function newVideoId(randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))): string {
  let id = "";
  while (id.length < LENGTH) {
    for (const b of randomBytes(LENGTH)) {
      if (b < UNBIASED && id.length < LENGTH) id += ALPHABET[b % ALPHABET.length];
    }
  }
  return VIDEO_ID_PREFIX + id;
}

export const isVideoId = (s: unknown): s is string => typeof s === "string" && ID.test(s);

/** The job's Gemini file id: its id without "video_". Throws on a string that is not a video id. */
export function geminiFileId(id: string): string {
  if (!isVideoId(id)) throw new Error(`"${id}" is not a video id`);
  return id.slice(VIDEO_ID_PREFIX.length);
}
