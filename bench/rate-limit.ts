// What the rate limiter costs a call, in process (no server): admit + headroom (the headers) + release
// for a token and its owner with all four limits in force, against a clock that moves 1 ms a call
// (windows roll over all the time), and the same with no limit in force (the relay skips it then).
//   bun bench/rate-limit.ts [--calls 1000000]
import { admit, headroom, NO_LIMITS, RateState, release, type Scope } from "../src/core/rate-limit";
import { flag } from "./lib";

const CALLS = Number(flag("--calls") ?? 1_000_000);
const limits = { rpm: 1e9, tpm: 1e12, rpd: 1e9, parallel: 1e6 };

function run(scopes: Scope[]): number {
  let now = 1_700_000_000_000;
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    now += 1;
    if (!scopes.length) continue;
    const a = admit(scopes, now, 5000);
    if ("limit" in a) throw new Error(`refused: ${a.limit}`);
    headroom(scopes, now, "requests");
    headroom(scopes, now, "tokens");
    release(a, now, 1200);
  }
  return ((performance.now() - t0) * 1000) / CALLS;
}

const limited = (): Scope[] => [
  { name: "token", key: "t1", state: new RateState(), limits },
  { name: "user", key: "u1", state: new RateState(), limits },
];
run(limited()); // warm up
const all = run(limited());
const one = run([{ name: "token", key: "t1", state: new RateState(), limits: { ...NO_LIMITS, rpm: 1e9 } }]);
console.log(`| limits in force | µs per call (admit + headers + release) |`);
console.log(`|---|---|`);
console.log(`| token and owner, all four limits | ${all.toFixed(2)} |`);
console.log(`| token, requests per minute only | ${one.toFixed(2)} |`);
console.log(`\n${CALLS.toLocaleString("en")} calls each, the clock moving 1 ms a call.`);
