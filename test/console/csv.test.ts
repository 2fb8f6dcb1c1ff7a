// The console's CSV pieces without a server: a cell a spreadsheet would run as a formula (=, +, -, @,
// tab, CR first) gets a leading quote mark and nothing else does; RFC 4180 quoting; an admin's call
// export has the user and channel columns, a user's does not.
import { expect, test } from "bun:test";
import { callColumns, csvLine, neutralise } from "../../src/console/csv";
import type { LogRow } from "../../src/db/schema";

test("formula cells are neutralised, ordinary text is left alone", () => {
  for (const s of ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", '=HYPERLINK("http://x")'])
    expect(neutralise(s)).toBe(`'${s}`);
  for (const s of ["gpt-4o", "a=b", "", "1-2", " =x", "model@host"]) expect(neutralise(s)).toBe(s);
});

test("RFC 4180 lines: commas, quotes and line breaks quoted, quotes doubled, CRLF", () => {
  expect(csvLine(["a", 1, 'b,"c"', "d\ne", -5])).toBe('a,1,"b,""c""","d\ne",-5\r\n');
});

test("call exports: an admin's names the user and channel, and every text cell is neutralised", () => {
  const row = {
    createdAt: Date.parse("2026-03-01T10:00:00Z"),
    requestId: "r1",
    type: 5,
    userId: 7,
    username: "@bob",
    tokenName: "=tok",
    model: "+m",
    upstreamModel: "-up",
    group: "@g",
    channelId: 3,
    isStream: false,
    promptTokens: 1,
    cachedTokens: 0,
    completionTokens: 2,
    quota: -3,
    durationMs: 10,
    ttftMs: 0,
    statusCode: 502,
    errorCode: "=err",
    content: "-detail",
  } as LogRow;
  const user = callColumns(false);
  expect(user.header).not.toContain("username");
  expect(user.row(row)).toEqual([
    "2026-03-01T10:00:00.000Z",
    "r1",
    "error",
    "'=tok",
    "'+m",
    "'@g",
    "no",
    1,
    0,
    2,
    -3,
    "-0.000006",
    10,
    0,
    502,
    "'=err",
    "'-detail",
  ]);
  const admin = callColumns(true);
  const cells = Object.fromEntries(admin.header.map((h, i) => [h, admin.row(row)[i]]));
  expect(cells).toMatchObject({ user_id: 7, username: "'@bob", channel_id: 3, upstream_model: "'-up", model: "'+m" });
});
