package fusion.cluster;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./fusion job} and {@code ./fusion cluster-demo}: the launcher hands these two to this jar. */
@Command(
        name = "fusion",
        mixinStandardHelpOptions = true,
        subcommands = {JobCommand.class, ClusterDemoCommand.class},
        description = "Fusion's scale-out commands (docs/SCALE-OUT.md).")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        quietLogs();
        System.exit(commandLine().execute(args));
    }

    /**
     * Flink's MiniCluster and Kafka's broker log thousands of INFO lines: warnings only, unless the
     * user asked for more ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info}).
     */
    static void quietLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // warnings that say nothing to a user of the demo: metric names registered twice, checkpoints
        // refused while the job stops, brokers gone at shutdown, no Kerberos tokens, no log file for Flink's UI
        for (String noisy : new String[] {
            "org.apache.flink.metrics",
            "org.apache.flink.runtime.checkpoint",
            "org.apache.flink.runtime.security",
            "org.apache.flink.runtime.webmonitor",
            "org.apache.kafka",
            "kafka"
        }) {
            String key = "org.slf4j.simpleLogger.log." + noisy;
            if (System.getProperty(key) == null) System.setProperty(key, "error");
        }
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
