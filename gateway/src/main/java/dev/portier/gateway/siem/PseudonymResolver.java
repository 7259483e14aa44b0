package dev.portier.gateway.siem;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Maps a pseudonym back to a user name for an auditor. An HMAC cannot be inverted, so the resolver recomputes the
 * pseudonym of every name Portier knows (the configured users and every identity found in the audit log) and
 * answers the one that matches. Not thread-safe; one per lookup.
 */
public final class PseudonymResolver {
    private static final Pattern FORM = Pattern.compile("p-[0-9a-f]{16}");

    private final Pseudonymizer pseudonyms;

    public PseudonymResolver(byte[] key) {
        this.pseudonyms = new Pseudonymizer(key, List.of());
    }

    /** True for text shaped like a pseudonym: {@code p-} and 16 lowercase hex digits. */
    public static boolean wellFormed(String text) {
        return FORM.matcher(text).matches();
    }

    /** The name whose pseudonym is {@code pseudonym}, among {@code configured} and the names in the audit log. */
    public Optional<String> resolve(String pseudonym, Collection<String> configured, Path auditFile) throws IOException {
        TreeSet<String> names = new TreeSet<>(configured);
        if (Files.exists(auditFile)) {
            try (BufferedReader in = Files.newBufferedReader(auditFile, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    AuditRecord r = AuditRecord.parse(line.getBytes(StandardCharsets.UTF_8));
                    if (r != null) {
                        names.addAll(Pseudonymizer.identities(r.node()));
                    }
                }
            }
        }
        return names.stream().filter(n -> pseudonyms.pseudonym(n).equals(pseudonym)).findFirst();
    }
}
