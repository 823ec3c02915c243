package fusion.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./fusion}: the command line. */
@Command(
        name = "fusion",
        mixinStandardHelpOptions = true,
        version = "Fusion 0.1.0",
        description = "Fusion, the customer engagement engine: live, explainable relationship scores "
                + "from every consumer-brand interaction.",
        subcommands = {
            ServeCommand.class,
            DemoCommand.class,
            ReplayCommand.class,
            ImportCommand.class,
            MigrateCommand.class,
            CopyCommand.class,
            ConfigCommand.class,
            SimulateCommand.class,
            PrivacyCommands.Consent.class,
            PrivacyCommands.Export.class,
            PrivacyCommands.Erase.class,
            PrivacyCommands.Keys.class,
            PrivacyCommands.Tokens.class,
            PrivacyCommands.Audit.class,
            JourneyCommands.AttributionCommand.class,
            JourneyCommands.Journeys.class,
            ModelsCommand.class,
            ImpactCommand.class,
            AudienceCommands.Audiences.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // a known failure gets one clear line, not a stack trace
                    if (e instanceof fusion.core.model.InvalidInput
                            || e instanceof fusion.store.StoreFailure
                            || e instanceof fusion.store.StoreInUse
                            || e instanceof fusion.store.SchemaMismatch
                            || e instanceof fusion.server.log.LogUnavailable
                            || e instanceof java.io.IOException) {
                        cmd.getErr().println("fusion " + cmd.getCommandName() + ": " + e.getMessage());
                        return 2;
                    }
                    throw e;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
