// The names clients send for one catalog model: its id, every exact alias its match rule lists
// (e.g. grok-4-0709 ← "grok-4", "grok-4-latest"), and, at a lower rank, the names derived from
// those: an aggregator's "org/model" without its org, and a mixed-case name without "/" in lower case.
export type Match =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { or: Match[] }
  | { and: Match[] };

/** Exact names a match rule accepts on their own: `equals` leaves, through `or` only (a leaf under
 * `and` needs its siblings too; prefixes and patterns name no single model). */
function exactNames(m: Match, out: string[]) {
  if ("equals" in m) out.push(m.equals);
  else if ("or" in m) for (const branch of m.or) exactNames(branch, out);
  return out;
}

/** The id and its exact aliases, in that order, without repeats. */
export const directNames = (id: string, match: Match | undefined) => [
  ...new Set([id, ...(match ? exactNames(match, []) : [])]),
];

/** "qwen/qwen3-32b" → "qwen3-32b"; "GLM-5.2" → "glm-5.2"; "Qwen/Qwen3-32B" → "Qwen3-32B", "qwen3-32b".
 * Paths of hosts (`@cf/…`, `accounts/…/models/…`) keep their shape. */
export function derivedNames(name: string): string[] {
  const out: string[] = [];
  const parts = name.split("/");
  if (parts.length === 2 && parts[0] && parts[1] && !name.startsWith("@")) out.push(parts[1]);
  for (const n of [name, ...out]) if (!n.includes("/") && n !== n.toLowerCase()) out.push(n.toLowerCase());
  return [...new Set(out)].filter((n) => n !== name);
}
