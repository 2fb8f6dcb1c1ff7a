// `apiyi channel add` / `update` / `list` / `enable` / `disable` / `test` as real processes on the data dir
// of a running server: add prints the new id alone (warnings, e.g. models without a price, on stderr)
// and the channel shows up through the API as given (each type's default base URL path,
// --supports-responses, --api-version, --max-output-tokens); update changes only the flags given; bad
// flags exit 2 with one line naming the flag (and write nothing); list prints one line per channel
// (its breaker; the output cap only when set; why it is off or failing) and never a key; enable,
// disable and test recover a channel from the terminal; a channel added by the CLI reaches the running
// server within 1 s.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CHANNEL_STATUS } from "../../../src/core/status";
import { expectReply, expectOneLineError } from "../../support/expect";
import { startMockUpstream } from "../../support/mock-upstream";
import {
  ADMIN_PASSWORD,
  chatCall,
  cli,
  client,
  login,
  priceModels,
  scratchDirs,
  useServer,
} from "../../support/server";

const app = useServer();
const newDir = scratchDirs("apiyi-cli-channel-");
let admin: ReturnType<typeof client>;
let adminAuth: Awaited<ReturnType<typeof login>>;
let cwd: string;

/** `apiyi channel <args> --data-dir <the server's>`, run from an empty folder. */
const channel = (...args: string[]) => cli(["channel", ...args, "--data-dir", app.server.dataDir], { cwd });
const listed = async () =>
  expectReply(await admin.get("/api/channel/?size=100"), 200) as {
    items: { id: number; name: string }[];
    total: number;
  };

beforeAll(async () => {
  cwd = newDir();
  adminAuth = await login(app.url, "admin", ADMIN_PASSWORD);
  admin = client(app.url, adminAuth);
  expectReply(await admin.post("/api/group/", { name: "cli-vip" }), 201);
});

