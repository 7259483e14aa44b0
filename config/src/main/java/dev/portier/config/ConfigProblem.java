package dev.portier.config;

/**
 * One problem in a configuration file, printed as {@code portier.yaml:12: targets[0].address: message}.
 *
 * @param line 1-based, 0 when unknown
 * @param key  the dotted path of the key, e.g. {@code targets[2].hostKey}
 */
public record ConfigProblem(String file, int line, String key, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + key + ": " + message;
    }
}
