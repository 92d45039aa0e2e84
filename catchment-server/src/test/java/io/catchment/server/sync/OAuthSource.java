package io.catchment.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.DataSourceType;
import io.catchment.oauth.ClientApp;
import io.catchment.oauth.OAuthService;
import io.catchment.oauth.UrlOverrides;
import io.catchment.server.OAuthSettings;
import io.catchment.server.ServerConfig;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.oauth.FakeOAuthProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source reached through OAuth: the provider's fake OAuth server (tokens, identity) beside the
 * content API's fake, which accepts exactly the tokens the OAuth fake issued. Connecting goes
 * through {@code /integrations/oauth_url}, the provider's consent and the callback, as a browser would.
 */
abstract class OAuthSource implements SourceFixture {
    private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    protected final OAuthService service;
    protected final FakeOAuthProvider oauth;
    /** User paths ("Reports/alpha.txt") to the provider's ids for them. */
    protected final Map<String, String> ids = new HashMap<>();

    OAuthSource(OAuthService service) {
        this.service = service;
        this.oauth = new FakeOAuthProvider(service.name(), "client-" + service.name(), "secret-" + service.name())
                .account("acct-" + service.name().toLowerCase(java.util.Locale.ROOT), "ada@example.com", "Ada Lovelace");
    }

    /** The content fake. */
    protected abstract FakeHttpApi content();

    /** The content API base the catalogue's {@code api_base_url} is replaced with. */
    protected abstract String apiBase();

    /** Fields the oauth_url request needs for this service (tenant, ...). */
    protected Map<String, Object> connectFields() {
        return Map.of();
    }

    @Override
    public DataSourceType type() {
        return DataSourceType.valueOf(service.name());
    }

    @Override
    public ServerConfig configure(ServerConfig config) {
        Map<String, String> urls = new LinkedHashMap<>(oauth.urls());
        urls.put("api_base_url", apiBase());
        return config.withOAuth(new OAuthSettings(Map.of(service, new ClientApp("client-" + service.name(),
                "secret-" + service.name())), Map.of(service, UrlOverrides.fromMap(urls)), Map.of()));
    }

    @Override
    public long connect(TestServer server, Client user) {
        Map<String, Object> body = new LinkedHashMap<>(connectFields());
        body.put("service", service.name());
        Reply r = user.post("/integrations/oauth_url", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String callback = oauth.authorize(r.json().get("oauth_url").asText());
        HttpResponse<String> page = browse(callback);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("is connected");
        Reply listed = user.post("/user_data_sources", Map.of("filters", Map.of("source", service.name())));
        assertThat(listed.json().get("count").asInt()).isEqualTo(1);
        return listed.json().get("results").get(0).get("id").asLong();
    }

    private static HttpResponse<String> browse(String url) {
        try {
            HttpResponse<String> r = BROWSER.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 303) return browse(URI.create(url).resolve(r.headers().firstValue("location").orElseThrow()).toString());
            return r;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, Object> syncFolderBody(long dataSourceId, String folderExternalId, String path) {
        return Map.of("data_source_id", dataSourceId, "ids", List.of(folderExternalId));
    }

    @Override
    public long providerRequests() {
        return content().requests().size();
    }

    @Override
    public void clearRequests() {
        content().clearRequests();
    }

    protected static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    protected static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public void close() {
        content().close();
        oauth.close();
    }
}
