package dev.portier.config;

import java.util.regex.Pattern;

/** A host (name, IPv4 or IPv6 literal without brackets) and a TCP port 1..65535. */
public record HostPort(String host, int port) {
    /** Port of a target address written without one. */
    public static final int SSH_PORT = 22;

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?\\.?");
    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}, the port required (listen addresses).
     *
     * @throws IllegalArgumentException with a message that quotes the text and shows the expected form
     */
    public static HostPort parse(String text) {
        return parse(text, 0);
    }

    /**
     * Parses {@code host[:port]} or {@code [v6][:port]}; a missing port becomes {@code defaultPort}, or is an
     * error when {@code defaultPort} is 0. A bare IPv6 literal is refused: {@code fe80::1:22} would be ambiguous.
     *
     * @throws IllegalArgumentException with a message that quotes the text and shows the expected form
     */
    public static HostPort parse(String text, int defaultPort) {
        String form = defaultPort == 0 ? "host:port" : "host[:port]";
        IllegalArgumentException bad = new IllegalArgumentException(
                Problems.quote(text) + " is not " + form + " (port 1-65535; IPv6 as [address]:port)");
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw bad;
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else if (!rest.isEmpty()) {
                throw bad;
            }
            if (!IPV6.matcher(host).matches()) {
                throw bad;
            }
        } else {
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
            if (!validHostName(host)) {
                throw bad;
            }
        }
        if (port == null) {
            if (defaultPort == 0) {
                throw bad;
            }
            return new HostPort(host, defaultPort);
        }
        if (!PORT.matcher(port).matches()) {
            throw bad;
        }
        int number = Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            throw bad;
        }
        return new HostPort(host, number);
    }

    private static boolean validHostName(String host) {
        if (!HOST_NAME.matcher(host).matches() || host.contains("..")) {
            return false;
        }
        if (IPV4_LIKE.matcher(host).matches()) {
            for (String octet : host.split("\\.")) {
                if (octet.length() > 3 || Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
        }
        return true;
    }
}
