// IP allowlist parsing and matching, IPv4, IPv6 and IPv4-mapped IPv6.
import { expect, test } from "bun:test";
import { ipInList, parseCidr, type Cidr } from "../../src/core/ip";

const list = (...entries: string[]) => entries.map((e) => parseCidr(e)).filter((c): c is Cidr => c !== null);

test("valid entries parse, invalid ones do not", () => {
  for (const ok of ["1.2.3.4", "10.0.0.0/8", "0.0.0.0/0", "::1", "2001:db8::/32", "fe80::1/128"])
    expect(parseCidr(ok)).not.toBeNull();
  for (const bad of [
    "1.2.3",
    "10.0.0.0/33",
    "::1/129",
    "abc",
    "1.2.3.4/",
    "1.2.3.4/8/8",
    "256.1.1.1",
    "",
    "10.0.0.0/-1",
  ]) {
    expect(parseCidr(bad)).toBeNull();
  }
});

test("matching by prefix", () => {
  const l = list("10.0.0.0/8", "192.168.1.7", "2001:db8::/32");
  expect(ipInList("10.200.3.4", l)).toBe(true);
  expect(ipInList("11.0.0.1", l)).toBe(false);
  expect(ipInList("192.168.1.7", l)).toBe(true);
  expect(ipInList("192.168.1.8", l)).toBe(false);
  expect(ipInList("2001:db8:1::5", l)).toBe(true);
  expect(ipInList("2001:db9::5", l)).toBe(false);
  expect(ipInList("not-an-ip", l)).toBe(false);
});

test("an IPv4 client seen through a dual-stack socket matches IPv4 entries", () => {
  expect(ipInList("::ffff:10.1.2.3", list("10.0.0.0/8"))).toBe(true);
  expect(ipInList("::1", list("127.0.0.1"))).toBe(false);
});
