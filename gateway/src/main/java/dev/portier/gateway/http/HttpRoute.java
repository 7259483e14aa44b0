package dev.portier.gateway.http;

/**
 * What plugs into the HTTPS front (the REST API now; the portal and the web proxy later): the requests under
 * one path prefix. The front picks the route with the longest matching prefix; paths no route owns get 404.
 */
public interface HttpRoute {

    /** The path prefix this route owns, e.g. {@code /api/v1/}; matched against the raw (undecoded) path. */
    String prefix();

    /**
     * Handles one request. Called on the channel's event loop: must not block. Answer exactly once through
     * {@link HttpCall#respond}, from any thread.
     */
    void handle(HttpCall call);
}
