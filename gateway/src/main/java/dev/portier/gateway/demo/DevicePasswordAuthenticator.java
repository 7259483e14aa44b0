package dev.portier.gateway.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.auth.keyboard.KeyboardInteractiveAuthenticator;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * The one local account of a simulated device, checked for both password and keyboard-interactive logins
 * (one "Password: " prompt, not echoed). Only SHA-256 digests are kept, and they are compared in constant
 * time, so neither the check's timing nor a heap dump gives the password away.
 */
final class DevicePasswordAuthenticator implements PasswordAuthenticator, KeyboardInteractiveAuthenticator {

    static final String PROMPT = "Password: ";

    private final byte[] usernameDigest;
    private final byte[] passwordDigest;

    DevicePasswordAuthenticator(String username, String password) {
        this.usernameDigest = sha256(username);
        this.passwordDigest = sha256(password);
    }

    @Override
    public boolean authenticate(String username, String password, ServerSession session) {
        return matches(username, password);
    }

    @Override
    public InteractiveChallenge generateChallenge(ServerSession session, String username, String lang,
            String subMethods) {
        InteractiveChallenge challenge = new InteractiveChallenge();
        challenge.setInteractionName("");
        challenge.setInteractionInstruction("");
        challenge.setLanguageTag("");
        challenge.addPrompt(PROMPT, false);
        return challenge;
    }

    @Override
    public boolean authenticate(ServerSession session, String username, List<String> responses) {
        return responses != null && responses.size() == 1 && matches(username, responses.get(0));
    }

    private boolean matches(String username, String password) {
        if (username == null || password == null) {
            return false;
        }
        // Both digests are always compared: no early exit tells a wrong user from a wrong password.
        boolean userOk = MessageDigest.isEqual(usernameDigest, sha256(username));
        boolean passwordOk = MessageDigest.isEqual(passwordDigest, sha256(password));
        return userOk & passwordOk;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