describe("channel add", () => {
  test("prints the new id and nothing else; the API shows the channel as given", async () => {
    const [k1, k2] = ["sk-cli-first-0123456789", "sk-cli-second-0123456789"];
    const r = await channel(
      "add",
      "--name",
      "cli-deepseek",
      "--base-url",
      "https://api.deepseek.com/",
      "--key",
      k1,
      "--key",
      k2,
      "--models",
      "deepseek-chat,fast",
      "--group",
      "default,cli-vip",
      "--priority",
      "3",
      "--weight",
      "5",
      "--mapping",
      "fast=deepseek-chat",
    );
    // "fast" has no price: the channel is made, and stderr says how to price it (stdout stays the id)
    expect(r.code).toBe(0);
    expect(r.stderr).toStartWith(
      "apiyi channel add: warning: no price for the model fast: calls to it are refused (403 model_price_not_set)",
    );
    expect(r.stderr).toContain("apiyi price set --model fast");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stdout).toMatch(/^\d+\n$/);
    const id = Number(r.stdout);
    const c = expectReply(await admin.get(`/api/channel/${id}`), 200);
    expect(c).toMatchObject({
      id,
      name: "cli-deepseek",
      type: "openai",
      base_url: "https://api.deepseek.com/v1",
      key_count: 2,
      models: ["deepseek-chat", "fast"],
      model_mapping: { fast: "deepseek-chat" },
      groups: ["default", "cli-vip"],
      priority: 3,
      weight: 5,
      status: CHANNEL_STATUS.enabled,
    });

    const defaults = await channel(
      "add",
      "--name",
      "cli-plain",
      "--base-url",
      "http://127.0.0.1:11434",
      "--key",
      "k",
      "--models",
      "llama3",
    );
    expect(defaults.code).toBe(0);
    expect(expectReply(await admin.get(`/api/channel/${Number(defaults.stdout)}`), 200)).toMatchObject({
      base_url: "http://127.0.0.1:11434/v1",
      groups: ["default"],
      priority: 0,
      weight: 1,
      model_mapping: {},
      key_count: 1,
    });
  });

  const BAD: [string, string[], string?][] = [
    ["--name", ["--base-url", "https://x.example", "--key", "k", "--models", "m"]],
    ["--base-url", ["--name", "n", "--base-url", "ftp://x.example", "--key", "k", "--models", "m"]],
    [
      "--base-url",
      ["--name", "n", "--base-url", "https://user:hunter2@x.example", "--key", "k", "--models", "m"],
      "hunter2",
    ],
    ["--key", ["--name", "n", "--base-url", "https://x.example", "--models", "m"]],
    [
      "--key",
      ["--name", "n", "--base-url", "https://x.example", "--key", "sk-has secret-space", "--models", "m"],
      "secret",
    ],
    ["--models", ["--name", "n", "--base-url", "https://x.example", "--key", "k"]],
    [
      "--group",
      ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--group", "no-such-group"],
    ],
    [
      "--priority",
      ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--priority", "high"],
    ],
    ["--weight", ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--weight=-1"]],
    [
      "--mapping",
      ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--mapping", "fast"],
    ],
    [
      "--mapping",
      ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--mapping", "fast="],
    ],
    ["--type", ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--type", "mistral"]],
    ["--bogus", ["--name", "n", "--bogus", "1"]],
  ];
  test("bad flags: exit 2, one line naming the flag, no secret repeated, nothing created", async () => {
    const before = (await listed()).total;
    const results = await Promise.all(BAD.map(([, args]) => channel("add", ...args)));
    results.forEach((r, i) => {
      const [flag, , secret] = BAD[i];
      expectOneLineError(r, flag, flag);
      expect(r.stderr).toStartWith("apiyi channel add: ");
      if (secret) expect(r.stderr).not.toContain(secret);
    });
    expect((await listed()).total).toBe(before);
  });

  test("--type: each type's default path; --supports-responses and --api-version", async () => {
    const add = async (...args: string[]) => {
      const r = await channel("add", "--key", "k", "--models", "gpt-4o", ...args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: "" });
      return expectReply(await admin.get(`/api/channel/${Number(r.stdout)}`), 200);
    };
    expect(
      await add("--name", "cli-claude", "--type", "anthropic", "--base-url", "https://api.anthropic.com"),
    ).toMatchObject({
      type: "anthropic",
      base_url: "https://api.anthropic.com/v1",
      supports_responses: false,
      api_version: "",
    });
    expect(
      await add("--name", "cli-gemini", "--type", "gemini", "--base-url", "https://generativelanguage.googleapis.com/"),
    ).toMatchObject({
      type: "gemini",
      base_url: "https://generativelanguage.googleapis.com/v1beta",
    });
    expect(
      await add(
        "--name",
        "cli-azure",
        "--type",
        "azure",
        "--base-url",
        "https://myres.openai.azure.com",
        "--api-version",
        "2024-10-21",
      ),
    ).toMatchObject({
      type: "azure",
      base_url: "https://myres.openai.azure.com",
      api_version: "2024-10-21",
    });
    expect(
      await add("--name", "cli-responses", "--base-url", "https://api.openai.com", "--supports-responses"),
    ).toMatchObject({
      type: "openai",
      base_url: "https://api.openai.com/v1",
      supports_responses: true,
    });
    expect(
      (await add("--name", "cli-responses-on", "--base-url", "https://x.example", "--supports-responses=true"))
        .supports_responses,
    ).toBe(true);
    expect(
      (await add("--name", "cli-responses-off", "--base-url", "https://x.example", "--supports-responses=false"))
        .supports_responses,
    ).toBe(false);
  });

  test("--max-output-tokens: stored as given; left out it is 0 (no cap)", async () => {
    const add = async (...args: string[]) => {
      const r = await channel(
        "add",
        "--key",
        "k",
        "--models",
        "deepseek-chat",
        "--base-url",
        "https://api.deepseek.com",
        ...args,
      );
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: "" });
      return expectReply(await admin.get(`/api/channel/${Number(r.stdout)}`), 200);
    };
    expect(await add("--name", "cli-capped", "--max-output-tokens", "8192")).toMatchObject({
      base_url: "https://api.deepseek.com/v1",
      max_output_tokens: 8192,
    });
    expect((await add("--name", "cli-capped-eq", "--max-output-tokens=10000000")).max_output_tokens).toBe(10_000_000);
    expect((await add("--name", "cli-uncapped", "--max-output-tokens", "0")).max_output_tokens).toBe(0);
    expect((await add("--name", "cli-cap-default")).max_output_tokens).toBe(0);
  });

  test("a bad --max-output-tokens: exit 2, one line naming the flag and what to send, nothing created", async () => {
    const before = (await listed()).total;
    const base = ["--name", "n", "--key", "k", "--models", "m", "--base-url", "https://x.example"];
    const WHAT_TO_SEND = "apiyi channel add: --max-output-tokens: a whole number from 0 (no cap) to 10000000\n";
    for (const value of [
      "--max-output-tokens=-1",
      "--max-output-tokens=8192.5",
      "--max-output-tokens=8k",
      "--max-output-tokens=10000001",
      "--max-output-tokens=",
    ]) {
      const r = await channel("add", ...base, value);
      expect({ value, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        value,
        code: 2,
        stdout: "",
        stderr: WHAT_TO_SEND,
      });
    }
    // no value at all: the flag parser says so, naming the flag
    const missing = await cli(["channel", "add", "--data-dir", app.server.dataDir, ...base, "--max-output-tokens"], {
      cwd,
    });
    expectOneLineError(missing, "--max-output-tokens");
    expect((await listed()).total).toBe(before);
  });

  test("azure without --api-version, or a bad one, or a bad --supports-responses: exit 2 naming the flag, nothing created", async () => {
    const before = (await listed()).total;
    const base = ["--name", "n", "--key", "k", "--models", "m"];
    const cases: [string, string[]][] = [
      [
        "--api-version: required for azure channels, e.g. 2024-10-21",
        ["--type", "azure", "--base-url", "https://res-secret.openai.azure.com"],
      ],
      [
        "--api-version",
        ["--type", "azure", "--base-url", "https://res-secret.openai.azure.com", "--api-version", "2024 10 21"],
      ],
      ["--api-version", ["--base-url", "https://x.example", "--api-version", "v".repeat(41)]],
      ["--supports-responses", ["--base-url", "https://x.example", "--supports-responses=maybe"]],
    ];
    for (const [expected, args] of cases) {
      const r = await channel("add", ...base, ...args);
      expectOneLineError(r, expected, args);
      expect(r.stderr).not.toContain("res-secret");
    }
    expect((await listed()).total).toBe(before);
  });

  test("--help for every command exits 0 with the usage line", async () => {
    for (const name of ["add", "update", "list", "enable", "disable", "test"]) {
      const r = await cli(["channel", name, "--help"], { cwd });
      expect({ name, code: r.code }).toEqual({ name, code: 0 });
      expect(r.stdout).toMatch(new RegExp(`^usage: apiyi channel ${name}\\b`));
    }
    expect((await cli(["--help"], { cwd })).stdout).toContain("channel add");
    expect((await cli(["--help"], { cwd })).stdout).toContain("channel update");
    const help = (await cli(["channel", "add", "--help"], { cwd })).stdout;
    for (const flag of [
      "--supports-responses[=true|false]",
      "--api-version V",
      "gemini /v1beta",
      "--max-output-tokens N",
      "0 = no cap",
    ])
      expect(help).toContain(flag);
    expect((await cli(["channel", "update", "--help"], { cwd })).stdout).toContain("[--max-output-tokens N]");
  });
});

