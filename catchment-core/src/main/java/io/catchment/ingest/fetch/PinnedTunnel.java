package io.catchment.ingest.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback-only HTTP {@code CONNECT} proxy, private to one fetch, through which the fetch's
 * {@code HttpClient} reaches https URLs. It dials only the addresses the fetcher validated and
 * pinned for the requested {@code host:port} (so the JDK never resolves the name itself and a
 * DNS-rebinding answer cannot slip in between check and connect) and relays bytes untouched:
 * TLS, SNI and certificate checks stay end to end between the client and the server.
 * Anything not pinned gets 403; an unknown method gets 405.
 */
final class PinnedTunnel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PinnedTunnel.class);
    private static final int MAX_HEAD = 8 * 1024;

    private final ServerSocket server;
    private final Function<String, List<InetAddress>> pins;
    private final int connectTimeoutMillis;
    private final Consumer<InetSocketAddress> dialListener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param pins look-up from {@code host:port} key (see {@link SafeUrlFetcher#pinKey}) to the
     *             validated addresses, or null when not pinned
     */
    PinnedTunnel(Function<String, List<InetAddress>> pins, int connectTimeoutMillis,
                 Consumer<InetSocketAddress> dialListener) throws IOException {
        this.pins = pins;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.dialListener = dialListener;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("catchment-fetch-tunnel-accept").start(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** Why the last dial for {@code key} failed, if it did. */
    Optional<String> failure(String key) {
        return Optional.ofNullable(failures.get(key));
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.debug("Fetch tunnel stopped accepting", e);
                }
                return;
            }
            sockets.add(client);
            if (closed) {
                closeQuietly(client);
                return;
            }
            Thread.ofVirtual().name("catchment-fetch-tunnel").start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        Socket target = null;
        try {
            client.setSoTimeout(Math.max(connectTimeoutMillis, 1000));
            String head = readHead(client.getInputStream());
            String[] request = head.lines().findFirst().orElse("").split(" ");
            if (request.length != 3 || !request[0].equals("CONNECT")) {
                respond(client, "405 Method Not Allowed");
                return;
            }
            String authority = request[1];
            int colon = authority.lastIndexOf(':');
            int port = colon < 0 ? -1 : parsePort(authority.substring(colon + 1));
            if (port < 0) {
                respond(client, "400 Bad Request");
                return;
            }
            String key = SafeUrlFetcher.pinKey(authority.substring(0, colon), port);
            List<InetAddress> addresses = pins.apply(key);
            if (addresses == null || addresses.isEmpty()) {
                respond(client, "403 Forbidden");
                return;
            }
            target = dial(key, addresses, port);
            if (target == null) {
                respond(client, "502 Bad Gateway");
                return;
            }
            client.setSoTimeout(0);
            respond(client, "200 Connection Established");
            Socket server = target;
            Thread back = Thread.ofVirtual().name("catchment-fetch-tunnel-relay")
                    .start(() -> relay(server, client));
            relay(client, server);
            back.join();
        } catch (IOException e) {
            if (!closed) {
                log.debug("Fetch tunnel connection ended", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            if (target != null) {
                closeQuietly(target);
            }
        }
    }

    private Socket dial(String key, List<InetAddress> addresses, int port) {
        IOException last = null;
        for (InetAddress address : addresses) {
            if (closed) {
                return null;
            }
            InetSocketAddress endpoint = new InetSocketAddress(address, port);
            dialListener.accept(endpoint);
            Socket socket = new Socket();
            sockets.add(socket);
            try {
                socket.connect(endpoint, connectTimeoutMillis);
                failures.remove(key);
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
        }
        String tried = addresses.stream().map(AddressRules::literal).toList().toString();
        failures.put(key, "could not connect to " + key + " (tried " + tried + "): "
                + (last == null ? "closed" : last.getMessage()));
        return null;
    }

    /** Copies until end of stream, then half-closes so the other direction can finish. */
    private void relay(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // One side went away: end both directions.
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("Connection closed before the end of the CONNECT request");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("CONNECT request head too long");
            }
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port > 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void respond(Socket client, String status) throws IOException {
        OutputStream out = client.getOutputStream();
        String extra = status.startsWith("200") ? "" : "Content-Length: 0\r\nConnection: close\r\n";
        out.write(("HTTP/1.1 " + status + "\r\n" + extra + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket socket : List.copyOf(sockets)) {
            closeQuietly(socket);
        }
    }
}
