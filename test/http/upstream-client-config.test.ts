// APIYI_UPSTREAM_CLIENT (src/config.ts): h1 by default, fetch when asked; anything else stops the
// command with one line naming the variable.
import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig, upstreamClient } from "../../src/config";

describe("APIYI_UPSTREAM_CLIENT", () => {
  test("h1 unless fetch is asked for", () => {
    expect(upstreamClient({})).toBe("h1");
    expect(upstreamClient({ APIYI_UPSTREAM_CLIENT: "h1" })).toBe("h1");
    expect(upstreamClient({ APIYI_UPSTREAM_CLIENT: "fetch" })).toBe("fetch");
  });

  test("a value other than h1 or fetch is refused, naming the variable", () => {
    expect(() => loadConfig({}, { APIYI_UPSTREAM_CLIENT: "curl" })).toThrow(
      new ConfigError('APIYI_UPSTREAM_CLIENT: must be h1 or fetch (got "curl")'),
    );
    expect(() => loadConfig({}, { APIYI_UPSTREAM_CLIENT: "fetch" })).not.toThrow();
  });
});
