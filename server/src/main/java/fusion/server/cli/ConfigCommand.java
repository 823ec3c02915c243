package fusion.server.cli;

import fusion.core.engine.ModelConfig;
import fusion.core.engine.Parameter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the scoring model's parameters: key, value in force, default, range, meaning.")
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options = new ServerOptions();

    @Override
    public Integer call() throws Exception {
        ModelConfig c = options.modelConfig();
        System.out.printf("%-28s %10s %10s  %-16s %s%n", "key", "value", "default", "range", "meaning");
        for (Parameter p : Parameter.values()) {
            System.out.printf("%-28s %10s %10s  %-16s %s%n", p.key(), fmt(c.get(p)), fmt(p.defaultValue()),
                    fmt(p.min()) + ".." + fmt(p.max()), p.meaning());
        }
        return 0;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
