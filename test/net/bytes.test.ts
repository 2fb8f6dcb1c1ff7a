// net/bytes.ts: Buffer's search and latin1 decoding on plain Uint8Arrays and on views into a larger
// buffer, at their own offsets.
import { expect, test } from "bun:test";
import { indexOfBytes, latin1 } from "../../src/net/bytes";

const bytes = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

test("indexOfBytes: the first match at or after `from`, or -1; on a view, counted from the view's start", () => {
  const whole = bytes('xx"error"yy"error"');
  expect(indexOfBytes(whole, bytes('"error"'))).toBe(2);
  expect(indexOfBytes(whole, bytes('"error"'), 3)).toBe(11);
  expect(indexOfBytes(whole, bytes("zz"))).toBe(-1);
  const view = whole.subarray(9);
  expect(indexOfBytes(view, bytes('"error"'))).toBe(2);
});

test("latin1: bytes[start, end) one character per byte, on a view at its own offsets", () => {
  const whole = bytes("ab1f;x=é\r\n");
  expect(latin1(whole, 2, 8)).toBe("1f;x=é");
  expect(latin1(whole.subarray(2), 0, 2)).toBe("1f");
});
