package io.catchment.datasource;

import java.util.List;

/** One page of data sources and how many match in all. */
public record DataSourcePage(List<DataSource> results, long count) {}
