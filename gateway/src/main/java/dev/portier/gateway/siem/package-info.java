/**
 * The SIEM feed: audit events tailed from {@code audit.jsonl} and sent as RFC 5424 syslog messages over TCP or
 * TLS with octet-counting framing, optionally with user identities pseudonymised. One dedicated thread per
 * forwarder does all reading, formatting and sending; the formatters are stateless and thread-safe. See
 * {@code docs/siem.md}.
 */
package dev.portier.gateway.siem;
