// Test support: a self-signed TLS certificate for "upstream.test" (EC P-256, valid 2020–2120; made once with
// `openssl ca -selfsign`), so that tests can serve HTTPS on 127.0.0.1 under a name and check that the egress
// guard keeps the TLS name (SNI and certificate check) while connecting to the checked address.
export const UPSTREAM_TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBajCCARCgAwIBAgIBATAKBggqhkjOPQQDAjAYMRYwFAYDVQQDDA11cHN0cmVh
bS50ZXN0MCAXDTIwMDEwMTAwMDAwMFoYDzIxMjAwMTAxMDAwMDAwWjAYMRYwFAYD
VQQDDA11cHN0cmVhbS50ZXN0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAErK/6
Q2VLpxtINIkUjdaTSKjXhdYeLz+dhd28L+7xU3xu8aKu3ujhjmxITAH3HoqIjeUA
FtV4tubKj6BIWI6mcaNJMEcwGAYDVR0RBBEwD4INdXBzdHJlYW0udGVzdDAMBgNV
HRMBAf8EAjAAMB0GA1UdDgQWBBTdpjvkfaT4RH0pBOsbBfrAxmzfGzAKBggqhkjO
PQQDAgNIADBFAiBqSO9YDr9yGA0Hjd0ymMHWtIU92uFd8gDnxdaCyXP/tgIhAOrg
vgWoL6ZLEcgdCqX1DrBwpdNcUcsh6M9601BIW4P6
-----END CERTIFICATE-----`;
export const UPSTREAM_TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7jmtg3xxHlf5wiGt
hNdVPjoTQhYME5XIeVViulaUYt2hRANCAASsr/pDZUunG0g0iRSN1pNIqNeF1h4v
P52F3bwv7vFTfG7xoq7e6OGObEhMAfceioiN5QAW1Xi25sqPoEhYjqZx
-----END PRIVATE KEY-----`;
