package fusion.server.ingest;

import java.io.PrintStream;

/**
 * The progress line on stderr: lines done, share of the file, rate and the time left at that rate
 * (from bytes, so long and short lines weigh what they cost). On a terminal it is redrawn in place
 * every second; otherwise a line is printed every 10 s, which keeps a log file short.
 */
final class Progress {
    private final PrintStream err;
    private final boolean tty;
    private final ImportFile file;
    private final long start = System.nanoTime();
    private final long startPosition;
    private long last = start;
    private boolean drawn;

    Progress(PrintStream err, boolean tty, ImportFile file) {
        this.err = err;
        this.tty = tty;
        this.file = file;
        this.startPosition = file.position();
    }

    void tick(long lines) {
        long now = System.nanoTime();
        if (now - last < (tty ? 1_000_000_000L : 10_000_000_000L)) return;
        last = now;
        draw(lines, now);
    }

    void done(long lines) {
        draw(lines, System.nanoTime());
        if (tty) err.println();
        drawn = false;
    }

    /** Moves past the progress line before something else is printed. */
    void clear() {
        if (tty && drawn) err.println();
        drawn = false;
    }

    private void draw(long lines, long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        long pos = file.position();
        long size = file.size();
        double rate = lines / seconds;
        String share = size > 0 ? String.format(" (%.0f%%)", 100.0 * Math.min(pos, size) / size) : "";
        String eta = "";
        double byteRate = (pos - startPosition) / seconds;
        if (size > 0 && byteRate > 0 && pos < size) eta = "  ETA " + clock((size - pos) / byteRate);
        String text = String.format(
                "%,d lines this run%s  %,.0f lines/s  %s elapsed%s", lines, share, rate, clock(seconds), eta);
        if (tty) err.print("\r" + text + "   ");
        else err.println(text);
        drawn = true;
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
