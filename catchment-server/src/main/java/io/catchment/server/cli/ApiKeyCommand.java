package io.catchment.server.cli;

import io.catchment.store.Database;
import io.catchment.tenancy.ApiKey;
import io.catchment.tenancy.ApiKeys;
import io.catchment.tenancy.NewApiKey;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "api-key", mixinStandardHelpOptions = true, description = "Manage an organization's API keys.",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class})
public final class ApiKeyCommand {

    static void printNewKey(PrintWriter out, NewApiKey key) {
        out.println("api_key_id=" + key.key().id());
        out.println("api_key=" + key.secret());
        out.println("(the API key is shown only now; store it safely)");
    }

    private static ApiKeys keys(Database database) {
        return new ApiKeys(database.jdbi(), Clock.systemUTC());
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an API key (printed once).")
    static final class Create extends DatabaseCommand {
        @Option(names = "--org", required = true, description = "Organization id")
        long org;

        @Option(names = "--name", defaultValue = "cli", description = "A label for the key. Default: ${DEFAULT-VALUE}")
        String name;

        @Override
        int run(Database database) {
            printNewKey(out(), keys(database).create(org, name));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (prefixes only).")
    static final class ListKeys extends DatabaseCommand {
        @Option(names = "--org", required = true, description = "Organization id")
        long org;

        @Override
        int run(Database database) {
            out().println("id\tprefix\tname\tcreated_at\tstatus");
            for (ApiKey k : keys(database).list(org)) {
                out().println(k.id() + "\t" + k.prefix() + "…\t" + k.name() + "\t" + k.createdAt() + "\t"
                        + k.revokedAt().map(at -> "revoked " + at).orElse("active"));
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key (and its access tokens).")
    static final class Revoke extends DatabaseCommand {
        @Option(names = "--org", required = true, description = "Organization id")
        long org;

        @Option(names = "--id", required = true, description = "API key id")
        long id;

        @Override
        int run(Database database) {
            if (keys(database).revoke(org, id)) {
                out().println("revoked api_key_id=" + id);
                return 0;
            }
            err().println("No API key " + id + " in organization " + org);
            return 1;
        }
    }
}
