package fusion.cluster;

import fusion.store.sql.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Submits the job jar to a Flink cluster through Flink's own client library, the code path of
 * {@code flink run -m HOST:PORT}: the job's {@code main} runs here (it asks Kafka for the topic's
 * partitions), and the job graph and the jar go to the JobManager's REST endpoint. Nothing of
 * Flink needs installing where this runs; {@code --print} shows the equivalent {@code flink run}
 * line for those who deploy with Flink's own command line.
 */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description = {
            "Submit the Fusion job (flink/target/fusion-job.jar) to a Flink 2.x cluster: it reads the accepted calls "
                    + "from the Kafka topic that `fusion serve --log kafka://...` produces to and writes the serving "
                    + "tables in PostgreSQL (docs/SCALE-OUT.md, \"How to run on a real Flink cluster and Kafka\").",
            "The job is submitted detached; its id is printed. Stop it with a savepoint (flink stop --savepointPath DIR "
                    + "JOBID) and start the new version with --from-savepoint."
        })
final class JobCommand implements Callable<Integer> {
    private static final Pattern HOST_PORT = Pattern.compile("[^,:/\\s]+:\\d{1,5}");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--jobmanager",
            paramLabel = "HOST:PORT",
            defaultValue = "localhost:8081",
            description = "the JobManager's REST address (default ${DEFAULT-VALUE}, Flink's rest.port)")
    String jobmanager;

    @Option(
            names = "--kafka",
            required = true,
            paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "the Kafka brokers to bootstrap from, as the job's task managers reach them")
    String kafka;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "the topic of accepted calls")
    String topic;

    @Option(
            names = "--store",
            required = true,
            paramLabel = "URL",
            description = "postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE: the serving tables the job writes")
    String store;

    @Option(
            names = "--checkpoints",
            paramLabel = "DIR",
            description = "durable directory for checkpoints (file:///..., s3://..., hdfs://...); default: the "
                    + "cluster's execution.checkpointing.dir")
    String checkpoints;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            paramLabel = "N",
            description = "parallelism of the Kafka source and of the engine stage (at most 128); the ordered "
                    + "stage and the sink run at 1 "
                    + "(default ${DEFAULT-VALUE})")
    int parallelism;

    @Option(
            names = "--state",
            defaultValue = "rocksdb",
            paramLabel = "rocksdb|heap",
            description =
                    "state backend: rocksdb (on disk, state larger than memory) or heap (default ${DEFAULT-VALUE})")
    String state;

    @Option(
            names = "--checkpoint-seconds",
            defaultValue = "10",
            paramLabel = "N",
            description = "checkpoint interval: how often rows reach PostgreSQL (default ${DEFAULT-VALUE})")
    int checkpointSeconds;

    @Option(
            names = "--from-savepoint",
            paramLabel = "PATH",
            description = "start from this savepoint (as flink run -s PATH), e.g. to upgrade the job")
    String savepoint;

    @Option(
            names = "--jar",
            paramLabel = "FILE",
            defaultValue = "${sys:fusion.job.jar}",
            description = "the job jar (default: flink/target/fusion-job.jar, which ./fusion builds)")
    Path jar;

    @Option(names = "--print", description = "print the equivalent `flink run` command line and submit nothing")
    boolean print;

    @Override
    public Integer call() throws Exception {
        String[] jm = hostPort("--jobmanager", jobmanager);
        for (String b : kafka.split(",", -1)) hostPort("--kafka", b);
        if (!topic.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw bad("--topic expected a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -) but was '" + topic + "'");
        }
        try {
            StoreUrl.parse(store);
        } catch (RuntimeException e) {
            throw bad("--store: " + e.getMessage());
        }
        if (!store.startsWith("postgresql://")) {
            throw bad("--store expected postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE (the job writes PostgreSQL)"
                    + " but was '" + StoreUrl.parse(store).redacted() + "'");
        }
        if (parallelism < 1) throw bad("--parallelism expected at least 1 but was " + parallelism);
        if (checkpointSeconds < 1) throw bad("--checkpoint-seconds expected at least 1 but was " + checkpointSeconds);
        if (!state.equals("rocksdb") && !state.equals("heap")) {
            throw bad("--state expected rocksdb or heap but was '" + state + "'");
        }
        if (jar == null) throw bad("--jar: no job jar given (./fusion passes flink/target/fusion-job.jar)");
        if (!Files.isRegularFile(jar)) {
            throw bad("--jar: " + jar + " does not exist; build it with mvn -pl flink -am package -DskipTests");
        }
        List<String> args = jobArguments();
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (print) {
            out.println(flinkRunLine(args));
            out.flush();
            return 0;
        }
        Configuration conf = new Configuration();
        conf.set(DeploymentOptions.TARGET, "remote");
        conf.set(DeploymentOptions.ATTACHED, false);
        conf.set(RestOptions.ADDRESS, jm[0]);
        conf.set(RestOptions.PORT, Integer.parseInt(jm[1]));
        conf.set(PipelineOptions.JARS, List.of(jar.toAbsolutePath().toUri().toString()));
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        if (savepoint != null) conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        // this JVM has its own kafka-clients (the same version) beside Flink's Kafka connector: one copy of
        // Kafka's classes for both, or the connector and the jar's client meet as two ConsumerRecord classes
        conf.set(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL, List.of("org.apache.kafka"));
        PackagedProgram program = PackagedProgram.newBuilder()
                .setJarFile(jar.toFile())
                .setEntryPointClassName("fusion.flink.FusionJob")
                .setArguments(args.toArray(String[]::new))
                .setConfiguration(conf)
                .build();
        out.printf(
                "job: submitting %s to the Flink cluster at http://%s (topic %s, parallelism %d, %s state)%n",
                jar, jobmanager, topic, parallelism, state);
        try {
            // prints "Job has been submitted with JobID ..."
            out.flush();
            ClientUtils.executeProgram(new DefaultExecutorServiceLoader(), conf, program, false, false);
        } finally {
            program.close();
        }
        out.println("job: submitted; watch it at http://" + jobmanager + "/ and /health of the ingest tier "
                + "shows its lag");
        out.flush();
        return 0;
    }

    /** The arguments of {@code fusion.flink.FusionJob}'s main. */
    List<String> jobArguments() {
        List<String> a = new ArrayList<>(List.of(
                "--bootstrap",
                kafka,
                "--topic",
                topic,
                "--store",
                store,
                "--parallelism",
                Integer.toString(parallelism),
                "--state",
                state.equals("heap") ? "hashmap" : state,
                "--checkpoint-seconds",
                Integer.toString(checkpointSeconds)));
        if (checkpoints != null) a.addAll(List.of("--checkpoints", checkpoints));
        return a;
    }

    String flinkRunLine(List<String> args) {
        StringBuilder b = new StringBuilder("flink run -m ").append(jobmanager).append(" -d");
        if (savepoint != null) b.append(" -s ").append(savepoint);
        b.append(" -c fusion.flink.FusionJob ").append(jar);
        for (String a : args) b.append(' ').append(a.contains(" ") ? "'" + a + "'" : a);
        return b.toString();
    }

    private String[] hostPort(String option, String value) {
        if (value == null || !HOST_PORT.matcher(value).matches()) {
            throw bad(option + " expected HOST:PORT but was '" + value + "'");
        }
        String[] parts = value.split(":");
        int port = Integer.parseInt(parts[1]);
        if (port < 1 || port > 65_535) throw bad(option + " has port " + port + ", expected 1 to 65535");
        return parts;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
