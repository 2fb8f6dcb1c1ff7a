// The names a catalog model answers to: its id and the exact aliases of its match rule (not
// prefixes, patterns or `and` parts); derived names cut an aggregator's org and lower the case.
import { expect, test } from "bun:test";
import { derivedNames, directNames } from "../../../src/core/catalog/names";

test("the id, then every `equals` under `or`, once", () => {
  expect(
    directNames("grok-4-0709", {
      or: [{ equals: "grok-4-0709" }, { equals: "grok-4" }, { or: [{ equals: "grok-4-latest" }] }],
    }),
  ).toEqual(["grok-4-0709", "grok-4", "grok-4-latest"]);
  expect(directNames("claude-3-haiku", { starts_with: "claude-3-haiku" })).toEqual(["claude-3-haiku"]);
  expect(
    directNames("gemini-2.5-flash-lite", {
      or: [{ equals: "gemini-2.5-flash-lite" }, { and: [{ equals: "never-alone" }, { regex: "x" }] }],
    }),
  ).toEqual(["gemini-2.5-flash-lite"]);
});

test("derived: the org cut off an aggregator's id; a mixed-case name without a path in lower case", () => {
  expect(derivedNames("qwen/qwen3-32b")).toEqual(["qwen3-32b"]);
  expect(derivedNames("Qwen/Qwen3-32B")).toEqual(["Qwen3-32B", "qwen3-32b"]);
  expect(derivedNames("GLM-5.2")).toEqual(["glm-5.2"]);
  expect(derivedNames("@cf/meta/llama-3-8b")).toEqual([]);
  expect(derivedNames("accounts/fireworks/models/x")).toEqual([]);
  expect(derivedNames("gpt-4o")).toEqual([]);
});
