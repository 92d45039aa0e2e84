package io.catchment.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.tika.exception.WriteLimitReachedException;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Collects the text of Tika's XHTML body. Text inside PDF page elements ({@code <div class="page">})
 * is kept per page, everything else in one stream. Counts characters against a limit and stops the
 * parse (and remembers that it did, in case a parser swallows the exception) when it is passed.
 * Optionally drops leading elements by name (Tika's own subject/header block of an Outlook message,
 * which we replace by our own header).
 */
final class TextCollector extends DefaultHandler {
    private final long limit;
    private final Set<String> leadingElementsToSkip;
    private final StringBuilder other = new StringBuilder();
    private final StringBuilder page = new StringBuilder();
    private final List<String> pages = new ArrayList<>();
    private long total;
    private boolean limitReached;
    private int pageDepth;
    private int skipDepth;
    private boolean leading = true;

    TextCollector(long limit, Set<String> leadingElementsToSkip) {
        this.limit = limit;
        this.leadingElementsToSkip = leadingElementsToSkip;
    }

    TextCollector(long limit) {
        this(limit, Set.of());
    }

    /** Text outside page elements: the whole text for every format but PDF. */
    String text() {
        return other.toString();
    }

    /** The text of each page element, in order (PDF only). */
    List<String> pages() {
        return pages;
    }

    boolean limitReached() {
        return limitReached;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) {
        if (skipDepth > 0) {
            skipDepth++;
            return;
        }
        if (leading && leadingElementsToSkip.contains(localName)) {
            skipDepth = 1;
            return;
        }
        leading = false;
        if (!"div".equals(localName)) return;
        if (pageDepth > 0) {
            pageDepth++;
        } else if ("page".equals(atts.getValue("class"))) {
            pageDepth = 1;
            page.setLength(0);
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        if (skipDepth > 0) {
            skipDepth--;
            return;
        }
        if (pageDepth > 0 && "div".equals(localName) && --pageDepth == 0) pages.add(page.toString());
    }

    @Override
    public void characters(char[] ch, int start, int length) throws WriteLimitReachedException {
        if (skipDepth > 0) return;
        if (leading && !new String(ch, start, length).isBlank()) leading = false;
        total += length;
        if (total > limit) {
            limitReached = true;
            throw new WriteLimitReachedException((int) Math.min(limit, Integer.MAX_VALUE));
        }
        (pageDepth > 0 ? page : other).append(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws WriteLimitReachedException {
        characters(ch, start, length);
    }
}
