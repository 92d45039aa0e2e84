package io.catchment.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Builds a WHERE clause from optional conditions with generated named parameters
 * ({@code :w0, :w1, …}), so dynamic filters stay plain, bound SQL. Column names come from code,
 * never from requests.
 */
public final class SqlWhere {
    private final List<String> clauses = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    /** Adds a parameter and returns its placeholder. */
    public String param(Object value) {
        String name = "w" + params.size();
        params.put(name, value);
        return ":" + name;
    }

    public SqlWhere and(String clause) {
        clauses.add(clause);
        return this;
    }

    /** {@code column IN (...)}; an empty collection adds no condition. */
    public SqlWhere in(String column, Collection<?> values) {
        if (!values.isEmpty()) clauses.add(column + " IN " + list(values));
        return this;
    }

    /** A parenthesised list of placeholders for the values. */
    public String list(Collection<?> values) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (Object v : values) j.add(param(v));
        return j.toString();
    }

    public String sql() {
        return clauses.isEmpty() ? "TRUE" : String.join(" AND ", clauses);
    }

    public Map<String, Object> params() {
        return params;
    }
}
