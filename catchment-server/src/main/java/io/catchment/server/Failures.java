package io.catchment.server;

/** Turns a start-up or command failure into one sentence an operator can act on. */
final class Failures {
    private Failures() {}

    static String explain(Throwable e) {
        String all = chain(e);
        if (all.contains("Database may be already in use") || all.contains("already in use")) {
            return "the embedded database in this data directory is in use by another process (a running server?). "
                    + "Stop it, or use the API, or run with --database-url for a shared PostgreSQL.";
        }
        if (all.contains("is in use by another index instance or process")) {
            return "the chunk index in this data directory is in use by another process (a running server?). Stop it first.";
        }
        if (all.contains("Connection refused") && all.contains("postgresql")) {
            return "cannot reach the PostgreSQL server named by --database-url: " + root(e).getMessage();
        }
        return root(e).getClass().getSimpleName() + ": " + root(e).getMessage();
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    private static String chain(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) sb.append(t).append('\n');
        return sb.toString();
    }
}
