package dev.portier.gateway.ssh;

import dev.portier.config.AlgorithmsConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KexFactoryManager;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.signature.BuiltinSignatures;

/**
 * Algorithm choices in one place. Modern defaults put AES-GCM first: it runs on the JDK's AES-NI/GHASH
 * intrinsics, while MINA's ChaCha20-Poly1305 is pure Java (measured at less than half the throughput, see
 * BENCHMARKS.md). CBC modes and SHA-1 are off unless a target's {@code algorithms} asks for them (old network
 * equipment).
 *
 * <p>Towards users the SSH client's preference decides, and OpenSSH lists ChaCha20 first: so the user-facing
 * list leaves ChaCha20 out, and stock OpenSSH clients get AES-CTR (or AES-GCM when they ask for it).
 */
public final class Algorithms {
    /** Ciphers offered by default, both towards users and towards targets. */
    public static final List<BuiltinCiphers> MODERN_CIPHERS = List.of(
            BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.cc20p1305_openssh,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);

    public static final List<BuiltinMacs> MODERN_MACS = List.of(
            BuiltinMacs.hmacsha256etm, BuiltinMacs.hmacsha512etm, BuiltinMacs.hmacsha256, BuiltinMacs.hmacsha512);

    private Algorithms() {
    }

    /** Offered to users: AES only (see the class comment). */
    public static final List<BuiltinCiphers> USER_FACING_CIPHERS = List.of(
            BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr,
            BuiltinCiphers.aes256ctr);

    public static List<NamedFactory<Cipher>> modernCiphers() {
        return supported(MODERN_CIPHERS);
    }

    public static List<NamedFactory<Cipher>> userFacingCiphers() {
        return supported(USER_FACING_CIPHERS);
    }

    private static List<NamedFactory<Cipher>> supported(List<BuiltinCiphers> ciphers) {
        List<NamedFactory<Cipher>> out = new ArrayList<>();
        for (BuiltinCiphers c : ciphers) {
            if (c.isSupported()) {
                out.add(c);
            }
        }
        return out;
    }

    public static List<NamedFactory<Mac>> modernMacs() {
        return new ArrayList<>(MODERN_MACS);
    }

    /**
     * Applies a target's overrides to a client session before its key exchange starts.
     *
     * @throws IllegalArgumentException naming the first unknown or unsupported algorithm
     */
    public static void apply(AlgorithmsConfig cfg, KexFactoryManager session) {
        if (!cfg.ciphers().isEmpty()) {
            session.setCipherFactoriesNames(checked("cipher", cfg.ciphers(), BuiltinCiphers.parseCiphersList(cfg.ciphers())
                    .getUnsupportedFactories()));
        }
        if (!cfg.macs().isEmpty()) {
            session.setMacFactoriesNames(checked("MAC", cfg.macs(), BuiltinMacs.parseMacsList(cfg.macs())
                    .getUnsupportedFactories()));
        }
        if (!cfg.hostKeys().isEmpty()) {
            session.setSignatureFactoriesNames(checked("host key algorithm", cfg.hostKeys(),
                    BuiltinSignatures.parseSignatureList(cfg.hostKeys()).getUnsupportedFactories()));
        }
        if (!cfg.kex().isEmpty()) {
            BuiltinDHFactories.ParseResult parsed = BuiltinDHFactories.parseDHFactoriesList(cfg.kex());
            checked("key exchange", cfg.kex(), parsed.getUnsupportedFactories());
            List<KeyExchangeFactory> kex = new ArrayList<>();
            parsed.getParsedFactories().forEach(f -> kex.add(ClientBuilder.DH2KEX.apply(f)));
            session.setKeyExchangeFactories(kex);
        }
    }

    /** Checks a target's overrides at startup so a typo fails the configuration, not a session. */
    public static void validate(String target, AlgorithmsConfig cfg) {
        check(target, "kex", BuiltinDHFactories.parseDHFactoriesList(cfg.kex()).getUnsupportedFactories());
        check(target, "ciphers", BuiltinCiphers.parseCiphersList(cfg.ciphers()).getUnsupportedFactories());
        check(target, "macs", BuiltinMacs.parseMacsList(cfg.macs()).getUnsupportedFactories());
        check(target, "hostKeys", BuiltinSignatures.parseSignatureList(cfg.hostKeys()).getUnsupportedFactories());
    }

    private static void check(String target, String key, Collection<String> unsupported) {
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("targets." + target + ".algorithms." + key + ": unsupported "
                    + String.join(", ", unsupported));
        }
    }

    private static List<String> checked(String what, List<String> names, Collection<String> unsupported) {
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("unsupported " + what + ": " + String.join(", ", unsupported));
        }
        return names;
    }
}
