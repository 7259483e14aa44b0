package dev.portier.gateway.ssh;

import dev.portier.access.identity.Identity;
import dev.portier.access.policy.ReachableTarget;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The interactive menu a user gets with no target and no command: lists what they may reach and connects
 * to the one they pick by number or name. Does its own line editing (the user's terminal is raw under a
 * PTY). Not thread-safe: fed from the channel's input callback, which MINA serialises.
 */
final class TargetMenu {
    private final Identity identity;
    private final List<ReachableTarget> reachable;
    private final PortierCommands commands;
    private final Consumer<String> out;
    private final BiConsumer<String, String> connect;
    private final Consumer<Integer> quit;
    private final LineInput input;
    private boolean done;

    /**
     * @param connect called with (account or null, target) when the user picks one
     * @param quit    called with an exit status when the user leaves
     */
    TargetMenu(Identity identity, List<ReachableTarget> reachable, PortierCommands commands, boolean echo,
            Consumer<String> out, BiConsumer<String, String> connect, Consumer<Integer> quit) {
        this.identity = identity;
        this.reachable = reachable;
        this.commands = commands;
        this.out = out;
        this.connect = connect;
        this.quit = quit;
        this.input = new LineInput(echo, out, new LineInput.Listener() {
            @Override
            public void line(String text) {
                if (!done) {
                    handle(text);
                }
            }

            @Override
            public void interrupted() {
                finish(0);
            }
        });
    }

    void show() {
        StringBuilder sb = new StringBuilder();
        sb.append("Portier: privileged access gateway. You are ").append(identity.user())
                .append(" (").append(identity.realm()).append(").\r\n");
        if (reachable.isEmpty()) {
            sb.append("No target is open to you; ask your security officer for a policy.\r\n");
        } else {
            sb.append("Targets you may reach:\r\n");
            PortierCommands.targetLines(reachable).forEach(l -> sb.append(l).append("\r\n"));
            sb.append("Type a number or a name (account@name for another account), 'help', or 'q' to quit.\r\n");
        }
        out.accept(sb.toString());
        prompt();
    }

    private void prompt() {
        out.accept("portier> ");
    }

    void input(byte[] data, int off, int len) {
        if (!done) {
            input.feed(data, off, len);
        }
    }

    private void handle(String entered) {
        if (entered.isEmpty()) {
            prompt();
            return;
        }
        String lower = entered.toLowerCase(Locale.ROOT);
        if (lower.equals("q") || lower.equals("quit") || lower.equals("exit")) {
            finish(0);
            return;
        }
        if (lower.equals("help") || lower.equals("whoami") || lower.equals("targets")) {
            PortierCommands.Result r = commands.run(identity, lower);
            out.accept((r.out() + r.err()).replace("\n", "\r\n"));
            prompt();
            return;
        }
        String account = null;
        String name = entered;
        int at = entered.indexOf('@');
        if (at > 0) {
            account = entered.substring(0, at);
            name = entered.substring(at + 1);
        }
        try {
            int n = Integer.parseInt(name);
            if (n >= 1 && n <= reachable.size()) {
                name = reachable.get(n - 1).target().name();
            } else {
                out.accept("No target number " + n + "; pick 1 to " + reachable.size() + ".\r\n");
                prompt();
                return;
            }
        } catch (NumberFormatException notANumber) {
            // a name: the access core decides whether it is reachable
        }
        done = true;
        out.accept("Connecting to " + (account == null ? "" : account + "@") + name + " ...\r\n");
        connect.accept(account, name);
    }

    private void finish(int status) {
        done = true;
        quit.accept(status);
    }
}
