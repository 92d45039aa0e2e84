package io.catchment.server.cli;

import io.catchment.store.Database;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that opens the store (migrating it if needed), does one thing, and closes it. */
abstract class DatabaseCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions db;

    @Spec
    CommandSpec spec;

    abstract int run(Database database);

    @Override
    public final Integer call() {
        try (Database database = Database.open(db.settings())) {
            return run(database);
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
