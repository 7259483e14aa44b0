package dev.portier.gateway.transfer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Passive observer of a legacy scp transfer ({@code scp -O}): the rcp protocol spoken by {@code scp -t path}
 * (upload: the client is the source) or {@code scp -f path} (download: the target is the source) on an exec
 * channel.
 *
 * <p>The source sends {@code T<mtime> 0 <atime> 0}, {@code C<mode> <size> <name>} followed by the file data
 * and a status byte, {@code D<mode> 0 <name>} and {@code E} records; the sink answers each with {@code \0} or
 * an error line, and the source waits for that answer, which decides whether file data follows. The observer
 * follows both directions the way OpenSSH's scp does and reports, per file, {@link TransferEvent.Opened} once
 * the sink accepted the header and {@link TransferEvent.Closed} ({@code scp.upload} / {@code scp.download})
 * with the byte count and SHA-256 once it acknowledged the data; {@link TransferEvent.DirCreated} per accepted
 * {@code D} record; {@link TransferEvent.Failed} for error replies and error lines.
 *
 * <p>Paths: the wire carries names relative to the command's path, which stay in {@code handleOrName}; the
 * reported path is resolved the way OpenSSH's scp does. Downloads resolve against the parent of the path
 * argument. Uploads go into the path if it is an existing directory, and otherwise the path renames the
 * top-level entry; the gateway cannot look, so it assumes a directory only when the command says so
 * ({@code -d}, or a path such as {@code dir/} or {@code .}).
 *
 * <p>The observer needs each reply before the source's next bytes, which OpenSSH's lock-step guarantees when
 * every chunk is observed before it is forwarded; a source that runs ahead makes it lose sync.
 */
public final class ScpObserver extends AbstractTransferObserver {
    /** OpenSSH's sink reads a record line into {@code buf[2048]} and cuts it there. */
    static final int MAX_LINE = 2047;
    /** Replies the sink sent beyond what was asked (OpenSSH does, after some errors) kept for later requests. */
    private static final int MAX_EARLY_REPLIES = 16;

    private enum Awaiting { READY, TIMES, FILE, FILE_END, DIR, DIR_END }

    private record Expect(Awaiting what, ScpFile file, String dirName) {
    }

    private enum Stage { LINE, DATA, TRAILER }

    private final ScpCommand command;
    private final OpenMode mode;
    private final byte[] line = new byte[MAX_LINE];
    private final ScpReplyReader replies = new ScpReplyReader();
    private final ScpReplyReader trailer = new ScpReplyReader();
    private final ArrayDeque<ScpReplyReader.Reply> early = new ArrayDeque<>();
    private final List<String> dirs = new ArrayList<>();
    private Stage stage = Stage.LINE;
    private int lineFill;
    private boolean firstRecord = true;
    private long dataRemaining;
    private ScpFile file;
    private Expect awaiting = new Expect(Awaiting.READY, null, null);

    private ScpObserver(ScpCommand command, Consumer<TransferEvent> sink) {
        super(TransferProtocol.SCP, sink);
        this.command = command;
        this.mode = new OpenMode(command.upload() ? OpenMode.WRITE | OpenMode.CREATE | OpenMode.TRUNCATE
                : OpenMode.READ);
    }

    /**
     * An observer for this exec command if it runs the remote end of a legacy scp transfer
     * ({@code scp [-r] [-p] [-d] [-v] -t|-f [--] path}), otherwise empty.
     */
    public static Optional<ScpObserver> forCommand(String execCommand, Consumer<TransferEvent> sink) {
        Objects.requireNonNull(sink, "sink");
        return ScpCommand.parse(Objects.requireNonNull(execCommand, "execCommand"))
                .map(command -> new ScpObserver(command, sink));
    }

    /** True for {@code scp -t} (files go to the target), false for {@code scp -f}. */
    public boolean upload() {
        return command.upload();
    }

    /** The command's path argument, unquoted. */
    public String path() {
        return command.path();
    }

    @Override
    void parse(boolean fromClient, byte[] buf, int off, int len) throws ProtocolViolation {
        if (fromClient == command.upload()) {
            fromSource(buf, off, off + len);
        } else {
            fromSink(buf, off, off + len);
        }
    }

    @Override
    void abandonOpenFiles(boolean syncLost) {
        if (file != null) {
            emit(file.closed(false, syncLost));
            file = null;
        }
    }

