// `apiyi channel add` / `apiyi channel list` as real processes on the data dir of a running server:
// add prints the new id alone and the channel shows up through the API as given; bad flags exit 2 with
// one line naming the flag (and create nothing); list prints one line per channel and never a key;
// a channel added by the CLI reaches the running server within 1 s.
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { expectReply } from "../support/expect";
import { ADMIN_PASSWORD, cli, client, login, scratchDirs, useServer } from "../support/server";

setDefaultTimeout(30_000);

const app = useServer();
const newDir = scratchDirs("apiyi-cli-channel-");
let admin: ReturnType<typeof client>;
let cwd: string;

/** `apiyi channel <args> --data-dir <the server's>`, run from an empty folder. */
const channel = (...args: string[]) => cli(["channel", ...args, "--data-dir", app.server.dataDir], { cwd });
const listed = async () => expectReply(await admin.get("/api/channel/?size=100"), 200) as { items: { id: number; name: string }[]; total: number };

beforeAll(async () => {
  cwd = newDir();
  admin = client(app.url, await login(app.url, "admin", ADMIN_PASSWORD));
  expectReply(await admin.post("/api/group/", { name: "cli-vip" }), 201);
});

describe("channel add", () => {
  test("prints the new id and nothing else; the API shows the channel as given", async () => {
    const [k1, k2] = ["sk-cli-first-0123456789", "sk-cli-second-0123456789"];
    const r = await channel("add", "--name", "cli-deepseek", "--base-url", "https://api.deepseek.com/", "--key", k1, "--key", k2,
      "--models", "deepseek-chat,fast", "--group", "default,cli-vip", "--priority", "3", "--weight", "5", "--mapping", "fast=deepseek-chat");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/^\d+\n$/);
    const id = Number(r.stdout);
    const c = expectReply(await admin.get(`/api/channel/${id}`), 200);
    expect(c).toMatchObject({
      id, name: "cli-deepseek", type: "openai", base_url: "https://api.deepseek.com/v1", key_count: 2, models: ["deepseek-chat", "fast"],
      model_mapping: { fast: "deepseek-chat" }, groups: ["default", "cli-vip"], priority: 3, weight: 5, status: 1,
    });

    const defaults = await channel("add", "--name", "cli-plain", "--base-url", "http://127.0.0.1:11434", "--key", "k", "--models", "llama3");
    expect(defaults.code).toBe(0);
    expect(expectReply(await admin.get(`/api/channel/${Number(defaults.stdout)}`), 200)).toMatchObject({
      base_url: "http://127.0.0.1:11434/v1", groups: ["default"], priority: 0, weight: 1, model_mapping: {}, key_count: 1,
    });
  });

  const BAD: [string, string[], string?][] = [
    ["--name", ["--base-url", "https://x.example", "--key", "k", "--models", "m"]],
    ["--base-url", ["--name", "n", "--base-url", "ftp://x.example", "--key", "k", "--models", "m"]],
    ["--base-url", ["--name", "n", "--base-url", "https://user:hunter2@x.example", "--key", "k", "--models", "m"], "hunter2"],
    ["--key", ["--name", "n", "--base-url", "https://x.example", "--models", "m"]],
    ["--key", ["--name", "n", "--base-url", "https://x.example", "--key", "sk-has secret-space", "--models", "m"], "secret"],
    ["--models", ["--name", "n", "--base-url", "https://x.example", "--key", "k"]],
    ["--group", ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--group", "no-such-group"]],
    ["--priority", ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--priority", "high"]],
    ["--weight", ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--weight=-1"]],
    ["--mapping", ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--mapping", "fast"]],
    ["--mapping", ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--mapping", "fast="]],
    ["--type", ["--name", "n", "--base-url", "https://x.example", "--key", "k", "--models", "m", "--type", "gemini"]],
    ["--bogus", ["--name", "n", "--bogus", "1"]],
  ];
  test("bad flags: exit 2, one line naming the flag, no secret repeated, nothing created", async () => {
    const before = (await listed()).total;
    const results = await Promise.all(BAD.map(([, args]) => channel("add", ...args)));
    results.forEach((r, i) => {
      const [flag, , secret] = BAD[i];
      const lines = r.stderr.replace(/\n$/, "").split("\n");
      expect({ flag, code: r.code, lines: lines.length, stdout: r.stdout }).toEqual({ flag, code: 2, lines: 1, stdout: "" });
      expect(r.stderr).toStartWith("apiyi channel add: ");
      expect(r.stderr).toContain(flag);
      if (secret) expect(r.stderr).not.toContain(secret);
    });
    expect((await listed()).total).toBe(before);
  });

  test("--help for both commands exits 0 with the usage line", async () => {
    for (const name of ["add", "list"]) {
      const r = await cli(["channel", name, "--help"], { cwd });
      expect({ name, code: r.code }).toEqual({ name, code: 0 });
      expect(r.stdout).toMatch(new RegExp(`^usage: apiyi channel ${name}\\b`));
    }
    expect((await cli(["--help"], { cwd })).stdout).toContain("channel add");
  });
});

describe("channel list", () => {
  test("one line per channel, in id order, with no key", async () => {
    const key = "sk-listed-never-printed-42";
    const made = expectReply(await admin.post("/api/channel/", { name: "api-made", base_url: "https://x.example", key, models: "m1,m2" }), 201);
    const r = await channel("list");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const lines = r.stdout.trimEnd().split("\n");
    const { items, total } = await listed();
    expect(lines.length).toBe(total);
    expect(lines.map((l) => Number(l.split("\t")[0]))).toEqual(items.map((c) => c.id).sort((a, b) => a - b));
    const line = lines.find((l) => l.startsWith(`${made.id}\t`));
    expect(line).toBe(`${made.id}\tapi-made\tenabled\topenai\thttps://x.example/v1\tgroups=default\tmodels=m1,m2\tkeys=1`);
    for (const secret of [key, "sk-cli-first-0123456789", "sk-cli-second-0123456789"]) expect(r.stdout).not.toContain(secret);
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
  const r = await channel("add", "--name", "cli-live", "--base-url", "https://live.example", "--key", "k-live", "--models", "m");
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
  expect({ seen, reloaded, withinMs: Date.now() - committedAt <= 1000 }).toEqual({ seen: true, reloaded: true, withinMs: true });
});
