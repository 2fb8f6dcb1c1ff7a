// The public-only rule of core/egress.ts (users' webhooks): loopback, private, shared, link-local,
// multicast, reserved and metadata addresses are refused in every spelling (IPv4 forms, IPv6, mapped
// IPv4), and so are local names; public addresses and names pass (names are checked again once resolved).
import { expect, test } from "bun:test";
import { isLoopback, nonPublicAddress, nonPublicHost, parseIp } from "../../src/core/egress";

test("non-public addresses are refused in every spelling", () => {
  for (const host of [
    "127.0.0.1",
    "0x7f.1",
    "2130706433",
    "10.1.2.3",
    "172.31.255.255",
    "192.168.0.1",
    "100.64.0.1",
    "169.254.169.254",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "[::1]",
    "[::]",
    "[fd00::1]",
    "[fe80::1]",
    "[ff02::1]",
    "[::ffff:192.168.0.1]",
    "[::ffff:127.0.0.1]",
  ])
    expect(nonPublicHost(host)).not.toBeNull();
});

test("public addresses and names pass; local names and metadata names do not", () => {
  for (const host of ["8.8.8.8", "1.1.1.1", "[2606:4700::1111]", "hooks.example.com", "172.32.0.1"])
    expect(nonPublicHost(host)).toBeNull();
  for (const host of ["localhost", "api.localhost", "printer.local", "metadata.google.internal", "nas.lan"])
    expect(nonPublicHost(host)).not.toBeNull();
  expect(nonPublicAddress(parseIp("100.100.100.200")!)).not.toBeNull(); // a metadata address, in shared space
});

test("loopback, for the test-only exception", () => {
  expect(isLoopback(parseIp("127.0.0.1")!)).toBe(true);
  expect(isLoopback(parseIp("127.9.9.9")!)).toBe(true);
  expect(isLoopback(parseIp("::1")!)).toBe(true);
  expect(isLoopback(parseIp("::ffff:127.0.0.1")!)).toBe(true);
  expect(isLoopback(parseIp("10.0.0.1")!)).toBe(false);
  expect(isLoopback(parseIp("::2")!)).toBe(false);
});