describe("channel update", () => {
  test("changes only the flags given and prints the channel's line; --key replaces the keys", async () => {
    const made = expectReply(
      await admin.post("/api/channel/", {
        name: "cli-upd",
        base_url: "https://u.example",
        key: "sk-upd-old-key-0000",
        models: "gpt-4o",
        priority: 2,
      }),
      201,
    );
    const r = await channel("update", "--id", String(made.id), "--supports-responses", "--weight", "4");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toBe(
      `${made.id}\tcli-upd\tenabled\topenai\thttps://u.example/v1\tgroups=default\tmodels=gpt-4o\tkeys=1\tbreaker=closed\tresponses=yes\n`,
    );
    expect(expectReply(await admin.get(`/api/channel/${made.id}`), 200)).toMatchObject({
      supports_responses: true,
      weight: 4,
      priority: 2,
      key_count: 1,
    });

    // only the type: the stored URL keeps its path; azure needs its version
    const refused = await channel("update", "--id", String(made.id), "--type", "azure");
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: "" });
    expect(refused.stderr).toBe("apiyi channel update: --api-version: required for azure channels, e.g. 2024-10-21\n");
    const azure = await channel(
      "update",
      "--id",
      String(made.id),
      "--type",
      "azure",
      "--api-version",
      "2024-10-21",
      "--base-url",
      "https://upd.openai.azure.com/",
      "--supports-responses=false",
      "--key",
      "sk-upd-new-1",
      "--key",
      "sk-upd-new-2",
    );
    expect({ code: azure.code, stderr: azure.stderr }).toEqual({ code: 0, stderr: "" });
    expect(azure.stdout).toBe(
      `${made.id}\tcli-upd\tenabled\tazure\thttps://upd.openai.azure.com\tgroups=default\tmodels=gpt-4o\tkeys=2\tbreaker=closed\tapi-version=2024-10-21\n`,
    );
    for (const secret of ["sk-upd-old-key-0000", "sk-upd-new-1", "sk-upd-new-2"])
      expect(azure.stdout + azure.stderr).not.toContain(secret);
    // back to openai with only the URL's type changing: a bare URL gets /v1
    const back = await channel("update", "--id", String(made.id), "--type", "openai");
    expect(back.stdout).toContain("\topenai\thttps://upd.openai.azure.com/v1\t");
    expect(expectReply(await admin.get(`/api/channel/${made.id}`), 200)).toMatchObject({
      type: "openai",
      base_url: "https://upd.openai.azure.com/v1",
      supports_responses: false,
      api_version: "2024-10-21",
      key_count: 2,
      weight: 4,
    });
  });

  test("--max-output-tokens sets the cap and shows it on the line; other updates keep it; 0 takes it away", async () => {
    const made = expectReply(
      await admin.post("/api/channel/", {
        name: "cli-cap",
        base_url: "https://api.deepseek.com",
        key: "k",
        models: "deepseek-chat",
      }),
      201,
    );
    const line = (extra = "") =>
      `${made.id}\tcli-cap\tenabled\topenai\thttps://api.deepseek.com/v1\tgroups=default\tmodels=deepseek-chat\tkeys=1\tbreaker=closed${extra}\n`;
    const set = await channel("update", "--id", String(made.id), "--max-output-tokens", "8192");
    expect({ code: set.code, stderr: set.stderr, stdout: set.stdout }).toEqual({
      code: 0,
      stderr: "",
      stdout: line("\tmax-output-tokens=8192"),
    });
    expect((await channel("update", "--id", String(made.id), "--weight", "3")).stdout).toBe(
      line("\tmax-output-tokens=8192"),
    );
    expect(expectReply(await admin.get(`/api/channel/${made.id}`), 200)).toMatchObject({
      max_output_tokens: 8192,
      weight: 3,
    });
    // after the type's extras
    const both = await channel("update", "--id", String(made.id), "--supports-responses");
    expect(both.stdout).toBe(line("\tresponses=yes\tmax-output-tokens=8192"));
    expect(
      (await channel("update", "--id", String(made.id), "--supports-responses=false", "--max-output-tokens", "0"))
        .stdout,
    ).toBe(line());
    expect(expectReply(await admin.get(`/api/channel/${made.id}`), 200)).toMatchObject({
      max_output_tokens: 0,
      supports_responses: false,
    });
  });

  test("a bad or unknown --id, or a bad value: exit 2, one line, nothing changed", async () => {
    const made = expectReply(
      await admin.post("/api/channel/", { name: "cli-upd-bad", base_url: "https://v.example", key: "k", models: "m" }),
      201,
    );
    const cases: [string[], string][] = [
      [[], "--id"],
      [["--id", "abc"], "--id"],
      [["--id", "0"], "--id"],
      [["--id", "987654"], "channel 987654 not found"],
      [["--id", String(made.id), "--weight=-1"], "--weight"],
      [["--id", String(made.id), "--type", "mistral"], "--type"],
      [["--id", String(made.id), "--api-version", "a/b"], "--api-version"],
      [["--id", String(made.id), "--supports-responses=1"], "--supports-responses"],
      [
        ["--id", String(made.id), "--max-output-tokens=-5"],
        "--max-output-tokens: a whole number from 0 (no cap) to 10000000",
      ],
      [
        ["--id", String(made.id), "--max-output-tokens", "1.5"],
        "--max-output-tokens: a whole number from 0 (no cap) to 10000000",
      ],
      [["--id", String(made.id), "--max-output-tokens", "lots"], "--max-output-tokens"],
    ];
    for (const [args, expected] of cases) {
      const r = await channel("update", ...args);
      expectOneLineError(r, expected, args);
      expect(r.stderr).toStartWith("apiyi channel update: ");
    }
    expect(expectReply(await admin.get(`/api/channel/${made.id}`), 200)).toEqual(made);
  });
});

