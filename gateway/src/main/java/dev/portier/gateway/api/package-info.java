/**
 * The REST API under {@code /api/v1}: bearer tokens that Portier signs ({@link dev.portier.gateway.api.TokenService})
 * and JSON resources for requests, grants and live sessions that mirror the SSH commands. Requests are handed
 * over by the HTTPS front on its event loop; everything that may touch the database runs on the API's own
 * small worker pool, and answers go back through the front.
 */
package dev.portier.gateway.api;
