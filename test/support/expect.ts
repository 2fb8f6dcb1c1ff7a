// Test support: assertions shared by suites. The management API's reply envelope: every reply is JSON
// {success, message, data}; success is true exactly for a 2xx status; a failed reply carries a
// non-empty message and data null. The CLI's refusal: exit 2, one line on stderr, nothing on stdout.
import { expect } from "bun:test";
import type { Reply } from "./server";

/** The envelope alone, whatever the status (success and the error fields follow the status it has). */
export function expectEnvelope(r: Reply) {
  expect(r.headers.get("content-type") ?? "").toContain("application/json");
  expect(typeof r.body).toBe("object");
  expect(r.body).not.toBeNull();
  expect(Object.keys(r.body).sort()).toEqual(["data", "message", "success"]);
  const ok = r.status >= 200 && r.status < 300;
  expect(r.body.success).toBe(ok);
  expect(typeof r.body.message).toBe("string");
  if (!ok) {
    expect(r.body.data).toBeNull();
    expect(r.body.message.length).toBeGreaterThan(0);
  }
}

/** Asserts the status (showing the body when it differs) and the envelope; returns data. */
export function expectReply(r: Reply, status: number) {
  expect({ status: r.status, body: r.body }).toMatchObject({ status });
  expectEnvelope(r);
  return r.body.data;
}

/** A 422 whose message names `field`. */
export function expectInvalid(r: Reply, field: string) {
  expectReply(r, 422);
  expect(r.body.message).toContain(field);
}

/** The CLI's contract for every refusal: exit 2, nothing on stdout, exactly one line on stderr naming
 * the problem (`names`), no stack. `label` names the case in a failure (a flag, the args). */
export function expectOneLineError(
  r: { code: number; stdout: string; stderr: string },
  names: string | RegExp,
  label?: unknown,
) {
  const lines = r.stderr.replace(/\n$/, "").split("\n").length;
  expect({ label, code: r.code, lines, stdout: r.stdout }).toEqual({ label, code: 2, lines: 1, stdout: "" });
  expect(r.stderr).not.toMatch(/^\s*at /m);
  if (typeof names === "string") expect(r.stderr).toContain(names);
  else expect(r.stderr).toMatch(names);
}