describe("channel list", () => {
  test("one line per channel, in id order, with no key", async () => {
    const key = "sk-listed-never-printed-42";
    const made = expectReply(
      await admin.post("/api/channel/", { name: "api-made", base_url: "https://x.example", key, models: "gpt-4o,o3" }),
      201,
    );
    const r = await channel("list");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const lines = r.stdout.trimEnd().split("\n");
    const { items, total } = await listed();
    expect(lines.length).toBe(total);
    expect(lines.map((l) => Number(l.split("\t")[0]))).toEqual(items.map((c) => c.id).sort((a, b) => a - b));
    const line = lines.find((l) => l.startsWith(`${made.id}\t`));
    expect(line).toBe(
      `${made.id}\tapi-made\tenabled\topenai\thttps://x.example/v1\tgroups=default\tmodels=gpt-4o,o3\tkeys=1\tbreaker=closed`,
    );
    const capped = expectReply(
      await admin.post("/api/channel/", {
        name: "api-capped",
        base_url: "https://x.example",
        key,
        models: "gpt-4o",
        max_output_tokens: 8192,
      }),
      201,
    );
    const again = (await channel("list")).stdout.split("\n");
    expect(again.find((l) => l.startsWith(`${capped.id}\t`))).toBe(
      `${capped.id}\tapi-capped\tenabled\topenai\thttps://x.example/v1\tgroups=default\tmodels=gpt-4o\tkeys=1\tbreaker=closed\tmax-output-tokens=8192`,
    );
    expect(again.find((l) => l.startsWith(`${made.id}\t`))).not.toContain("max-output-tokens");
    for (const secret of [key, "sk-cli-first-0123456789", "sk-cli-second-0123456789"])
      expect(r.stdout).not.toContain(secret);
  });
});

