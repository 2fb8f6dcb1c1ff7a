// LightAbort behaves as the HTTP/1.1 client needs an AbortSignal to: the default reason is an
// AbortError, listeners run once and in order, a removed one never runs, one added after the abort
// never runs, and signalOf gives Bun's fetch a real AbortSignal that follows it.
import { expect, test } from "bun:test";
import { LightAbort, signalOf } from "../../src/net/light-abort";

test("abort: the reason defaults to an AbortError, as AbortController's does; a given reason is kept", () => {
  const a = new LightAbort();
  expect(a.aborted).toBe(false);
  a.abort();
  expect(a.aborted).toBe(true);
  expect((a.reason as DOMException).name).toBe("AbortError");
  const b = new LightAbort();
  b.abort("first_byte_timeout");
  expect(b.reason).toBe("first_byte_timeout");
});

test("listeners run once, in order; removed ones and ones added after the abort never run", () => {
  const a = new LightAbort();
  const heard: string[] = [];
  const gone = () => heard.push("removed");
  a.addEventListener("abort", () => heard.push("first"));
  a.addEventListener("abort", gone);
  a.addEventListener("abort", () => heard.push("second"));
  a.removeEventListener("abort", gone);
  a.removeEventListener("abort", () => {}); // not added: nothing happens
  a.abort("x");
  a.abort("y"); // a second abort changes nothing
  a.addEventListener("abort", () => heard.push("late"));
  expect(heard).toEqual(["first", "second"]);
  expect(a.reason).toBe("x");
});

test("signalOf: a real AbortSignal that follows, with the same reason; an AbortSignal passes as it is", () => {
  const a = new LightAbort();
  const s = signalOf(a);
  expect(s).toBeInstanceOf(AbortSignal);
  expect(s.aborted).toBe(false);
  a.abort("why");
  expect(s.aborted).toBe(true);
  expect(s.reason).toBe("why");
  const done = new LightAbort();
  done.abort("before");
  expect(signalOf(done).reason).toBe("before");
  const real = new AbortController().signal;
  expect(signalOf(real)).toBe(real);
});
