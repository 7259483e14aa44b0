package dev.portier.gateway.ssh;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an SSH username asks for: {@code <user>[<sep>[<account>@]<target>]} with {@code <sep>} either {@code :}
 * or {@code #} ({@code #} keeps scp and rsync argument parsing happy). OpenSSH splits user and host on the
 * last {@code @}, so {@code alice:admin@rtr-bru-01@portier} arrives here as {@code alice:admin@rtr-bru-01}.
 * A Keycloak user of another realm may name it: {@code <name>@<realm>} as {@code <user>}, so
 * {@code kate@partners:admin@lab} is kate of partners going to lab as admin. The user part ends at the first
 * separator, so the {@code @} of a realm and the {@code @} of an account never meet.
 *
 * @param account null for the target's first account
 * @param target  null when no target is named (menu or Portier command)
 */
public record SshLogin(String user, String account, String target) {
    private static final int MAX_LENGTH = 256;
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,63}(@[A-Za-z0-9][A-Za-z0-9._-]{0,62})?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public boolean hasTarget() {
        return target != null;
    }

    /** The username as a person would type it, normalised to the {@code :} separator. */
    public String display() {
        if (target == null) {
            return user;
        }
        return user + ":" + (account == null ? "" : account + "@") + target;
    }

    /**
     * @return the parsed login, or empty when the username does not follow the grammar (the caller refuses
     *         the login with a clear message; nothing here echoes control characters back)
     */
    public static Optional<SshLogin> parse(String username) {
        if (username == null || username.isEmpty() || username.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int sep = indexOfSeparator(username);
        if (sep < 0) {
            return USER.matcher(username).matches() ? Optional.of(new SshLogin(username, null, null)) : Optional.empty();
        }
        String user = username.substring(0, sep);
        String rest = username.substring(sep + 1);
        if (!USER.matcher(user).matches()) {
            return Optional.empty();
        }
        String account = null;
        String target = rest;
        int at = rest.indexOf('@');
        if (at >= 0) {
            account = rest.substring(0, at);
            target = rest.substring(at + 1);
            if (!NAME.matcher(account).matches()) {
                return Optional.empty();
            }
        }
        if (!NAME.matcher(target).matches()) {
            return Optional.empty();
        }
        return Optional.of(new SshLogin(user, account, target));
    }

    private static int indexOfSeparator(String s) {
        int colon = s.indexOf(':');
        int hash = s.indexOf('#');
        if (colon < 0) {
            return hash;
        }
        return hash < 0 ? colon : Math.min(colon, hash);
    }
}