describe("channel enable | disable | test, and what list shows of a failing channel", () => {
  const mock = startMockUpstream();
  let key = "";
  const lineOf = async (id: number) =>
    (await channel("list")).stdout.split("\n").find((l) => l.startsWith(`${id}\t`)) ?? "";
  /** polls `channel list` (bounded) until the channel's line matches: the server saves health off the request path */
  async function listedLine(id: number, re: RegExp) {
    const until = Date.now() + 5000;
    for (;;) {
      const line = await lineOf(id);
      if (re.test(line) || Date.now() > until) return line;
      await Bun.sleep(100);
    }
  }
  const chat = (model: string) => chatCall(app.url, key, model);
  beforeAll(async () => {
    await priceModels(app.url, adminAuth, ["cli-rec-1", "cli-rec-2", "cli-rec-3"]);
    key = expectReply(await admin.post("/api/token/", { name: "cli-rec", unlimited_quota: true }), 201).key;
  });
  afterAll(() => mock.stop());

  test("a dead key: list shows auto-disabled, the reason and the last failure; test says why and, once the upstream takes it, re-enables", async () => {
    const c = expectReply(
      await admin.post("/api/channel/", {
        name: "cli-dead",
        base_url: mock.urlFor("unauthorized"),
        key: "sk-cli-dead-key-000000",
        models: "cli-rec-1",
      }),
      201,
    );
    expect((await chat("cli-rec-1")).status).toBe(502);
    const line = await listedLine(c.id, /last-error=/);
    expect(line).toContain("\tauto-disabled\t");
    expect(line).toContain("\tbreaker=closed\tdead-keys=1\t");
    expect(line).toContain(
      "\treason=every upstream key was rejected by the upstream as invalid; last: the upstream answered 401: Incorrect API key provided: [redacted]",
    );
    expect(line).toMatch(/\tlast-error=the upstream answered 401: .* \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/);
    expect(line).not.toContain("sk-cli-dead-key");

    const failed = await channel("test", "--id", String(c.id));
    expect(failed.code).toBe(1);
    expect(failed.stdout.split("\n")[0]).toStartWith(
      "failed (401): the upstream answered 401: Incorrect API key provided",
    );
    expect(failed.stdout + failed.stderr).not.toContain("sk-cli-dead-key");

    // the upstream account is fixed (here: the channel points at an upstream that takes the key)
    expect((await channel("update", "--id", String(c.id), "--base-url", mock.url)).code).toBe(0);
    const passed = await channel("test", "--id", String(c.id));
    expect({ code: passed.code, stderr: passed.stderr }).toEqual({ code: 0, stderr: "" });
    const [result, note, after] = passed.stdout.trimEnd().split("\n");
    expect(result).toMatch(/^ok: 200 in \d+ ms \(model cli-rec-1\)$/);
    expect(note).toBe("the channel was disabled automatically and is enabled again");
    expect(after).toStartWith(`${c.id}\tcli-dead\tenabled\t`);
    expect(after).not.toContain("reason=");
    // the running server serves it again (it notices the CLI's write by polling)
    let status = 0;
    for (const until = Date.now() + 3000; status !== 200 && Date.now() < until; await Bun.sleep(100))
      status = (await chat("cli-rec-1")).status;
    expect(status).toBe(200);
  });

  test("disable and enable: the line says so and calls follow", async () => {
    const c = expectReply(
      await admin.post("/api/channel/", { name: "cli-toggle", base_url: mock.url, key: "sk-t", models: "cli-rec-2" }),
      201,
    );
    const off = await channel("disable", "--id", String(c.id));
    expect({ code: off.code, stderr: off.stderr }).toEqual({ code: 0, stderr: "" });
    expect(off.stdout).toStartWith(`${c.id}\tcli-toggle\tdisabled\t`);
    let status = 0;
    for (const until = Date.now() + 3000; status !== 503 && Date.now() < until; await Bun.sleep(100))
      status = (await chat("cli-rec-2")).status;
    expect(status).toBe(503);
    const on = await channel("enable", "--id", String(c.id));
    expect(on.stdout).toStartWith(`${c.id}\tcli-toggle\tenabled\t`);
    for (const until = Date.now() + 3000; status !== 200 && Date.now() < until; await Bun.sleep(100))
      status = (await chat("cli-rec-2")).status;
    expect(status).toBe(200);
    for (const [args, expected] of [
      [["enable"], "--id"],
      [["disable", "--id", "x"], "--id"],
      [["enable", "--id", "987654"], "channel 987654 not found"],
      [["test"], "--id"],
    ] as const) {
      const r = await channel(...args);
      expectOneLineError(r, expected, args);
    }
  });

  test("an open breaker shows in list; new keys from the CLI start the server's breaker over at once", async () => {
    expectReply(await admin.put("/api/setting", { breaker_failures: 2 }), 200);
    try {
      const c = expectReply(
        await admin.post("/api/channel/", {
          name: "cli-flaky",
          base_url: mock.urlFor("status=502"),
          key: "sk-f",
          models: "cli-rec-3",
        }),
        201,
      );
      await chat("cli-rec-3");
      await chat("cli-rec-3");
      const open = await listedLine(c.id, /breaker=open/);
      expect(open).toContain("\tbreaker=open\t");
      expect(open).toContain("\tlast-error=the upstream answered 502: Bad gateway. (");
      // while open the server does not even try it
      expect((await chat("cli-rec-3")).status).toBe(503);
      const fixed = await channel("update", "--id", String(c.id), "--key", "sk-f-new", "--base-url", mock.url);
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toContain("\tbreaker=closed");
      let status = 0;
      for (const until = Date.now() + 3000; status !== 200 && Date.now() < until; await Bun.sleep(100))
        status = (await chat("cli-rec-3")).status;
      expect(status).toBe(200);
      expect(await lineOf(c.id)).not.toContain("last-error=");
    } finally {
      expectReply(await admin.put("/api/setting", { breaker_failures: 5 }), 200);
    }
  });
});

test("a channel added by the CLI reaches the running server within 1 s", async () => {
  const generation = async () => expectReply(await admin.get("/api/status"), 200).snapshot.generation as number;
  // earlier CLI writes are noticed by polling (every 200 ms): start once the snapshot has settled
  let before = await generation();
  for (let last = -1; last !== before; ) {
    last = before;
    await Bun.sleep(250);
    before = await generation();
  }
  const r = await channel(
    "add",
    "--name",
    "cli-live",
    "--base-url",
    "https://live.example",
    "--key",
    "k-live",
    "--models",
    "m",
  );
  expect(r.code).toBe(0);
  const committedAt = Date.now();
  const id = Number(r.stdout);
  let seen = false;
  let reloaded = false;
  while (!(seen && reloaded) && Date.now() - committedAt < 1000) {
    seen ||= (await listed()).items.some((c) => c.id === id);
    reloaded ||= (await generation()) > before;
    if (!(seen && reloaded)) await Bun.sleep(20);
  }
  expect({ seen, reloaded, withinMs: Date.now() - committedAt <= 1000 }).toEqual({
    seen: true,
    reloaded: true,
    withinMs: true,
  });
});
