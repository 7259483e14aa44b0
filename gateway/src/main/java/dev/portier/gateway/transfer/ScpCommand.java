package dev.portier.gateway.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The remote side of a legacy scp transfer, as the exec command names it: {@code scp [-r] [-p] [-d] [-v]
 * -t|-f [--] path}. Commands using anything else the shell would interpret (substitution, pipes,
 * redirection, several commands) are not scp transfers for this purpose.
 *
 * @param upload            {@code -t}: the target receives (the client is the source)
 * @param targetIsDirectory {@code -d}: the path must name a directory
 * @param path              the path argument, unquoted; for downloads it may be a glob the remote shell expands
 */
record ScpCommand(boolean upload, boolean recursive, boolean targetIsDirectory, String path) {

    static Optional<ScpCommand> parse(String command) {
        List<String> words = words(command);
        if (words == null || words.isEmpty() || !isScp(words.get(0))) {
            return Optional.empty();
        }
        boolean to = false;
        boolean from = false;
        boolean recursive = false;
        boolean directory = false;
        int i = 1;
        for (; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--")) {
                i++;
                break;
            }
            if (!word.startsWith("-") || word.length() < 2) {
                break;
            }
            for (char flag : word.substring(1).toCharArray()) {
                switch (flag) {
                    case 't' -> to = true;
                    case 'f' -> from = true;
                    case 'r' -> recursive = true;
                    case 'd' -> directory = true;
                    case 'p', 'v' -> {
                        // preserve times, verbose: no effect on what crosses
                    }
                    default -> {
                        return Optional.empty();
                    }
                }
            }
        }
        if (to == from || i != words.size() - 1) {
            return Optional.empty();
        }
        return Optional.of(new ScpCommand(to, recursive, directory, words.get(i)));
    }

    /**
     * Where an entry ends up on the target, or comes from. {@code names} is the entry's wire path: the
     * enclosing {@code D} names, outermost first, then its own name.
     *
     * <p>Downloads: the source sends the last component of the path argument, so entries resolve against its
     * parent. Uploads: the sink writes into the path when it is an existing directory, and otherwise uses the
     * path as the new name of the top-level entry; the gateway cannot see which, so it assumes a directory
     * only when the command says so ({@code -d}, or a path such as {@code dir/} or {@code .}).
     */
    String resolve(List<String> names) {
        if (!upload) {
            return join(parent(path), String.join("/", names));
        }
        if (pathIsDirectory()) {
            return join(path, String.join("/", names));
        }
        return join(path, String.join("/", names.subList(1, names.size())));
    }

    private boolean pathIsDirectory() {
        return targetIsDirectory || path.isEmpty() || path.equals(".") || path.equals("..") || path.equals("~")
                || path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..");
    }

    private static String parent(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "" : p.substring(0, Math.max(slash, 1));
    }

    private static String join(String dir, String rest) {
        if (rest.isEmpty()) {
            return dir;
        }
        if (dir.isEmpty()) {
            return rest;
        }
        return dir.endsWith("/") ? dir + rest : dir + "/" + rest;
    }

    private static boolean isScp(String program) {
        return program.equals("scp") || program.endsWith("/scp");
    }

    /** POSIX shell words with quotes and backslashes removed, or null if the shell would do more than split. */
    private static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        int n = command.length();
        while (i < n) {
            char c = command.charAt(i++);
            if (c == ' ' || c == '\t') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                if (c == '#') {
                    return null;
                }
                word = new StringBuilder();
            }
            if (c == '\'') {
                int close = command.indexOf('\'', i);
                if (close < 0) {
                    return null;
                }
                word.append(command, i, close);
                i = close + 1;
            } else if (c == '"') {
                boolean closed = false;
                while (i < n) {
                    char d = command.charAt(i++);
                    if (d == '"') {
                        closed = true;
                        break;
                    }
                    if (d == '$' || d == '`') {
                        return null;
                    }
                    if (d == '\\' && i < n && "\"\\".indexOf(command.charAt(i)) >= 0) {
                        d = command.charAt(i++);
                    }
                    word.append(d);
                }
                if (!closed) {
                    return null;
                }
            } else if (c == '\\') {
                if (i == n || command.charAt(i) == '\n') {
                    return null;
                }
                word.append(command.charAt(i++));
            } else if (";&|<>()$`\n\r".indexOf(c) >= 0) {
                return null;
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
