/**
 * The HTTPS front: one Netty server (TLS 1.2+, HTTP/1.1, bodies aggregated up to 64 KiB) that hands each
 * request to the {@link dev.portier.gateway.http.HttpRoute} owning its path prefix. Handlers run on the event
 * loop and must not block; routes that touch the database answer from their own workers through
 * {@link dev.portier.gateway.http.HttpCall#respond}, which hops back onto the channel's event loop.
 */
package dev.portier.gateway.http;
