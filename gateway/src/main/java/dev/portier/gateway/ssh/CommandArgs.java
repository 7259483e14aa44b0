package dev.portier.gateway.ssh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments split into positionals and {@code --options}: flags take no value, the others take
 * exactly one; repeatable ones may come several times. Unknown options are errors, so a typo never changes what
 * a command does.
 */
final class CommandArgs {
    final List<String> positional = new ArrayList<>();
    final Map<String, String> options = new HashMap<>();
    private final Map<String, List<String>> repeated = new HashMap<>();

    static CommandArgs parse(List<String> args, Set<String> flags, Set<String> valued) {
        return parse(args, flags, valued, Set.of());
    }

    static CommandArgs parse(List<String> args, Set<String> flags, Set<String> valued, Set<String> repeatable) {
        CommandArgs a = new CommandArgs();
        for (int i = 0; i < args.size(); i++) {
            String s = args.get(i);
            if (!s.startsWith("--")) {
                a.positional.add(s);
                continue;
            }
            if (flags.contains(s)) {
                a.options.put(s, "true");
            } else if (valued.contains(s) || repeatable.contains(s)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(s + " needs a value");
                }
                a.options.put(s, args.get(++i));
                a.repeated.computeIfAbsent(s, k -> new ArrayList<>()).add(args.get(i));
            } else {
                throw new IllegalArgumentException("unknown option '" + PortierCommands.printable(s) + "'");
            }
        }
        return a;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String value(String name) {
        return options.get(name);
    }

    /** Every value of a repeatable option, in order. */
    List<String> values(String name) {
        return repeated.getOrDefault(name, List.of());
    }
}
