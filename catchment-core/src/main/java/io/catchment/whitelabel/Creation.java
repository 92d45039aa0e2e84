package io.catchment.whitelabel;

import io.catchment.oauth.OAuthService;
import java.util.List;
import java.util.Set;

/** The outcome of {@link WhiteLabels#create}: all created, or none (and why). */
public sealed interface Creation {
    record Created(List<WhiteLabel> whiteLabels) implements Creation {
        public Created {
            whiteLabels = List.copyOf(whiteLabels);
        }
    }

    /**
     * Nothing was created: the organization already has an app for {@code existing}, or the
     * request names {@code repeated} more than once.
     */
    record Conflict(Set<OAuthService> existing, Set<OAuthService> repeated) implements Creation {
        public Conflict {
            existing = Set.copyOf(existing);
            repeated = Set.copyOf(repeated);
        }
    }
}
