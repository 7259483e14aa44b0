package dev.portier.access.sod;

import dev.portier.access.identity.Identity;
import dev.portier.config.LocalUser;
import java.util.Locale;

/**
 * Who is the same person. User names are unique regardless of case, so {@code Alice} and {@code alice} are one
 * person; the same name in two realms is two people. Comparisons used to refuse lean towards "same".
 */
public final class People {
    private People() {
    }

    /** The canonical form of an identity: {@code user@realm}, the user in lower case. */
    public static String key(Identity id) {
        return key(id.user(), id.realm());
    }

    /** Whether two identities are one person. */
    public static boolean same(Identity a, Identity b) {
        return key(a).equals(key(b));
    }

    /**
     * Whether {@code id} is the person a stored name refers to: {@code user} (any case) or {@code user@realm};
     * a name without realm matches the user in any realm, because a stored name cannot tell them apart.
     *
     * @param realm the realm stored beside the name, or {@code null} when unknown
     */
    public static boolean isNamed(Identity id, String user, String realm) {
        if (user == null) {
            return false;
        }
        String name = user;
        String nameRealm = realm;
        int at = user.lastIndexOf('@');
        if (nameRealm == null && at > 0) {
            name = user.substring(0, at);
            nameRealm = user.substring(at + 1);
        }
        if (!name.equalsIgnoreCase(id.user())) {
            return false;
        }
        return nameRealm == null || nameRealm.equals(realm(id.realm()));
    }

    private static String key(String user, String realm) {
        return user.toLowerCase(Locale.ROOT) + "@" + realm(realm);
    }

    private static String realm(String realm) {
        return realm == null || realm.isBlank() ? LocalUser.DEFAULT_REALM : realm;
    }
}
