package dev.portier.access.policy;

import java.util.Locale;
import java.util.Optional;

/** The kinds of channel a policy can allow. {@code scp} (legacy) and {@code rsync} run as {@code exec}. */
public enum ChannelKind {
    SHELL, EXEC, SFTP;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ChannelKind> parse(String s) {
        for (ChannelKind k : values()) {
            if (k.key().equals(s)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
