package io.catchment.server.cli;

import io.catchment.store.Database;
import io.catchment.tenancy.ApiKey;
import io.catchment.tenancy.ApiKeys;
import io.catchment.tenancy.NewApiKey;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "api-key", mixinStandardHelpOptions = true, description = "Manage an organization's API keys.",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class})
public final class ApiKeyCommand {

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key (printed once).")
    static final class Create implements Callable<Integer> {
        @Mixin
        DatabaseOptions db;

        @Option(names = "--org", required = true, description = "Organization id")
        long org;

        @Option(names = "--name", defaultValue = "cli", description = "A label for the key. Default: ${DEFAULT-VALUE}")
        String name;

        @Override
        public Integer call() {
            try (Database database = Database.open(db.settings())) {
                NewApiKey key = new ApiKeys(database.jdbi(), Clock.systemUTC()).create(org, name);
                System.out.println("api_key_id=" + key.key().id());
                System.out.println("api_key=" + key.secret());
                System.out.println("(the API key is shown only now; store it safely)");
                return 0;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (prefixes only).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        DatabaseOptions db;

        @Option(names = "--org", required = true, description = "Organization id")
        long org;

        @Override
        public Integer call() {
            try (Database database = Database.open(db.settings())) {
                System.out.println("id\tprefix\tname\tcreated_at\tstatus");
                for (ApiKey k : new ApiKeys(database.jdbi(), Clock.systemUTC()).list(org)) {
                    System.out.println(k.id() + "\t" + k.prefix() + "…\t" + k.name() + "\t" + k.createdAt() + "\t"
                            + k.revokedAt().map(at -> "revoked " + at).orElse("active"));
                }
                return 0;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key (and its access tokens).")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        DatabaseOptions db;

        @Option(names = "--org", required = true, description = "Organization id")
        long org;

        @Option(names = "--id", required = true, description = "API key id")
        long id;

        @Override
        public Integer call() {
            try (Database database = Database.open(db.settings())) {
                if (new ApiKeys(database.jdbi(), Clock.systemUTC()).revoke(org, id)) {
                    System.out.println("revoked api_key_id=" + id);
                    return 0;
                }
                System.err.println("No API key " + id + " in organization " + org);
                return 1;
            }
        }
    }
}
