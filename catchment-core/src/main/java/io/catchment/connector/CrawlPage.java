package io.catchment.connector;

import java.util.List;
import java.util.Optional;

/** One page of a crawl: items in any order, and where to go on from ({@code next} empty: the crawl is complete). */
public record CrawlPage(List<SourceItem> items, Optional<Checkpoint> next) {
    public CrawlPage {
        items = List.copyOf(items);
    }
}
