// Test support: assertions on the management API's reply envelope. Every reply is JSON
// {success, message, data}; success is true exactly for a 2xx status; a failed reply carries a
// non-empty message and data null. One definition here for every suite under test/e2e/api/.
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
