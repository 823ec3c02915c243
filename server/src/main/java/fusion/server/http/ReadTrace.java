package fusion.server.http;

import io.javalin.http.Context;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one {@code /api} GET's time went, for measuring the profile read's tail (issue 18), kept
 * only when the server runs with {@code -Dfusion.read.timing=true}: one log line per request once
 * its response is written, with the wall-clock time it arrived and, in microseconds, the time
 * from Jetty's arrival to the handler ({@code wait}: accepting, parsing the headers, waiting for a
 * thread), then each phase the handler marked ({@link #mark}), the time to write the response,
 * the total, the handling thread's name, and its CPU from the handler's start to the end ({@code cpu})
 * and in each marked phase ({@code <phase>Cpu}): a phase much longer than its CPU waited, for a lock,
 * a connection, a GC pause or the CPU.
 * {@code bench/run-read-tail.sh} reads these lines.
 */
final class ReadTrace {
    static final boolean ON = Boolean.getBoolean("fusion.read.timing");
    static final String KEY = "fusion.read.trace";
    private static final Logger LOG = LoggerFactory.getLogger(ReadTrace.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int MAX_MARKS = 12;

    private final long arrivedWallMicros;
    private final long arrived;
    private final long started;
    private final long cpuStarted;
    private final String[] names = new String[MAX_MARKS];
    private final long[] at = new long[MAX_MARKS];
    private final long[] cpuAt = new long[MAX_MARKS];
    private int marks;
    private long last;
    private long lastCpu;

    private ReadTrace(long arrived, long started) {
        this.arrived = arrived;
        this.started = started;
        this.last = started;
        this.arrivedWallMicros = epochMicros() - (started - arrived) / 1_000;
        this.cpuStarted = THREADS.getCurrentThreadCpuTime();
        this.lastCpu = cpuStarted;
    }

    private static long epochMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /** Starts tracing a GET under {@code /api} when the flag is on; otherwise nothing. */
    static void begin(Context ctx) {
        if (!ON || !"GET".equals(ctx.req().getMethod())) return;
        long now = System.nanoTime();
        long arrived = now;
        try {
            arrived = org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req())
                    .getBeginNanoTime();
        } catch (RuntimeException e) {
            LOG.debug("no Jetty request under this context; the wait before the handler is not known", e);
        }
        ctx.attribute(KEY, new ReadTrace(arrived, now));
    }

    /** Notes that the phase {@code name} of a traced request ended now. */
    static void mark(Context ctx, String name) {
        if (!ON) return;
        ReadTrace t = ctx.attribute(KEY);
        if (t != null) t.mark(name);
    }

    private void mark(String name) {
        if (marks == MAX_MARKS) return;
        long now = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        names[marks] = name;
        cpuAt[marks] = cpu - lastCpu;
        at[marks++] = now - last;
        last = now;
        lastCpu = cpu;
    }

    /** Logs a traced request's line, once its response is written. */
    static void finish(Context ctx) {
        if (!ON) return;
        ReadTrace t = ctx.attribute(KEY);
        if (t == null) return;
        long now = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime() - t.cpuStarted;
        StringBuilder b = new StringBuilder(200)
                .append("read trace: at=")
                .append(t.arrivedWallMicros)
                .append(" thread=")
                .append(Thread.currentThread().getName())
                .append(" path=")
                .append(ctx.path())
                .append(" status=")
                .append(ctx.statusCode())
                .append(" total=")
                .append((now - t.arrived) / 1000)
                .append(" wait=")
                .append((t.started - t.arrived) / 1000);
        for (int i = 0; i < t.marks; i++)
            b.append(' ').append(t.names[i]).append('=').append(t.at[i] / 1000);
        b.append(" write=").append((now - t.last) / 1000).append(" cpu=").append(cpu / 1000);
        for (int i = 0; i < t.marks; i++)
            b.append(' ').append(t.names[i]).append("Cpu=").append(t.cpuAt[i] / 1000);
        LOG.info(b.toString());
    }
}
