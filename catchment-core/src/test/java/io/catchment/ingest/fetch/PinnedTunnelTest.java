package io.catchment.ingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tunnel relays to pinned targets only; everything else is refused (fail closed). */
class PinnedTunnelTest {

    private ServerSocket echo;
    private PinnedTunnel tunnel;
    private final List<InetSocketAddress> dials = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        echo = new ServerSocket(0, 4, loopback);
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException ignored) {
                    // closed
                }
            }
        });
        Map<String, List<InetAddress>> pins = Map.of(
                SafeUrlFetcher.pinKey("pinned.example", echo.getLocalPort()), List.of(loopback));
        tunnel = new PinnedTunnel(pins::get, 2000, dials::add);
    }

    @AfterEach
    void stop() throws IOException {
        tunnel.close();
        echo.close();
    }

    @Test
    void relaysToThePinnedAddress() throws IOException {
        try (Socket client = connect()) {
            send(client, "CONNECT pinned.example:" + echo.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readLine(client.getInputStream())).isEqualTo("HTTP/1.1 200 Connection Established");
            assertThat(readLine(client.getInputStream())).isEmpty();
            send(client, "hello through the tunnel\n");
            assertThat(readLine(client.getInputStream())).isEqualTo("hello through the tunnel");
        }
        assertThat(dials).containsExactly(new InetSocketAddress("127.0.0.1", echo.getLocalPort()));
    }

    @Test
    void refusesHostsThatWereNotPinned() throws IOException {
        try (Socket client = connect()) {
            send(client, "CONNECT 169.254.169.254:80 HTTP/1.1\r\n\r\n");
            assertThat(readLine(client.getInputStream())).isEqualTo("HTTP/1.1 403 Forbidden");
        }
        try (Socket client = connect()) {
            send(client, "CONNECT pinned.example:" + (echo.getLocalPort() == 1 ? 2 : 1) + " HTTP/1.1\r\n\r\n");
            assertThat(readLine(client.getInputStream())).isEqualTo("HTTP/1.1 403 Forbidden");
        }
        assertThat(dials).isEmpty();
    }

    @Test
    void refusesPlainProxyRequests() throws IOException {
        try (Socket client = connect()) {
            send(client, "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n");
            assertThat(readLine(client.getInputStream())).isEqualTo("HTTP/1.1 405 Method Not Allowed");
        }
        assertThat(dials).isEmpty();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(tunnel.address(), 2000);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
