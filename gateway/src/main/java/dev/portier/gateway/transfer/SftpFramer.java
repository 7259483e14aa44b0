package dev.portier.gateway.transfer;

/**
 * Splits one direction of an SFTP channel into packets ({@code uint32 length, byte type, body}) however the
 * bytes are chunked. It buffers only the fields a packet's {@link Plan} asks for, and streams the data of
 * WRITE and DATA packets straight to its listener without copying.
 */
final class SftpFramer {

    /** What the listener wants from a packet body. */
    enum Plan {
        /** Nothing. */
        SKIP,
        /** Its first bytes (up to the field cap), to {@link Listener#fields}. */
        FIELDS,
        /** Its request id only, to {@link Listener#fields}. */
        ID_ONLY,
        /** WRITE: {@code id, string handle, uint64 offset} to {@link Listener#streamStart}, then the data. */
        STREAM_WRITE,
        /** DATA: {@code id} to {@link Listener#streamStart}, then the data. */
        STREAM_DATA,
    }

    interface Listener {
        Plan plan(int type);

        void fields(int type, WireReader body) throws ProtocolViolation;

        void streamStart(int type, WireReader head) throws ProtocolViolation;

        void streamData(byte[] buf, int off, int len);

        void streamEnd();
    }

    /** Handles are at most 256 bytes (draft-ietf-secsh-filexfer-02, section 3). */
    static final int MAX_HANDLE_LENGTH = 256;

    private enum Stage { HEADER, COLLECT, DATA, SKIP }

    private final Listener listener;
    private final int maxPacketLength;
    private final int fieldCap;
    private final byte[] header = new byte[5];
    private int headerFill;
    private Stage stage = Stage.HEADER;
    private Plan plan;
    private int type;
    private int bodyRemaining;
    private byte[] buf = new byte[512];
    private int bufFill;
    private int bufTarget;
    private boolean handleKnown;
    private int dataRemaining;

    SftpFramer(Listener listener, int maxPacketLength, int fieldCap) {
        this.listener = listener;
        this.maxPacketLength = maxPacketLength;
        this.fieldCap = fieldCap;
    }

    void feed(byte[] in, int off, int len) throws ProtocolViolation {
        int end = off + len;
        while (true) {
            switch (stage) {
                case HEADER -> {
                    if (off == end) {
                        return;
                    }
                    int n = Math.min(header.length - headerFill, end - off);
                    System.arraycopy(in, off, header, headerFill, n);
                    off += n;
                    headerFill += n;
                    if (headerFill == header.length) {
                        headerFill = 0;
                        beginPacket();
                    }
                }
                case COLLECT -> {
                    if (bufFill < bufTarget) {
                        if (off == end) {
                            return;
                        }
                        int n = Math.min(bufTarget - bufFill, end - off);
                        System.arraycopy(in, off, buf, bufFill, n);
                        off += n;
                        bufFill += n;
                        bodyRemaining -= n;
                    }
                    if (bufFill == bufTarget) {
                        collected();
                    }
                }
                case DATA -> {
                    if (dataRemaining == 0) {
                        listener.streamEnd();
                        stage = Stage.SKIP;
                    } else {
                        if (off == end) {
                            return;
                        }
                        int n = Math.min(dataRemaining, end - off);
                        listener.streamData(in, off, n);
                        off += n;
                        dataRemaining -= n;
                        bodyRemaining -= n;
                    }
                }
                case SKIP -> {
                    if (bodyRemaining == 0) {
                        stage = Stage.HEADER;
                    } else {
                        if (off == end) {
                            return;
                        }
                        int n = Math.min(bodyRemaining, end - off);
                        off += n;
                        bodyRemaining -= n;
                    }
                }
            }
        }
    }

    /** Bytes held for field parsing; stays small whatever the packet sizes. */
    int bufferCapacity() {
        return buf.length + header.length;
    }

    private void beginPacket() throws ProtocolViolation {
        long length = Integer.toUnsignedLong(WireReader.u32(header, 0));
        if (length < 1 || length > maxPacketLength) {
            throw new ProtocolViolation("SFTP packet length " + length + " is outside 1.." + maxPacketLength);
        }
        type = header[4] & 0xff;
        bodyRemaining = (int) length - 1;
        bufFill = 0;
        handleKnown = false;
        plan = listener.plan(type);
        switch (plan) {
            case SKIP -> stage = Stage.SKIP;
            case FIELDS -> collect(Math.min(bodyRemaining, fieldCap));
            case ID_ONLY -> collect(Math.min(bodyRemaining, 4));
            case STREAM_WRITE, STREAM_DATA -> collect(8);
        }
    }

    private void collect(int target) throws ProtocolViolation {
        if (target - bufFill > bodyRemaining) {
            throw new ProtocolViolation("SFTP packet type " + type + " is too short for its fields");
        }
        if (buf.length < target) {
            byte[] bigger = new byte[Math.max(target, Math.min(buf.length * 2, fieldCap))];
            System.arraycopy(buf, 0, bigger, 0, bufFill);
            buf = bigger;
        }
        bufTarget = target;
        stage = Stage.COLLECT;
    }

    private void collected() throws ProtocolViolation {
        switch (plan) {
            case FIELDS, ID_ONLY -> {
                try {
                    listener.fields(type, new WireReader(buf, 0, bufFill));
                } catch (ProtocolViolation e) {
                    if (bodyRemaining > 0 && plan == Plan.FIELDS) {
                        throw new ProtocolViolation("SFTP packet type " + type + " has fields beyond the first "
                                + fieldCap + " bytes");
                    }
                    throw e;
                }
                stage = Stage.SKIP;
            }
            case STREAM_WRITE -> {
                if (!handleKnown) {
                    long handleLength = Integer.toUnsignedLong(WireReader.u32(buf, 4));
                    if (handleLength > MAX_HANDLE_LENGTH) {
                        throw new ProtocolViolation("SFTP handle of " + handleLength + " bytes");
                    }
                    handleKnown = true;
                    collect(8 + (int) handleLength + 12);
                } else {
                    startData();
                }
            }
            case STREAM_DATA -> startData();
            case SKIP -> throw new IllegalStateException("nothing to collect when skipping");
        }
    }

    /** The last four bytes collected are the data length; the rest is the head the listener parses. */
    private void startData() throws ProtocolViolation {
        long length = Integer.toUnsignedLong(WireReader.u32(buf, bufFill - 4));
        if (length > bodyRemaining) {
            throw new ProtocolViolation("SFTP packet type " + type + " carries " + length
                    + " data bytes but has " + bodyRemaining + " left");
        }
        listener.streamStart(type, new WireReader(buf, 0, bufFill - 4));
        dataRemaining = (int) length;
        stage = Stage.DATA;
    }
}
