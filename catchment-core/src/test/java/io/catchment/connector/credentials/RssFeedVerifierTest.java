package io.catchment.connector.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.credentials.CredentialVerifiers.Endpoints;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.testing.models.FakeHttpApi.Reply;
import io.catchment.testing.sources.FakeRssFeed;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RssFeedVerifierTest {
    private final FakeRssFeed site = new FakeRssFeed();
    private final CredentialVerifiers verifiers = TestVerifiers.with(Endpoints.defaults());

    @AfterEach
    void close() {
        site.close();
    }

    @Test
    void readsAnRss2Feed() {
        URI url = site.servesRss("/feed.xml", "Acme & Co. Blog", List.of("Launch", "Pricing", "Roadmap"));

        Verification result = verifiers.rssFeed(url.toString());

        assertThat(result).isEqualTo(new Verified(url.toString(), Map.of("url", url.toString(),
                "title", "Acme & Co. Blog", "format", "RSS 2.0", "items", 3)));
    }

    @Test
    void readsAnAtomFeed() {
        URI url = site.servesAtom("/atom", "Release notes", List.of("2.1", "2.0"));

        assertThat(verifiers.rssFeed(url.toString())).isInstanceOfSatisfying(Verified.class, verified ->
                assertThat(verified.metadata()).containsEntry("format", "Atom").containsEntry("title", "Release notes")
                        .containsEntry("items", 2));
    }

    @Test
    void readsAnRss1Feed() {
        URI url = site.serves("/rdf", "application/rdf+xml", """
                <?xml version="1.0"?>
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
                  <channel rdf:about="https://blog.example/"><title>Old school</title><link>https://blog.example/</link>
                    <items><rdf:Seq><rdf:li resource="https://blog.example/1"/></rdf:Seq></items></channel>
                  <item rdf:about="https://blog.example/1"><title>First</title><link>https://blog.example/1</link></item>
                </rdf:RDF>""");

        assertThat(verifiers.rssFeed(url.toString())).isInstanceOfSatisfying(Verified.class, verified ->
                assertThat(verified.metadata()).containsEntry("format", "RSS 1.0").containsEntry("title", "Old school")
                        .containsEntry("items", 1));
    }

    @Test
    void followsARedirectAndSaysWhereTheFeedIs() {
        URI feed = site.servesRss("/feed.xml", "Blog", List.of("One"));
        URI old = site.redirects("/rss", feed);

        assertThat(verifiers.rssFeed(old.toString())).isInstanceOfSatisfying(Verified.class, verified -> {
            assertThat(verified.externalId()).isEqualTo(old.toString());
            assertThat(verified.metadata()).containsEntry("final_url", feed.toString());
        });
    }

    @Test
    void refusesAPageThatIsNotAFeed() {
        URI url = site.serves("/index.html", "text/html", "<?xml version=\"1.0\"?><html><body>Hello</body></html>");

        assertThat(verifiers.rssFeed(url.toString())).isInstanceOfSatisfying(Refused.class, refused ->
                assertThat(refused.message()).contains("is not an RSS or Atom feed").contains("<html>"));
    }

    @Test
    void refusesSomethingThatIsNotXml() {
        URI url = site.serves("/data.json", "application/json", "{\"items\": []}");

        assertThat(verifiers.rssFeed(url.toString())).isInstanceOfSatisfying(Refused.class, refused ->
                assertThat(refused.message()).contains("not well-formed XML"));
    }

    @Test
    void neverResolvesExternalEntities() {
        URI url = site.serves("/xxe.xml", "application/rss+xml", """
                <?xml version="1.0"?>
                <!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
                <rss version="2.0"><channel><title>&secret;</title></channel></rss>""");

        assertThat(verifiers.rssFeed(url.toString())).isInstanceOf(Refused.class);
    }

    @Test
    void neverExpandsEntityBombs() {
        URI url = site.serves("/lol.xml", "application/rss+xml", """
                <?xml version="1.0"?>
                <!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
                <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
                <rss version="2.0"><channel><title>&d;&d;&d;&d;&d;&d;&d;&d;</title></channel></rss>""");

        assertThat(verifiers.rssFeed(url.toString())).isInstanceOf(Refused.class);
    }

    @Test
    void aMissingFeedIsRefusedAndAFailingServerUnreachable() {
        URI url = site.servesRss("/feed.xml", "Blog", List.of());
        site.failNext(Reply.json(404, Map.of()), Reply.json(503, Map.of()));

        assertThat(verifiers.rssFeed(url.toString())).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).contains("HTTP 404"));
        assertThat(verifiers.rssFeed(url.toString())).isInstanceOfSatisfying(Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("HTTP 503"));
    }

    @Test
    void loopbackAndPrivateAddressesAreRefusedUnlessAllowlisted() {
        URI url = site.servesRss("/feed.xml", "Blog", List.of("One"));
        CredentialVerifiers production = new CredentialVerifiers(TestVerifiers.HTTP, TestVerifiers.CLOCK,
                Endpoints.defaults());

        assertThat(production.rssFeed(url.toString())).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).contains("loopback"));
        assertThat(production.rssFeed("http://169.254.169.254/latest/meta-data/")).isInstanceOfSatisfying(Refused.class,
                refused -> assertThat(refused.message()).contains("link-local"));
        assertThat(site.requests()).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"ftp://blog.example/feed.xml", "file:///etc/passwd", "not a url", "blog.example/feed.xml",
            "javascript:alert(1)"})
    void refusesWhatIsNotAnHttpUrl(String url) {
        assertThat(verifiers.rssFeed(url)).isInstanceOf(Refused.class);
        assertThat(site.requests()).isEmpty();
    }
}
