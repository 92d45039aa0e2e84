package io.catchment.server.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The pages {@link BrowserHarnessTest} checks the harness with, on a JDK HTTP server on loopback:
 * a good page, a bad page (one defect per check), a page with keyboard traps, a page that logs
 * errors, and a callback page that shows its query (the OAuth fake's redirect target).
 */
final class HarnessPages implements AutoCloseable {
    private static final String HEAD = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            """;

    static final String GOOD = HEAD + """
            <title>Create an account</title>
            <style>
              body { font: 16px/1.5 sans-serif; color: #111827; background: #fff; margin: 2rem; }
              input, select, button { font: inherit; }
              a { color: #1d4ed8; }
              :focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
              @media (max-width: 600px) { body { margin: .5rem; } }
            </style>
            </head>
            <body>
            <main>
            <h1>Create an account</h1>
            <form action="/callback" method="get">
              <p><label for="email">Email</label> <input id="email" name="email" type="email" autocomplete="email"></p>
              <p><label for="plan">Plan</label> <select id="plan" name="plan"><option>Free</option><option>Team</option></select></p>
              <fieldset>
                <legend>Digest</legend>
                <input type="radio" id="daily" name="digest" value="daily" checked> <label for="daily">Daily</label>
                <input type="radio" id="weekly" name="digest" value="weekly"> <label for="weekly">Weekly</label>
              </fieldset>
              <p><button type="submit" id="create">Create account</button>
                 <button type="button" id="later" disabled>Later</button>
                 <button type="button" id="secret" hidden>Hidden</button></p>
            </form>
            <p><a href="/help" id="help">Help with accounts</a></p>
            </main>
            </body>
            </html>
            """;

    /** Five defects: no lang, an unlabelled input, faint text, a nameless button without focus outline, tabindex=3. */
    static final String BAD = """
            <!doctype html>
            <html>
            <head>
            <meta charset="utf-8">
            <link rel="icon" href="data:,">
            <title>Bad page</title>
            <style>
              body { font: 16px/1.5 sans-serif; color: #111827; background: #fff; margin: 2rem; }
              .faint { color: #999; background: #fff; }
              #go { outline: none; width: 2rem; height: 2rem; }
            </style>
            </head>
            <body>
            <main>
            <h1>Bad page</h1>
            <p class="faint" id="faint">This sentence is too faint to read comfortably.</p>
            <p><input id="nameless" type="text"></p>
            <p><button id="go"></button></p>
            <p><a href="/help" id="jump" tabindex="3">Jump ahead</a></p>
            </main>
            </body>
            </html>
            """;

    /** Scripts that move the focus out of order (first, third, second) and then hold it in a text area. */
    static final String KEYBOARD = HEAD + """
            <title>Keyboard traps</title>
            </head>
            <body>
            <main>
            <h1>Keyboard traps</h1>
            <p><button id="one">One</button> <button id="two">Two</button> <button id="three">Three</button></p>
            <p><label for="notes">Notes</label> <textarea id="notes"></textarea></p>
            <p><button id="after">After the notes</button></p>
            </main>
            <script>
              const jump = (from, to) => document.getElementById(from).addEventListener('keydown', e => {
                if (e.key === 'Tab' && !e.shiftKey) { e.preventDefault(); document.getElementById(to).focus(); }
              });
              jump('one', 'three');
              jump('three', 'two');
              jump('two', 'notes');
              document.getElementById('notes').addEventListener('keydown', e => { if (e.key === 'Tab') e.preventDefault(); });
            </script>
            </body>
            </html>
            """;

    static final String NOISY = HEAD + """
            <title>Noisy page</title>
            </head>
            <body>
            <main><h1>Noisy page</h1><p>This page logs an error and throws one.</p></main>
            <script>
              console.error('boom from the page');
              throw new Error('uncaught kaboom');
            </script>
            </body>
            </html>
            """;

    private final HttpServer server;

    HarnessPages() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Map<String, String> pages = Map.of("/good", GOOD, "/bad", BAD, "/keyboard", KEYBOARD, "/noisy", NOISY);
        pages.forEach((path, html) -> server.createContext(path, exchange -> send(exchange, 200, html)));
        server.createContext("/callback", exchange -> send(exchange, 200, callback(exchange)));
        server.createContext("/", exchange -> send(exchange, 404, HEAD + "<title>Not found</title></head><body><main>"
                + "<h1>Not found</h1></main></body></html>"));
        server.start();
    }

    /** {@code http://127.0.0.1:port} followed by {@code path}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static String callback(HttpExchange exchange) {
        String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
        return HEAD + "<title>Back at the app</title></head><body><main><h1>Back at the app</h1><p id=\"query\">"
                + query.replace("&", "&amp;").replace("<", "&lt;") + "</p></main></body></html>";
    }

    private static void send(HttpExchange exchange, int status, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
