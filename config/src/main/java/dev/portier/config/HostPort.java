package dev.portier.config;

/** A host (name, IPv4 or IPv6 literal without brackets) and a TCP port 1..65535. */
public record HostPort(String host, int port) {
    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
