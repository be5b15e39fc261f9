package io.camelsandai.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP proxy in front of Redis that a test controls: it can cut every open connection (as a NAT timeout or
 * a failover of a load balancer does), refuse new ones (a partition), and delay every byte in both directions (a
 * slow link; delayed, not throttled: a chunk read at t is written at t + latency, so pipelining still overlaps).
 */
public final class ChaosProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean refusing;
    private volatile long latencyNanos;
    private volatile boolean closed;

    private ChaosProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "chaos-proxy-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** A proxy on a free loopback port forwarding to {@code host:port}. */
    public static ChaosProxy start(String host, int port) {
        try {
            return new ChaosProxy(host, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the proxy port", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code redis://127.0.0.1:<proxy port>/<db>}. */
    public String url(int db) {
        return "redis://127.0.0.1:" + port() + "/" + db;
    }

    /** Connections accepted so far (a reconnect shows here). */
    public long accepted() {
        return accepted.get();
    }

    public int openConnections() {
        return open.size() / 2;
    }

    /** Closes every open connection at once (both sides see a reset or EOF). */
    public void cutAll() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** While true, new connections are accepted and closed at once (clients see the connection reset). */
    public void refuseNew(boolean value) {
        refusing = value;
    }

    /** Delay added to every chunk in each direction; zero for none. */
    public void latency(Duration value) {
        latencyNanos = value.toNanos();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 2_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                closeQuietly(client); // target down: the client sees the connection closed, as with a dead Redis
            }
        }
    }

    /** One reader and one delayed writer per direction. */
    private void pump(Socket from, Socket to) {
        LinkedBlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    chunks.add(new Chunk(System.nanoTime() + latencyNanos, Arrays.copyOf(buf, n)));
                }
            } catch (IOException ignored) {
                // cut or closed
            } finally {
                chunks.add(Chunk.END);
            }
        }, "chaos-read-" + from.getPort());
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk c = chunks.poll(1, TimeUnit.SECONDS);
                    if (c == null) {
                        if (from.isClosed() && to.isClosed()) {
                            return;
                        }
                        continue;
                    }
                    if (c == Chunk.END) {
                        return;
                    }
                    long wait;
                    while ((wait = c.due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait); // the injected latency itself
                    }
                    out.write(c.bytes);
                    out.flush();
                }
            } catch (IOException | InterruptedException ignored) {
                // cut or closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "chaos-write-" + to.getPort());
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private record Chunk(long due, byte[] bytes) {
        static final Chunk END = new Chunk(0, new byte[0]);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        cutAll();
    }
}
