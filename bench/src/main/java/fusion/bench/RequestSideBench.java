package fusion.bench;

import fusion.core.segment.SegmentCall;
import fusion.store.LogCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The request side of ingest on one thread, without HTTP or a store: a Segment batch as the load
 * driver sends it (500 calls, {@link LoadDriver#batch}) parsed by the server's
 * {@code SegmentParser.batch} (found by name: this module does not depend on the server; the
 * server's jar is on the classpath when it runs) and
 * each call's log record made by {@link LogCodec#encode}, as a request thread does. Warms up for
 * WARMUP batches, then reports the thread's CPU time per event over MEASURED batches. Run with a
 * build's server jar first on the classpath to measure that build ({@code run-request-side.sh}).
 * Usage: {@code RequestSideBench LABEL WARMUP MEASURED}.
 */
public final class RequestSideBench {
    private RequestSideBench() {}

    public static void main(String[] a) throws ReflectiveOperationException {
        String label = a[0];
        int warmup = Integer.parseInt(a[1]);
        int measured = Integer.parseInt(a[2]);
        byte[][] bodies = new byte[64][];
        for (int i = 0; i < bodies.length; i++) {
            bodies[i] = LoadDriver.batch("rs", i % 4, i, 500).getBytes(StandardCharsets.UTF_8);
        }
        Parser parser = parser();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < warmup; i++) sink += once(parser, bodies[i % bodies.length]);
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long events = 0;
        for (int i = 0; i < measured; i++) {
            int n = once(parser, bodies[i % bodies.length]);
            events += n;
            sink += n;
        }
        double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / events;
        double wallMicros = (System.nanoTime() - wall0) / 1e3 / events;
        System.out.printf(
                "%-8s parse + log record: %.2f µs of CPU per event (%,d events after %,d warm-up batches; wall %.2f µs)"
                        + " [%d]%n",
                label, cpuMicros, events, warmup, wallMicros, sink % 10);
    }

    /** {@code SegmentParser.batch(body, receivedAt).calls()}. */
    @FunctionalInterface
    private interface Parser {
        List<SegmentCall> calls(byte[] body, Instant receivedAt);
    }

    private static Parser parser() throws ReflectiveOperationException {
        Class<?> type = Class.forName("fusion.server.http.SegmentParser");
        Object parser = type.getConstructor().newInstance();
        java.lang.reflect.Method batch = type.getMethod("batch", byte[].class, Instant.class);
        java.lang.reflect.Method calls = batch.getReturnType().getMethod("calls");
        return (body, at) -> {
            try {
                @SuppressWarnings("unchecked")
                List<SegmentCall> out = (List<SegmentCall>) calls.invoke(batch.invoke(parser, body, at));
                return out;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static int once(Parser parser, byte[] body) {
        List<SegmentCall> calls = parser.calls(body, Instant.now());
        int length = 0;
        for (SegmentCall c : calls) length += LogCodec.encode(c).length();
        return calls.size() + (length & 0);
    }
}
