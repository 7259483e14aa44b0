package dev.portier.gateway.transfer;

/**
 * The observed stream stopped following the protocol as far as the observer can tell; the observer stops
 * parsing. Expected on hostile or unsupported input, so it carries no stack trace.
 */
final class ProtocolViolation extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
