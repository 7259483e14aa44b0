package dev.portier.gateway.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command interpreter of one session on the simulated router: modes, prompt and replies. Changes (a new
 * hostname) live in this session only and nothing is saved, as on a lab device reloaded for every login.
 * Not thread-safe: one session thread owns it.
 */
final class RouterCli {

    /** What the session must do after printing a reply. */
    enum Action { NONE, ASK_ENABLE_PASSWORD, CLOSE }

    /** Text to print ({@code \n} line ends), whether the command failed, and what happens next. */
    record Reply(String output, boolean failed, Action action) {

        static Reply ok(String output) {
            return new Reply(output, false, Action.NONE);
        }

        static Reply error(String output) {
            return new Reply(output, true, Action.NONE);
        }
    }

    private enum Mode { USER, PRIVILEGED, CONFIG }

    static final Pattern VALID_HOSTNAME = Pattern.compile("[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DO_PREFIX = Pattern.compile("(?i)^\\s*do?\\s+(\\S.*)$");
    private static final String SHOW = "Show running system information";
    private static final String EXIT_EXEC = "Exit from the EXEC";
    private static final String EXIT_CONFIG = "Exit from configure mode";
    private static final String HELP = "Description of the interactive help system";

    private static final CommandParser EXEC = new CommandParser()
            .add("configure terminal", "Enter configuration mode", "Configure from the terminal")
            .add("disable", "Turn off privileged commands")
            .add("enable", "Turn on privileged commands")
            .add("exit", EXIT_EXEC)
            .add("help", HELP)
            .add("logout", EXIT_EXEC)
            .add("show clock", SHOW, "Display the system clock")
            .add("show ip interface brief", SHOW, "IP information", "IP interface status and configuration",
                    "Brief summary of IP status and configuration")
            .add("show running-config", SHOW, "Current operating configuration")
            .add("show version", SHOW, "System hardware and software status");

    private static final CommandParser CONFIG = new CommandParser()
            .add("do <command>", "To run exec commands in config mode", "Exec command")
            .add("end", EXIT_CONFIG)
            .add("exit", EXIT_CONFIG)
            .add("help", HELP)
            .add("hostname <name>", "Set system's network name", "This system's network name");

    private final Clock clock;
    private final Instant bootTime;
    private final boolean interactive;
    private String hostname;
    private Mode mode = Mode.USER;
    private Mode modeBeforeConfig = Mode.USER;

    /**
     * @param interactive a person at a terminal: errors point at the bad word with a caret under the echoed
     *                    line, and {@code enable} asks for a password
     */
    RouterCli(String hostname, Instant bootTime, Clock clock, boolean interactive) {
        this.hostname = hostname;
        this.bootTime = bootTime;
        this.clock = clock;
        this.interactive = interactive;
    }

    String prompt() {
        return switch (mode) {
            case USER -> hostname + ">";
            case PRIVILEGED -> hostname + "#";
            case CONFIG -> hostname + "(config)#";
        };
    }

    /** Called once the enable password was typed; the simulated device accepts any. */
    void enable() {
        mode = Mode.PRIVILEGED;
    }

    /** Ctrl-Z: leaves configuration mode like {@code end}; elsewhere it does nothing. */
    void suspend() {
        if (mode == Mode.CONFIG) {
            mode = modeBeforeConfig;
        }
    }

    Reply execute(String line) {
        int promptWidth = prompt().length();
        if (mode == Mode.CONFIG) {
            Matcher doCommand = DO_PREFIX.matcher(line);
            if (doCommand.matches()) {
                return doExec(doCommand.group(1), promptWidth + doCommand.start(1));
            }
            return reply(CONFIG.parse(line), line, promptWidth);
        }
        return reply(EXEC.parse(line), line, promptWidth);
    }

    private Reply doExec(String command, int caretOffset) {
        CommandParser.Parse parse = EXEC.parse(command);
        if (parse instanceof CommandParser.Match match && !match.path().startsWith("show ")) {
            return invalid(caretOffset);
        }
        return reply(parse, command, caretOffset);
    }

    private Reply reply(CommandParser.Parse parse, String line, int caretOffset) {
        if (parse instanceof CommandParser.Empty) {
            return Reply.ok("");
        }
        if (parse instanceof CommandParser.Invalid invalid) {
            return invalid(caretOffset + invalid.column());
        }
        if (parse instanceof CommandParser.Incomplete) {
            return Reply.error("% Incomplete command.\n" + blankLine());
        }
        if (parse instanceof CommandParser.Ambiguous) {
            return Reply.error("% Ambiguous command:  \"" + line.strip() + "\"\n" + blankLine());
        }
        if (parse instanceof CommandParser.Help help) {
            return Reply.ok(String.join("\n", help.lines()) + "\n" + blankLine());
        }
        CommandParser.Match match = (CommandParser.Match) parse;
        return run(match);
    }

    private Reply run(CommandParser.Match match) {
        switch (match.path()) {
            case "enable" -> {
                if (mode == Mode.USER && interactive) {
                    return new Reply("", false, Action.ASK_ENABLE_PASSWORD);
                }
                mode = Mode.PRIVILEGED;
                return Reply.ok("");
            }
            case "disable" -> {
                mode = Mode.USER;
                return Reply.ok("");
            }
            case "configure terminal" -> {
                modeBeforeConfig = mode;
                mode = Mode.CONFIG;
                return Reply.ok("Enter configuration commands, one per line.  End with CNTL/Z.\n");
            }
            case "end", "exit" -> {
                if (mode == Mode.CONFIG) {
                    mode = modeBeforeConfig;
                    return Reply.ok("");
                }
                return new Reply("", false, Action.CLOSE);
            }
            case "logout" -> {
                return new Reply("", false, Action.CLOSE);
            }
            case "help" -> {
                return reply(mode == Mode.CONFIG ? CONFIG.parse("?") : EXEC.parse("?"), "?", 0);
            }
            case "hostname <name>" -> {
                String name = match.args().get(0);
                if (!VALID_HOSTNAME.matcher(name).matches()) {
                    return Reply.error("% Hostname contains one or more illegal characters.\n");
                }
                hostname = name;
                return Reply.ok("");
            }
            case "show version" -> {
                return Reply.ok(DeviceOutput.version(hostname, Duration.between(bootTime, clock.instant())));
            }
            case "show running-config" -> {
                return Reply.ok(DeviceOutput.runningConfig(hostname));
            }
            case "show clock" -> {
                return Reply.ok(DeviceOutput.clock(clock.instant()));
            }
            case "show ip interface brief" -> {
                return Reply.ok(DeviceOutput.ipInterfaceBrief());
            }
            default -> throw new IllegalStateException("declared but not implemented: " + match.path());
        }
    }

    private Reply invalid(int caretColumn) {
        String caret = interactive ? " ".repeat(caretColumn) + "^\n" : "";
        return Reply.error(caret + "% Invalid input detected at '^' marker.\n" + blankLine());
    }

    private String blankLine() {
        return interactive ? "\n" : "";
    }
}
