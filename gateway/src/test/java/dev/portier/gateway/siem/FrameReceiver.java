package dev.portier.gateway.siem;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal in-process syslog receiver: accepts connections and splits octet-counted frames. */
final class FrameReceiver implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FrameReceiver(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::accept, "frame-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static FrameReceiver plain() throws IOException {
        return new FrameReceiver(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> messages() {
        return messages;
    }

    List<String> errors() {
        return errors;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> read(s), "frame-reader");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    errors.add(e.toString());
                }
            }
        }
    }

    private void read(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream())) {
            while (true) {
                int len = 0;
                int c = in.read();
                if (c < 0) {
                    return;
                }
                while (c != ' ') {
                    if (c < '0' || c > '9') {
                        errors.add("bad frame length byte " + c);
                        return;
                    }
                    len = len * 10 + (c - '0');
                    c = in.read();
                }
                ByteArrayOutputStream msg = new ByteArrayOutputStream(len);
                msg.write(in.readNBytes(len));
                messages.add(msg.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            errors.add(e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
