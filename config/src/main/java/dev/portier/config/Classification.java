package dev.portier.config;

import java.util.Locale;

/** How sensitive a target is; drives approval defaults and retention in later issues. */
public enum Classification {
    PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
