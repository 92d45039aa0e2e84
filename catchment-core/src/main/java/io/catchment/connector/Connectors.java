package io.catchment.connector;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The content connectors this server has, by source type. */
public final class Connectors {
    private final Map<DataSourceType, Connector> byType = new EnumMap<>(DataSourceType.class);

    public Connectors(List<Connector> connectors) {
        for (Connector c : connectors) {
            if (byType.put(c.type(), c) != null) throw new IllegalArgumentException("two connectors for " + c.type());
        }
    }

    public Optional<Connector> find(DataSourceType type) {
        return Optional.ofNullable(byType.get(type));
    }

    public boolean supports(DataSourceType type) {
        return byType.containsKey(type);
    }
}
