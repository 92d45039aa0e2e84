package io.catchment.whitelabel;

import java.util.List;

/** One page of an organization's apps, and how many match the filters in all. */
public record WhiteLabelPage(List<WhiteLabel> results, long count) {
    public WhiteLabelPage {
        results = List.copyOf(results);
    }
}
