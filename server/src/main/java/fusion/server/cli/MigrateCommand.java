package fusion.server.cli;

import fusion.store.sql.SqlStore;
import fusion.store.sql.StoreUrl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = {
            "Apply pending schema migrations to a PostgreSQL store (the embedded store migrates itself).",
            "A schema newer than this build knows is refused and left untouched."
        })
final class MigrateCommand implements Callable<Integer> {
    @Option(
            names = "--store",
            paramLabel = "URL",
            required = true,
            defaultValue = "${env:FUSION_STORE}",
            description = "postgresql://user:password@host:port/database (or set FUSION_STORE)")
    String store;

    @Override
    public Integer call() {
        StoreUrl url = StoreUrl.parse(store);
        int version = SqlStore.migrate(url);
        System.out.println("migrate: " + url.redacted() + " is at schema version " + version);
        return 0;
    }
}
