package io.catchment.connector.credentials;

import io.catchment.connector.DataSourceType;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.ingest.fetch.FetchResult;
import io.catchment.ingest.fetch.SafeUrlFetcher;
import io.catchment.xml.SafeXml;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RSS feeds: the URL is fetched with the {@link SafeUrlFetcher} (http and https only, no
 * internal addresses unless allowlisted, bounded size and time, every redirect re-checked) and
 * must be a feed: RSS 0.9x/2.0 ({@code <rss><channel>}), RSS 1.0 ({@code <rdf:RDF>}) or Atom
 * ({@code <feed xmlns="http://www.w3.org/2005/Atom">}). The XML is read without DTDs or
 * external entities. The feed's title and item count go into the metadata.
 */
final class RssFeedVerifier implements CredentialVerifier {
    private static final Logger log = LoggerFactory.getLogger(RssFeedVerifier.class);
    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static final int MAX_TITLE = 300;

    private final SafeUrlFetcher fetcher;

    RssFeedVerifier(SafeUrlFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @Override
    public DataSourceType source() {
        return DataSourceType.RSS_FEED;
    }

    Verification verify(String url) {
        String feedUrl;
        try {
            feedUrl = Inputs.required("url", url);
            URI uri = new URI(feedUrl);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new InvalidInput("url must be an http or https URL");
            }
            if (uri.getHost() == null) {
                throw new InvalidInput("url must name a host");
            }
        } catch (URISyntaxException e) {
            return new Refused("url is not a valid URL");
        } catch (InvalidInput e) {
            return new Refused(e.getMessage());
        }
        Path directory;
        try {
            directory = Files.createTempDirectory("catchment-feed-");
        } catch (IOException e) {
            return new Unreachable("Could not make room to read the feed (" + e.getClass().getSimpleName() + ").");
        }
        try {
            return switch (fetcher.fetch(feedUrl, directory.resolve("feed.xml"))) {
                case FetchResult.Refused refused -> new Refused(refused.reason());
                case FetchResult.Failed failed when failed.retryable() -> new Unreachable(failed.reason());
                case FetchResult.Failed failed -> new Refused(failed.reason());
                case FetchResult.Fetched fetched -> read(fetched, feedUrl);
            };
        } finally {
            deleteQuietly(directory);
        }
    }

    private static Verification read(FetchResult.Fetched fetched, String feedUrl) {
        Feed feed;
        try (InputStream in = Files.newInputStream(fetched.file())) {
            feed = Feed.read(SafeXml.reader(in));
        } catch (NotAFeed e) {
            return new Refused(feedUrl + " is not an RSS or Atom feed (" + e.getMessage() + ").");
        } catch (XMLStreamException e) {
            return new Refused(feedUrl + " is not an RSS or Atom feed (it is not well-formed XML).");
        } catch (IOException e) {
            return new Unreachable("Could not read the downloaded feed (" + e.getClass().getSimpleName() + ").");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("url", feedUrl);
        if (!feed.title.isEmpty()) {
            metadata.put("title", feed.title);
        }
        metadata.put("format", feed.format);
        metadata.put("items", feed.items);
        if (!fetched.finalUri().toString().equals(feedUrl)) {
            metadata.put("final_url", fetched.finalUri().toString());
        }
        return new Verified(feedUrl, metadata);
    }

    /** The document is XML but not a feed; the message says what it is instead. */
    private static final class NotAFeed extends Exception {
        NotAFeed(String message) {
            super(message, null, false, false);
        }
    }

    /** What a streaming pass over the document found. */
    private static final class Feed {
        String format = "";
        String title = "";
        int items;

        /**
         * Reads the root element to learn the format, the feed title (the first {@code title}
         * child of the channel or feed element) and counts the items or entries.
         */
        static Feed read(XMLStreamReader reader) throws XMLStreamException, NotAFeed {
            Feed feed = new Feed();
            Deque<String> path = new ArrayDeque<>();
            StringBuilder title = null;
            int titleDepth = -1;
            boolean titleDone = false;
            try {
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        String name = reader.getLocalName();
                        String ns = reader.getNamespaceURI() == null ? "" : reader.getNamespaceURI();
                        if (path.isEmpty()) {
                            feed.format = format(reader, name, ns);
                        }
                        path.push(name);
                        int depth = path.size();
                        if (!titleDone && title == null && name.equals("title") && isFeedTitle(feed.format, depth, path)) {
                            title = new StringBuilder();
                            titleDepth = depth;
                        }
                        if (isItem(feed.format, name, depth, path)) {
                            feed.items++;
                        }
                    } else if (title != null && (event == XMLStreamConstants.CHARACTERS
                            || event == XMLStreamConstants.CDATA)) {
                        if (title.length() < MAX_TITLE * 4) {
                            title.append(reader.getText());
                        }
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        if (title != null && path.size() == titleDepth) {
                            feed.title = Redact.scrub(title.toString());
                            title = null;
                            titleDone = true;
                        }
                        path.pop();
                    }
                }
            } finally {
                reader.close();
            }
            if (feed.format.isEmpty()) {
                throw new NotAFeed("the document is empty");
            }
            return feed;
        }

        private static String format(XMLStreamReader reader, String name, String ns) throws NotAFeed {
            if (name.equals("rss")) {
                String version = reader.getAttributeValue(null, "version");
                return version == null || version.isBlank() ? "RSS" : "RSS " + version.strip();
            }
            if (name.equals("RDF") && ns.equals(RDF)) {
                return "RSS 1.0";
            }
            if (name.equals("feed") && ns.equals(ATOM)) {
                return "Atom";
            }
            throw new NotAFeed("the document is <" + Redact.scrub(name) + ">, not <rss>, <rdf:RDF> or an Atom <feed>");
        }

        /** rss/channel/title, rdf:RDF/channel/title, feed/title. */
        private static boolean isFeedTitle(String format, int depth, Deque<String> path) {
            if (format.equals("Atom")) {
                return depth == 2;
            }
            return depth == 3 && parent(path).equals("channel");
        }

        /** rss/channel/item, rdf:RDF/item, feed/entry. */
        private static boolean isItem(String format, String name, int depth, Deque<String> path) {
            if (format.equals("Atom")) {
                return depth == 2 && name.equals("entry");
            }
            if (format.equals("RSS 1.0")) {
                return depth == 2 && name.equals("item");
            }
            return depth == 3 && name.equals("item") && parent(path).equals("channel");
        }

        private static String parent(Deque<String> path) {
            var it = path.iterator();
            it.next();
            return it.hasNext() ? it.next() : "";
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("Could not delete {}", p, e);
                }
            });
        } catch (IOException e) {
            log.warn("Could not clean up {}", directory, e);
        }
    }
}
