package io.catchment.server.integrations;

import io.catchment.server.http.HttpApp;
import java.nio.charset.StandardCharsets;

/**
 * The pages a browser lands on after a connection: minimal, self-contained HTML (no external
 * assets). The hosted-pages feature replaces these with branded pages and the file picker.
 */
final class ConnectPages {
    private ConnectPages() {}

    static HttpApp.Raw success(String service, String account, String action) {
        return page(200, "Connected", "Your " + service + " account " + account + " is connected"
                + ("UPDATE".equals(action) ? " again" : "") + ".", "You can close this window.");
    }

    static HttpApp.Raw error(int status, String title, String message, String whatToDo) {
        return page(status, title, message, whatToDo);
    }

    static HttpApp.Raw page(int status, String title, String message, String hint) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + escape(title)
                + "</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;"
                + "color:#1a1a1a}h1{font-size:1.5rem}</style></head><body><main><h1>" + escape(title) + "</h1><p>"
                + escape(message) + "</p><p>" + escape(hint) + "</p></main></body></html>";
        return new HttpApp.Raw(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
