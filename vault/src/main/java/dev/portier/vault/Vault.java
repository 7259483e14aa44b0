package dev.portier.vault;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The credential store: one envelope-encrypted JSON file per {@code target/account} under
 * {@code <data>/vault/}. See {@link EnvelopeCipher} for the format's guarantees and {@link MasterKey}
 * for where the master key comes from.
 */
public final class Vault implements CredentialSource {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final int MAX_NAME_LENGTH = 128;
    private static final String SUFFIX = ".json";
    private static final String UNREADABLE = "unreadable";
    /** Not a valid target name, so never listed and never reachable from the CLI. */
    private static final String SYSTEM = ".system";
    private static final String SYSTEM_KIND = "system-secret";
    /** The purpose bound into a wrapped recording key. */
    private static final String RECORDING_KEY = "recording-key";

    private final Path root;
    private final EnvelopeCipher cipher;
    private final ObjectMapper json = new ObjectMapper();

    private Vault(Path root, EnvelopeCipher cipher) {
        this.root = root;
        this.cipher = cipher;
    }

    /** Opens the vault of {@code dataDir}, with the master key from {@code PORTIER_MASTER_KEY} or {@code <dataDir>/master.key}. */
    public static Vault open(Path dataDir) throws VaultException {
        return open(dataDir, Optional.ofNullable(System.getenv(MasterKey.ENV_VARIABLE)));
    }

    /** As {@link #open(Path)}, with the environment's master key given explicitly (empty: use the key file). */
    public static Vault open(Path dataDir, Optional<String> masterKeyBase64) throws VaultException {
        return new Vault(dataDir.resolve("vault"), new EnvelopeCipher(MasterKey.load(dataDir, masterKeyBase64)));
    }

    /**
     * As {@link #open(Path)}, but never creates a master key: for commands that read what a gateway wrote, where a
     * new key could only fail to decrypt it.
     */
    public static Vault openExisting(Path dataDir) throws VaultException {
        Optional<String> env = Optional.ofNullable(System.getenv(MasterKey.ENV_VARIABLE));
        return new Vault(dataDir.resolve("vault"), new EnvelopeCipher(MasterKey.load(dataDir, env, false)));
    }

    /**
     * Wraps the data key of recording {@code recordingId} with the master key, bound to that id: the text returned
     * (no secret without the master key) unwraps for this recording only.
     */
    public String wrapRecordingKey(String recordingId, byte[] dataKey) throws VaultException {
        checkName("recording", recordingId);
        if (dataKey == null || dataKey.length != MasterKey.LENGTH) {
            throw new VaultException("a recording key has " + MasterKey.LENGTH + " bytes");
        }
        return cipher.wrapKey(RECORDING_KEY, recordingId, dataKey);
    }

    /**
     * The data key of recording {@code recordingId}, from the text {@link #wrapRecordingKey} made.
     *
     * @throws VaultException naming the cause: another master key, or a wrapped key that was altered or belongs
     *                        to another recording
     */
    public byte[] unwrapRecordingKey(String recordingId, String wrapped) throws VaultException {
        checkName("recording", recordingId);
        String[] parts = wrapped == null ? new String[0] : wrapped.split("\\.", -1);
        if (parts.length != 4 || !EnvelopeCipher.WRAP_PREFIX.equals(parts[0]) || !parts[1].matches("[0-9a-f]{16}")) {
            throw new VaultException("the wrapped key of recording " + recordingId + " is malformed: the recording"
                    + " file was altered; restore it from a copy");
        }
        if (!parts[1].equals(cipher.keyId())) {
            throw new VaultException("recording " + recordingId + " was encrypted under another master key (key id "
                    + parts[1] + ", this one is " + cipher.keyId() + "); use the master key of the gateway that"
                    + " wrote it (" + MasterKey.ENV_VARIABLE + " or its " + MasterKey.FILE_NAME + ")");
        }
        byte[] key = cipher.unwrapKey(RECORDING_KEY, recordingId, parts);
        if (key == null || key.length != MasterKey.LENGTH) {
            throw new VaultException("cannot unwrap the key of recording " + recordingId + ": its wrapped key was"
                    + " altered or belongs to another recording; restore the recording from a copy");
        }
        return key;
    }

