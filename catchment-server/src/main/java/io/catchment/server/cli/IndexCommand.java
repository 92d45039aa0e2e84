package io.catchment.server.cli;

import io.catchment.store.Database;
import picocli.CommandLine.Command;

@Command(name = "index", mixinStandardHelpOptions = true, description = "Manage the chunk index.",
        subcommands = IndexCommand.Rebuild.class)
public final class IndexCommand {

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = "Empty the chunk index and fill it again from the chunks stored in the database.")
    static final class Rebuild extends DatabaseCommand {
        @Override
        int run(Database database) {
            var result = io.catchment.server.IndexRebuild.run(database, db.dataDir(), out());
            out().println("rebuilt: " + result.files() + " files, " + result.chunks() + " chunks");
            return 0;
        }
    }
}
