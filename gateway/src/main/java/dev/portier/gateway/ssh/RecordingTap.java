package dev.portier.gateway.ssh;

import dev.portier.gateway.evidence.InputMasker;
import dev.portier.gateway.ssh.relay.ChannelTap;
import dev.portier.gateway.transfer.ScpObserver;
import dev.portier.gateway.transfer.SftpObserver;
import dev.portier.gateway.transfer.TransferEvent;
import dev.portier.recorder.RecorderException;
import dev.portier.recorder.SessionRecorder;
import java.util.function.Consumer;

/**
 * Feeds a bridged channel to its recording. Terminal channels (shell, exec) record output, input and
 * resizes; file-transfer channels (sftp, legacy scp, rsync) record the operations their observers see,
 * never the file bytes themselves.
 */
final class RecordingTap implements ChannelTap {
    /** Called once the channel ended. */
    interface EndListener {
        void ended(Integer exitStatus, String exitSignal, String reason);
    }

    private final SessionRecorder recorder;
    private final boolean terminal;
    private final SftpObserver sftp;
    private final ScpObserver scp;
    private final EndListener onEnd;
    /** Null unless input is recorded: then it keeps secrets typed at password prompts out. */
    private final InputMasker masker;
    private volatile RecorderException eventFailure;
    private volatile Consumer<TransferEvent> evidence;
    private final java.util.concurrent.Executor closer;

    private RecordingTap(SessionRecorder recorder, boolean terminal, SftpObserver sftp, ScpObserver scp,
            EndListener onEnd, java.util.concurrent.Executor closer) {
        this(recorder, terminal, sftp, scp, null, onEnd, closer);
    }

    private RecordingTap(SessionRecorder recorder, boolean terminal, SftpObserver sftp, ScpObserver scp,
            InputMasker masker, EndListener onEnd, java.util.concurrent.Executor closer) {
        this.masker = masker;
        this.closer = closer;
        this.recorder = recorder;
        this.terminal = terminal;
        this.sftp = sftp;
        this.scp = scp;
        this.onEnd = onEnd;
    }

    static RecordingTap terminal(SessionRecorder recorder, EndListener onEnd, java.util.concurrent.Executor closer) {
        return new RecordingTap(recorder, true, null, null, onEnd, closer);
    }

    /** A terminal channel whose input is recorded, masked at password prompts by {@code masker}. */
    static RecordingTap terminal(SessionRecorder recorder, InputMasker masker, EndListener onEnd,
            java.util.concurrent.Executor closer) {
        return new RecordingTap(recorder, true, null, null, masker, onEnd, closer);
    }

    static RecordingTap sftp(SessionRecorder recorder, EndListener onEnd, java.util.concurrent.Executor closer) {
        RecordingTap[] self = new RecordingTap[1];
        SftpObserver observer = new SftpObserver(e -> self[0].event(e));
        self[0] = new RecordingTap(recorder, false, observer, null, onEnd, closer);
        return self[0];
    }

    /** For exec channels that carry a file transfer: legacy scp (parsed) or rsync (counted only). */
    static RecordingTap transfer(SessionRecorder recorder, String command, EndListener onEnd,
            java.util.concurrent.Executor closer) {
        RecordingTap[] self = new RecordingTap[1];
        Consumer<TransferEvent> sink = e -> self[0].event(e);
        ScpObserver scp = ScpObserver.forCommand(command, sink).orElse(null);
        self[0] = new RecordingTap(recorder, false, null, scp, onEnd, closer);
        return self[0];
    }

    private void event(TransferEvent e) {
        try {
            recorder.event(e.kind(), e.fields());
        } catch (RecorderException ex) {
            eventFailure = ex;
        }
        Consumer<TransferEvent> also = evidence;
        if (also != null) {
            also.accept(e);
        }
    }

    /** Also hands every file operation (path, size, SHA-256) to {@code sink}: the audit log keeps them too. */
    void onTransfer(Consumer<TransferEvent> sink) {
        this.evidence = sink;
    }

    @Override
    public void fromUser(byte[] data, int offset, int length) throws RecorderException {
        if (terminal && masker != null) {
            InputMasker.Recordable r = masker.input(data, offset, length);
            if (r.length() > 0) {
                recorder.input(r.data(), r.offset(), r.length());
            }
        } else if (terminal) {
            recorder.input(data, offset, length);
        } else if (sftp != null) {
            sftp.fromClient(data, offset, length);
        } else if (scp != null) {
            scp.fromClient(data, offset, length);
        }
        check();
    }

    @Override
    public void fromTarget(byte[] data, int offset, int length, boolean stderr) throws RecorderException {
        if (terminal) {
            if (masker != null) {
                masker.output(data, offset, length);
            }
            recorder.output(data, offset, length);
        } else if (!stderr && sftp != null) {
            sftp.fromServer(data, offset, length);
        } else if (!stderr && scp != null) {
            scp.fromServer(data, offset, length);
        }
        check();
    }

    private void check() throws RecorderException {
        RecorderException e = eventFailure;
        if (e != null) {
            throw e;
        }
    }

    @Override
    public void resized(int columns, int rows) throws RecorderException {
        if (terminal) {
            recorder.resize(columns, rows);
        }
    }

    @Override
    public void whenReady(Runnable resume) {
        recorder.whenWritable(resume);
    }

    @Override
    public void closed(Integer exitStatus, String exitSignal, String reason) {
        // Files still open when the channel ends are reported as incomplete transfers.
        if (sftp != null) {
            sftp.end();
        } else if (scp != null) {
            scp.end();
        }
        // The final flush and sync can take milliseconds (seconds on a sick disk): not on an I/O thread.
        closer.execute(() -> {
            recorder.close(exitStatus, reason);
            onEnd.ended(exitStatus, exitSignal, reason);
        });
    }
}
