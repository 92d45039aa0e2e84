package io.catchment.server.cli;

import io.catchment.store.Database;
import io.catchment.tenancy.ApiKeys;
import io.catchment.tenancy.NewApiKey;
import io.catchment.tenancy.Organization;
import io.catchment.tenancy.Organizations;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "org", mixinStandardHelpOptions = true, description = "Manage organizations.",
        subcommands = OrgCommand.Create.class)
public final class OrgCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an organization and its first API key (printed once).")
    static final class Create extends DatabaseCommand {
        @Option(names = "--name", required = true, description = "Organization name")
        String name;

        @Override
        int run(Database database) {
            Organization org = new Organizations(database.jdbi(), Clock.systemUTC()).create(name);
            NewApiKey key = new ApiKeys(database.jdbi(), Clock.systemUTC()).create(org.id(), "initial");
            out().println("organization_id=" + org.id());
            ApiKeyCommand.printNewKey(out(), key);
            return 0;
        }
    }
}