    private void fromSource(byte[] buf, int off, int end) throws ProtocolViolation {
        while (off < end) {
            if (awaiting != null) {
                throw new ProtocolViolation("the scp source sent more before its " + awaiting.what()
                        + " record was answered");
            }
            switch (stage) {
                case LINE -> {
                    byte c = buf[off++];
                    if (c == '\n' && lineFill == 0) {
                        throw new ProtocolViolation("empty scp record");
                    }
                    line[lineFill++] = c;
                    if (c == '\n' || lineFill == MAX_LINE) {
                        int length = c == '\n' ? lineFill - 1 : lineFill;
                        lineFill = 0;
                        record(length);
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(dataRemaining, end - off);
                    file.data.update(buf, off, n);
                    off += n;
                    dataRemaining -= n;
                    if (dataRemaining == 0) {
                        stage = Stage.TRAILER;
                    }
                }
                case TRAILER -> {
                    off = trailer.read(buf, off, end);
                    ScpReplyReader.Reply status = trailer.take();
                    if (status != null) {
                        stage = Stage.LINE;
                        file.sentCleanly = status.ok();
                        if (!status.ok()) {
                            emit(failed("source", file.path, status));
                        }
                        expect(new Expect(Awaiting.FILE_END, file, null));
                    }
                }
            }
        }
    }

    private void fromSink(byte[] buf, int off, int end) throws ProtocolViolation {
        while (off < end) {
            off = replies.read(buf, off, end);
            ScpReplyReader.Reply reply = replies.take();
            if (reply == null) {
                continue;
            }
            if (awaiting != null) {
                Expect answered = awaiting;
                awaiting = null;
                answer(answered, reply);
            } else if (early.size() < MAX_EARLY_REPLIES) {
                early.add(reply);
            } else {
                throw new ProtocolViolation("the scp sink sent " + MAX_EARLY_REPLIES + " replies nobody asked for");
            }
        }
    }

    /** One record line from the source (without its newline), as OpenSSH's sink reads it. */
    private void record(int length) throws ProtocolViolation {
        boolean first = firstRecord;
        firstRecord = false;
        byte type = line[0];
        switch (type) {
            case 1, 2 -> emit(new TransferEvent.Failed(TransferProtocol.SCP, "source", currentDirectory(), type,
                    text(1, length)));
            case 'T' -> expect(new Expect(Awaiting.TIMES, null, null));
            case 'E' -> expect(new Expect(Awaiting.DIR_END, null, null));
            case 'C', 'D' -> header(type, length);
            default -> throw new ProtocolViolation((first ? "the scp source did not start the protocol: "
                    : "unexpected scp record: ") + quote(text(0, length)));
        }
    }

    /** {@code C0644 1234 name} or {@code D0755 0 name}: four octal mode digits, a decimal size, the name. */
    private void header(byte type, int length) throws ProtocolViolation {
        int permissions = 0;
        int i = 1;
        for (; i < 5; i++) {
            int digit = i < length ? line[i] - '0' : -1;
            if (digit < 0 || digit > 7) {
                throw new ProtocolViolation("scp record without a mode: " + quote(text(0, length)));
            }
            permissions = permissions << 3 | digit;
        }
        if (i >= length || line[i++] != ' ') {
            throw new ProtocolViolation("scp mode not delimited: " + quote(text(0, length)));
        }
        long size = 0;
        for (; i < length && line[i] >= '0' && line[i] <= '9'; i++) {
            if (size > (Long.MAX_VALUE - 9) / 10) {
                throw new ProtocolViolation("scp size out of range: " + quote(text(0, length)));
            }
            size = size * 10 + (line[i] - '0');
        }
        if (i >= length || line[i++] != ' ') {
            throw new ProtocolViolation("scp size not delimited: " + quote(text(0, length)));
        }
        String name = text(i, length);
        List<String> names = new ArrayList<>(dirs);
        names.add(name);
        String path = command.resolve(names);
        if (type == 'D') {
            expect(new Expect(Awaiting.DIR, null, name));
        } else {
            expect(new Expect(Awaiting.FILE, new ScpFile(String.join("/", names), path, mode, size, permissions),
                    null));
        }
    }

    private void expect(Expect next) {
        ScpReplyReader.Reply reply = early.poll();
        if (reply == null) {
            awaiting = next;
        } else {
            answer(next, reply);
        }
    }

    /** What the sink's reply means for the source's next bytes and for the evidence. */
    private void answer(Expect request, ScpReplyReader.Reply reply) {
        switch (request.what()) {
            case READY, TIMES -> {
                if (!reply.ok()) {
                    emit(failed(request.what() == Awaiting.READY ? "start" : "times", currentDirectory(), reply));
                }
            }
            case FILE -> {
                ScpFile accepted = request.file();
                if (!reply.ok()) {
                    emit(failed("open", accepted.path, reply));
                    return;
                }
                file = accepted;
                emit(file.opened());
                file.data.at(0);
                dataRemaining = file.size;
                stage = file.size == 0 ? Stage.TRAILER : Stage.DATA;
            }
            case FILE_END -> {
                ScpFile done = request.file();
                file = null;
                if (!reply.ok()) {
                    emit(failed("close", done.path, reply));
                }
                emit(done.closed(reply.ok(), false));
            }
            case DIR -> {
                List<String> names = new ArrayList<>(dirs);
                names.add(request.dirName());
                String path = command.resolve(names);
                if (reply.ok()) {
                    dirs.add(request.dirName());
                    emit(new TransferEvent.DirCreated(TransferProtocol.SCP, path));
                } else {
                    emit(failed("mkdir", path, reply));
                }
            }
            case DIR_END -> {
                String path = currentDirectory();
                if (!dirs.isEmpty()) {
                    dirs.remove(dirs.size() - 1);
                }
                if (!reply.ok()) {
                    emit(failed("enddir", path, reply));
                }
            }
        }
    }

    private String currentDirectory() {
        return dirs.isEmpty() ? command.path() : command.resolve(dirs);
    }

    private static TransferEvent.Failed failed(String op, String path, ScpReplyReader.Reply reply) {
        return new TransferEvent.Failed(TransferProtocol.SCP, op, path, reply.code(), reply.message());
    }

    private String text(int from, int to) {
        return new String(line, from, Math.max(0, to - from), StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        return "\"" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "\"";
    }
}
