package io.catchment.server.web;

import io.catchment.json.Json;
import io.catchment.server.http.Call;
import io.catchment.server.http.HttpApp;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Renders a {@link Page} into the shared shell: branding (name or logo, colours as CSS
 * variables), a skip link, landmarks, and security headers. The CSP allows scripts, styles and
 * fetches from this server only (plus data: images for logos); the one inline style, the brand
 * colours, carries a per-response nonce.
 */
public final class Pages {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Assets assets;

    public Pages(Assets assets) {
        this.assets = assets;
    }

    public HttpApp.Raw respond(Call call, Page page) {
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        String nonce = Base64.getEncoder().encodeToString(nonceBytes);
        var ctx = call.ctx();
        ctx.header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-" + nonce
                + "'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        return new HttpApp.Raw(page.status(), "text/html; charset=utf-8", render(page, nonce).getBytes(StandardCharsets.UTF_8));
    }

    String render(Page page, String nonce) {
        Branding b = page.branding();
        StringBuilder html = new StringBuilder(4096);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.escape(page.title() + " · " + b.name())).append("</title>")
                .append("<link rel=\"icon\" href=\"data:,\">") // no favicon request
                .append("<link rel=\"stylesheet\" href=\"").append(assets.url("catchment.css")).append("\">")
                .append("<style nonce=\"").append(nonce).append("\">:root{--brand:").append(b.brand())
                .append(";--brand-text:").append(b.brandText()).append(";--on-brand:").append(b.onBrand())
                .append("}</style></head><body>")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
                .append("<header class=\"brand\">");
        if (b.logo().isPresent()) {
            html.append("<img class=\"logo\" src=\"").append(Html.escape(b.logo().get())).append("\" alt=\"")
                    .append(Html.escape(b.name())).append("\">");
        } else {
            html.append("<span class=\"brand-name\">").append(Html.escape(b.name())).append("</span>");
        }
        html.append("</header><main id=\"main\" tabindex=\"-1\">").append(page.main()).append("</main>");
        if (b.showPoweredBy()) html.append("<footer><p>Powered by Catchment</p></footer>");
        if (page.script().isPresent()) {
            html.append("<script type=\"application/json\" id=\"boot\">")
                    .append(Html.scriptJson(Json.write(page.boot()))).append("</script>")
                    .append("<script type=\"module\" src=\"").append(assets.url(page.script().get())).append("\"></script>");
        }
        return html.append("</body></html>").toString();
    }
}
