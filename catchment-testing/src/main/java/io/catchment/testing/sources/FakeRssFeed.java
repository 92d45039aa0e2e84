package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A web site serving feeds: RSS 2.0 ({@code <rss version="2.0"><channel>}) and Atom 1.0
 * ({@code <feed xmlns="http://www.w3.org/2005/Atom">}) documents, any other document, and
 * redirects, at paths chosen by the test. Feeds need no credentials.
 */
public final class FakeRssFeed extends FakeHttpApi {

    /** {@code http://127.0.0.1:port} + {@code path}. */
    public URI url(String path) {
        return URI.create(baseUrl() + path);
    }

    /** Serves an RSS 2.0 feed with these item titles at {@code path}; returns its URL. */
    public URI servesRss(String path, String title, List<String> items) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel>")
                .append("<title>").append(FakeS3.escape(title)).append("</title>")
                .append("<link>https://blog.example/</link><description>Posts</description>")
                .append("<atom:link href=\"").append(url(path)).append("\" rel=\"self\" type=\"application/rss+xml\"/>")
                .append("<image><title>Logo</title><url>https://blog.example/logo.png</url>")
                .append("<link>https://blog.example/</link></image>");
        int n = 0;
        for (String item : items) {
            n++;
            xml.append("<item><title>").append(FakeS3.escape(item)).append("</title>")
                    .append("<link>https://blog.example/posts/").append(n).append("</link>")
                    .append("<guid isPermaLink=\"false\">post-").append(n).append("</guid>")
                    .append("<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>")
                    .append("<description><![CDATA[<p>").append(item).append("</p>]]></description></item>");
        }
        xml.append("</channel></rss>");
        return serves(path, "application/rss+xml; charset=utf-8", xml.toString());
    }

    /** Serves an Atom 1.0 feed with these entry titles at {@code path}; returns its URL. */
    public URI servesAtom(String path, String title, List<String> entries) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
                .append("<title type=\"text\">").append(FakeS3.escape(title)).append("</title>")
                .append("<link href=\"https://blog.example/\"/><updated>2026-03-02T10:00:00Z</updated>")
                .append("<id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>")
                .append("<author><name>Ada</name></author>");
        int n = 0;
        for (String entry : entries) {
            n++;
            xml.append("<entry><title>").append(FakeS3.escape(entry)).append("</title>")
                    .append("<link href=\"https://blog.example/posts/").append(n).append("\"/>")
                    .append("<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6").append(n % 10).append("</id>")
                    .append("<updated>2026-03-02T10:00:00Z</updated><summary>").append(FakeS3.escape(entry))
                    .append("</summary></entry>");
        }
        xml.append("</feed>");
        return serves(path, "application/atom+xml; charset=utf-8", xml.toString());
    }

    /** Serves {@code body} as {@code contentType} at {@code path}; returns its URL. */
    public URI serves(String path, String contentType, String body) {
        get(path, request -> new Reply(200, Map.of("Content-Type", contentType), body));
        return url(path);
    }

    /** Answers {@code path} with a 302 to {@code location}; returns the redirecting URL. */
    public URI redirects(String path, URI location) {
        get(path, request -> new Reply(302, Map.of("Location", location.toString()), ""));
        return url(path);
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return true;
    }

    @Override
    protected Reply unauthorized() {
        throw new IllegalStateException("feeds need no credentials");
    }
}
