// Key generation, lookup hashes and sealing: format, randomness, determinism, tamper detection.
import { expect, test } from "bun:test";
import { KeyRing, maskKey, newTokenKey, randomBase62, TOKEN_KEY_PATTERN } from "../../src/core/keys";

test("token keys are sk- plus 48 base62 characters, all different", () => {
  const keys = new Set(Array.from({ length: 2000 }, newTokenKey));
  expect(keys.size).toBe(2000);
  for (const k of keys) expect(k).toMatch(TOKEN_KEY_PATTERN);
});

test("base62 output uses the whole alphabet, roughly evenly (no modulo bias)", () => {
  const counts = new Map<string, number>();
  for (const c of randomBase62(62_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
  expect(counts.size).toBe(62);
  for (const n of counts.values()) expect(n).toBeGreaterThan(700); // expected 1,000 each
});

test("the lookup hash is deterministic per secret and differs across secrets", () => {
  const a = new KeyRing("a".repeat(32));
  const b = new KeyRing("b".repeat(32));
  const key = newTokenKey();
  expect(a.hash(key)).toBe(a.hash(key));
  expect(a.hash(key)).not.toBe(b.hash(key));
  expect(a.hash(key)).not.toContain(key.slice(3));
});

test("sealed keys open with the same secret only, and tampering is detected", () => {
  const ring = new KeyRing("s".repeat(40));
  const key = newTokenKey();
  const sealed = ring.seal(key);
  expect(sealed).not.toContain(key.slice(3, 20));
  expect(ring.seal(key)).not.toBe(sealed); // fresh IV each time
  expect(ring.unseal(sealed)).toBe(key);
  expect(() => new KeyRing("t".repeat(40)).unseal(sealed)).toThrow();
  const raw = Buffer.from(sealed, "base64url");
  raw[raw.length - 1] ^= 1;
  expect(() => ring.unseal(raw.toString("base64url"))).toThrow();
});

test("masks show the prefix and last four characters only", () => {
  const key = "sk-AbCd" + "x".repeat(40) + "WxYz";
  expect(maskKey(key)).toBe("sk-AbCd…WxYz");
});
