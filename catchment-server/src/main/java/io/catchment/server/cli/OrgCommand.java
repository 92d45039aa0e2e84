package io.catchment.server.cli;

import io.catchment.store.Database;
import io.catchment.tenancy.ApiKeys;
import io.catchment.tenancy.NewApiKey;
import io.catchment.tenancy.Organization;
import io.catchment.tenancy.Organizations;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "org", mixinStandardHelpOptions = true, description = "Manage organizations.",
        subcommands = OrgCommand.Create.class)
public final class OrgCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an organization and its first API key (printed once).")
    static final class Create implements Callable<Integer> {
        @Mixin
        DatabaseOptions db;

        @Option(names = "--name", required = true, description = "Organization name")
        String name;

        @Override
        public Integer call() {
            try (Database database = Database.open(db.settings())) {
                Organization org = new Organizations(database.jdbi(), Clock.systemUTC()).create(name);
                NewApiKey key = new ApiKeys(database.jdbi(), Clock.systemUTC()).create(org.id(), "initial");
                System.out.println("organization_id=" + org.id());
                System.out.println("api_key_id=" + key.key().id());
                System.out.println("api_key=" + key.secret());
                System.out.println("(the API key is shown only now; store it safely)");
                return 0;
            }
        }
    }
}
