package io.camelsandai.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A TCP front for an in-process HTTP fake that adds a WebSocket endpoint (the JDK's HTTP server cannot upgrade):
 * each new connection whose first request is {@code GET /_worker/ws/...} is answered here (RFC 6455 handshake,
 * then unmasked TEXT frames from {@link #sendText}); every other connection is piped to the HTTP fake unchanged.
 */
public final class WebSocketFront implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final int backendPort;
    private final Predicate<Map<String, String>> authorize;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<OutputStream> webSockets = new CopyOnWriteArrayList<>();
    public final List<Map<String, String>> handshakes = new CopyOnWriteArrayList<>();

    /** @param authorize sees the upgrade request's headers (lower-case names); false answers 403 */
    public WebSocketFront(int backendPort, Predicate<Map<String, String>> authorize) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.backendPort = backendPort;
        this.authorize = authorize;
        Thread t = new Thread(this::acceptLoop, "ws-front");
        t.setDaemon(true);
        t.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int openSockets() {
        return webSockets.size();
    }

    /** Sends a TEXT frame to every open WebSocket. */
    public void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(payload.length);
        } else {
            frame.write(126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        frame.write(payload);
        for (OutputStream out : webSockets) {
            synchronized (out) {
                out.write(frame.toByteArray());
                out.flush();
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "ws-front-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            if (text.startsWith("GET /_worker/ws/")) {
                upgrade(client, text);
            } else {
                pipe(client, head);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the request head ended");
            }
            buf.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return buf.toByteArray();
    }

    private void upgrade(Socket client, String head) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        headers.put(":path", lines[0].split(" ")[1]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        handshakes.add(headers);
        OutputStream out = client.getOutputStream();
        if (!authorize.test(headers) || headers.get("sec-websocket-key") == null) {
            out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            client.close();
            return;
        }
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((headers.get("sec-websocket-key") + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        webSockets.add(out);
        // Read client frames until it closes; answer a close frame with a close frame.
        InputStream in = client.getInputStream();
        try {
            while (true) {
                int b0 = in.read();
                int b1 = in.read();
                if (b0 < 0 || b1 < 0) {
                    break;
                }
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = (in.read() << 8) | in.read();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = (len << 8) | in.read();
                    }
                }
                in.readNBytes(4); // mask
                in.readNBytes((int) len);
                if ((b0 & 0x0f) == 0x8) {
                    synchronized (out) {
                        out.write(new byte[] {(byte) 0x88, 0});
                        out.flush();
                    }
                    break;
                }
            }
        } finally {
            webSockets.remove(out);
            closeQuietly(client);
        }
    }

    private void pipe(Socket client, byte[] head) throws IOException {
        Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
        sockets.add(backend);
        backend.getOutputStream().write(head);
        Thread up = new Thread(() -> copy(client, backend), "ws-front-up");
        up.setDaemon(true);
        up.start();
        copy(backend, client);
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(WebSocketFront::closeQuietly);
    }
}
