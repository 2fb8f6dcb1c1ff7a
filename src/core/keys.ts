// Secrets at rest: random keys, HMAC lookup hashes and AES-256-GCM sealing, all derived from the one
// server secret. Plaintext keys are never stored: the database holds hash + sealed copy + mask.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `n` base62 characters from the CSPRNG, without modulo bias (rejection sampling). */
export function randomBase62(n: number): string {
  let out = "";
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 248) out += BASE62[b % 62]; // 248 = 62 × 4: values above would bias the low digits
      if (out.length === n) break;
    }
  }
  return out;
}

export const TOKEN_KEY_PATTERN = /^sk-[0-9A-Za-z]{48}$/;
export const newTokenKey = () => `sk-${randomBase62(48)}`;
export const newAccessToken = () => randomBase62(40);
export const newSessionId = () => randomBase62(43);

export const sha256Hex = (s: string) => createHash("sha256").update(s).digest("hex");

/** `sk-AbCd…WxYz`: enough to recognise a key, not enough to use it. */
export const maskKey = (key: string) => `${key.slice(0, 7)}…${key.slice(-4)}`;

/** Keys derived from the server secret, one per purpose, so that one leaking says nothing of the other. */
export class KeyRing {
  private readonly hmacKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(secret: string) {
    const derive = (label: string) => createHmac("sha256", secret).update(`apiyi:${label}`).digest();
    this.hmacKey = derive("lookup-hmac");
    this.sealKey = derive("seal-aes-256-gcm");
  }

  /** Lookup hash of a key (hex). Deterministic, so the key can be found by it. */
  hash(value: string): string {
    return createHmac("sha256", this.hmacKey).update(value).digest("hex");
  }

  /** AES-256-GCM: base64url(iv ‖ tag ‖ ciphertext). */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.sealKey, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  unseal(sealed: string): string {
    const raw = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", this.sealKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  }
}