    /** Stores {@code credential} for {@code target/account}, replacing any previous one atomically. */
    public void put(String target, String account, Credential credential) throws VaultException {
        checkNames(target, account);
        if (credential == null) {
            throw new VaultException("no credential given for " + target + "/" + account);
        }
        byte[] plaintext = secretOf(credential).getBytes(StandardCharsets.UTF_8);
        try {
            SealedSecret sealed = cipher.seal(target, account, credential.kind(), Instant.now().toString(), plaintext);
            Path dir = root.resolve(target);
            SecureFiles.createPrivateDirectories(dir);
            SecureFiles.replaceAtomically(dir.resolve(account + SUFFIX), json.writeValueAsBytes(sealed));
        } catch (IOException e) {
            throw new VaultException("cannot store the credential for " + target + "/" + account + ": "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public Credential credential(String target, String account) throws VaultException {
        checkNames(target, account);
        String name = target + "/" + account;
        SealedSecret sealed = read(target, account)
                .orElseThrow(() -> new VaultException("no credential in the vault for " + name
                        + "; run: portier vault put " + name + " --password-stdin"));
        if (sealed.version() != EnvelopeCipher.VERSION) {
            throw new VaultException("the credential for " + name + " has format version " + sealed.version()
                    + ", which this Portier does not know; upgrade Portier or store the credential again");
        }
        byte[] plaintext = cipher.open(target, account, sealed);
        if (plaintext == null) {
            throw new VaultException("cannot decrypt the credential for " + name
                    + ": wrong master key or tampered file");
        }
        try {
            String secret = new String(plaintext, StandardCharsets.UTF_8);
            // The kind is authenticated (part of the AAD), so it is one this class wrote.
            return switch (sealed.kind()) {
                case "password" -> new Credential.Password(secret);
                case "private-key" -> new Credential.PrivateKey(secret);
                default -> throw new VaultException("the credential for " + name + " has an unknown kind");
            };
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Everything stored, sorted by target then account; secrets are not decrypted. */
    public List<VaultEntry> list() throws VaultException {
        List<VaultEntry> entries = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return entries;
        }
        try (DirectoryStream<Path> targets = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path targetDir : targets) {
                String target = targetDir.getFileName().toString();
                if (isValidName(target)) {
                    listTarget(target, targetDir, entries);
                }
            }
        } catch (IOException e) {
            throw new VaultException("cannot list the vault " + root + ": " + e.getMessage(), e);
        }
        entries.sort(Comparator.comparing(VaultEntry::target).thenComparing(VaultEntry::account));
        return entries;
    }

    /** @return whether there was a credential to remove */
    public boolean remove(String target, String account) throws VaultException {
        checkNames(target, account);
        Path file = root.resolve(target).resolve(account + SUFFIX);
        try {
            boolean removed = Files.deleteIfExists(file);
            if (removed) {
                SecureFiles.syncDirectory(file.getParent());
            }
            return removed;
        } catch (IOException e) {
            throw new VaultException("cannot remove the credential for " + target + "/" + account + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A secret of Portier's own (a signing key, a pseudonymisation key), sealed like credentials but kept
     * apart from them: never listed, never reachable through {@code vault put/rm}.
     */
    public Optional<byte[]> systemSecret(String name) throws VaultException {
        checkName("secret", name);
        Optional<SealedSecret> sealed = read(SYSTEM, name);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        byte[] plaintext = cipher.open(SYSTEM, name, sealed.get());
        if (plaintext == null) {
            throw new VaultException("cannot decrypt Portier's " + name + ": wrong master key or tampered file");
        }
        return Optional.of(plaintext);
    }

    /** Stores one of Portier's own secrets (see {@link #systemSecret}), replacing any previous value. */
    public void putSystemSecret(String name, byte[] value) throws VaultException {
        checkName("secret", name);
        try {
            SealedSecret sealed = cipher.seal(SYSTEM, name, SYSTEM_KIND, Instant.now().toString(), value);
            Path dir = root.resolve(SYSTEM);
            SecureFiles.createPrivateDirectories(dir);
            SecureFiles.replaceAtomically(dir.resolve(name + SUFFIX), json.writeValueAsBytes(sealed));
        } catch (IOException e) {
            throw new VaultException("cannot store Portier's " + name + ": " + e.getMessage(), e);
        }
    }

    private void listTarget(String target, Path dir, List<VaultEntry> entries) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String account = fileName.substring(0, fileName.length() - SUFFIX.length());
                if (!isValidName(account)) {
                    continue; // temporary files start with a dot
                }
                entries.add(entryOf(target, account));
            }
        }
    }

    /** An unparsable file is listed, not hidden, so that an operator can see it and remove or replace it. */
    private VaultEntry entryOf(String target, String account) {
        try {
            Optional<SealedSecret> sealed = read(target, account);
            if (sealed.isPresent() && sealed.get().kind() != null && sealed.get().updated() != null) {
                return new VaultEntry(target, account, sealed.get().kind(), Instant.parse(sealed.get().updated()));
            }
        } catch (VaultException | DateTimeParseException e) {
            // Reported as the entry's kind; the file's content may not be repeated in a message.
        }
        return new VaultEntry(target, account, UNREADABLE, null);
    }

    private Optional<SealedSecret> read(String target, String account) throws VaultException {
        Path file = root.resolve(target).resolve(account + SUFFIX);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new VaultException("cannot read the credential for " + target + "/" + account + ": "
                    + e.getMessage(), e);
        }
        try {
            return Optional.of(json.readValue(content, SealedSecret.class));
        } catch (JacksonException e) {
            // No cause attached: Jackson's message quotes the file's content.
            throw new VaultException("the credential file for " + target + "/" + account + " is malformed (" + file
                    + "); store it again: portier vault put " + target + "/" + account + " --password-stdin");
        } catch (IOException e) {
            throw new VaultException("cannot read the credential for " + target + "/" + account + ": "
                    + e.getMessage(), e);
        }
    }

    private static String secretOf(Credential credential) {
        if (credential instanceof Credential.Password p) {
            return p.password();
        }
        return ((Credential.PrivateKey) credential).pem();
    }

    private static void checkNames(String target, String account) throws VaultException {
        checkName("target", target);
        checkName("account", account);
    }

    private static void checkName(String what, String name) throws VaultException {
        if (!isValidName(name)) {
            throw new VaultException("invalid " + what + " name " + printable(name) + ": use letters, digits, '.', '_'"
                    + " and '-', starting with a letter or digit, at most " + MAX_NAME_LENGTH + " characters");
        }
    }

    private static boolean isValidName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
    }

    /** Quotes a rejected name for an error message without letting it carry control characters into a terminal. */
    private static String printable(String name) {
        if (name == null) {
            return "(none)";
        }
        String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.append('"').toString();
    }
}
