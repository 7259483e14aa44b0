package dev.portier.gateway.keycloak;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys of each trusted realm, fetched from its JWKS endpoint and cached with Caffeine. A token whose
 * {@code kid} is not in the cached set triggers one fresh fetch (Keycloak rotated its keys), but at most one per
 * realm every {@link #MIN_REFRESH}, so a stream of forged {@code kid}s cannot turn Portier into a load generator
 * against Keycloak. Only public asymmetric keys are kept: an {@code oct} key in a JWKS is dropped.
 */
final class RealmKeys {
    static final Duration TTL = Duration.ofMinutes(15);
    static final Duration MIN_REFRESH = Duration.ofSeconds(10);
    /** Far above a realm's few keys; a larger answer is not a JWKS Portier trusts. */
    static final int MAX_JWKS_BYTES = 256 * 1024;

    private final Map<String, URI> jwksUris;
    private final HttpClient http;
    private final Clock clock;
    private final Cache<String, JWKSet> cache = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(64).build();
    private final Map<String, Instant> lastFetch = new ConcurrentHashMap<>();

    /** @param jwksUris realm name to its {@code .../protocol/openid-connect/certs} */
    RealmKeys(Map<String, URI> jwksUris, HttpClient http, Clock clock) {
        this.jwksUris = Map.copyOf(jwksUris);
        this.http = http;
        this.clock = clock;
    }

    /** The keys of {@code realm}, as Nimbus' key selector asks for them. */
    JWKSource<SecurityContext> source(String realm) {
        return (JWKSelector selector, SecurityContext ctx) -> select(realm, selector);
    }

    private List<JWK> select(String realm, JWKSelector selector) throws KeySourceException {
        JWKSet keys = cache.getIfPresent(realm);
        if (keys == null) {
            keys = refresh(realm, true);
        }
        List<JWK> found = selector.select(keys);
        if (found.isEmpty()) {
            JWKSet fresh = refresh(realm, false);
            if (fresh != keys) {
                found = selector.select(fresh);
            }
        }
        return found;
    }

    /** Fetches again unless the last fetch was too recent (then answers the cached set); {@code force} when none. */
    private synchronized JWKSet refresh(String realm, boolean force) throws KeySourceException {
        JWKSet cached = cache.getIfPresent(realm);
        Instant now = clock.instant();
        Instant last = lastFetch.get(realm);
        if (cached != null && last != null && now.isBefore(last.plus(MIN_REFRESH))) {
            return cached;
        }
        if (cached == null && !force && last != null && now.isBefore(last.plus(MIN_REFRESH))) {
            throw new KeySourceException("the signing keys of realm " + realm + " are unavailable");
        }
        lastFetch.put(realm, now);
        JWKSet fetched = fetch(realm);
        cache.put(realm, fetched);
        return fetched;
    }

    private JWKSet fetch(String realm) throws KeySourceException {
        URI uri = jwksUris.get(realm);
        if (uri == null) {
            throw new KeySourceException("realm " + realm + " is not trusted");
        }
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readNBytes(MAX_JWKS_BYTES + 1);
            }
            if (r.statusCode() != 200) {
                throw new KeySourceException("Keycloak answered " + r.statusCode() + " for the keys of realm " + realm);
            }
            if (body.length > MAX_JWKS_BYTES) {
                throw new KeySourceException("the key set of realm " + realm + " is larger than " + MAX_JWKS_BYTES
                        + " bytes");
            }
            // toPublicJWKSet drops symmetric keys and any private part a misconfigured server might publish.
            return JWKSet.parse(new String(body, StandardCharsets.UTF_8)).toPublicJWKSet();
        } catch (IOException e) {
            throw new KeySourceException("cannot fetch the keys of realm " + realm + " from " + uri + ": "
                    + e.getMessage(), e);
        } catch (ParseException e) {
            throw new KeySourceException("the key set of realm " + realm + " is not a JWKS: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeySourceException("interrupted while fetching the keys of realm " + realm, e);
        }
    }
}
