package fusion.server.http;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A {@link PrintStream} that hands each line to {@code sink} as soon as it is complete, so a long
 * operation's progress reaches the log while it runs, not all at once at the end.
 */
final class LineSink extends OutputStream {
    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private LineSink(Consumer<String> sink) {
        this.sink = sink;
    }

    static PrintStream of(Consumer<String> sink) {
        return new PrintStream(new LineSink(sink), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
            line.reset();
            if (!text.isBlank()) sink.accept(text);
        } else {
            line.write(b);
        }
    }
}
