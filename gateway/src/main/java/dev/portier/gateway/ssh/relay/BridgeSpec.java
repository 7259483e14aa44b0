package dev.portier.gateway.ssh.relay;

import java.util.Map;
import org.apache.sshd.common.channel.PtyMode;

/**
 * What the user's channel asked for, carried to the target's channel unchanged.
 *
 * @param kind     {@code shell}, {@code exec} or {@code subsystem}
 * @param command  the exec command line or subsystem name; null for a shell
 * @param term     the PTY's TERM, or null when the user asked for no PTY
 * @param env      environment variables to pass on (only locale variables are forwarded)
 */
public record BridgeSpec(String kind, String command, String term, int columns, int rows,
        Map<PtyMode, Integer> ptyModes, Map<String, String> env) {

    public BridgeSpec {
        ptyModes = ptyModes == null ? Map.of() : Map.copyOf(ptyModes);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public boolean pty() {
        return term != null;
    }

    public BridgeSpec resized(int newColumns, int newRows) {
        return new BridgeSpec(kind, command, term, newColumns, newRows, ptyModes, env);
    }
}
