package fusion.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A blocking HTTP/1.1 GET over one kept-alive loopback connection, for timing the server's reads:
 * the calling thread writes the request and reads the answer itself, as wrk or curl do. The JDK's
 * {@code java.net.http.HttpClient} hands each exchange between the caller and its selector thread
 * several times, and in a load driver that shares two cores with the server every handoff is a
 * wake-up that waits for a core: on an idle server its 404s took 2.1 ms at the median and 7.7 ms
 * at p99 against this reader's 0.75 and 4.6 (bench/results/read-floor-2026-12-07.txt), which the
 * read target would have charged to the server.
 *
 * <p>Reads a body by Content-Length or chunked; any other framing, or a closed connection, is an
 * {@link IOException} (the caller opens a new connection for the next read).
 */
final class PlainHttpReader implements AutoCloseable {
    private final URI base;
    private final String authorization;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    PlainHttpReader(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** GETs {@code path} and returns the status, having read the whole body. */
    int get(String path) throws IOException {
        if (socket == null) open();
        try {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                            + "\r\nAuthorization: " + authorization + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12)
                throw new IOException("not an HTTP/1.1 status line: " + status);
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false, close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) continue;
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (name.equals("content-length")) length = Long.parseLong(value);
                else if (name.equals("transfer-encoding"))
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                else if (name.equals("connection")) close = value.equalsIgnoreCase("close");
            }
            if (chunked) {
                for (long n = Long.parseLong(chunkSize(line()), 16); n > 0; n = Long.parseLong(chunkSize(line()), 16)) {
                    skip(n);
                    line();
                }
                while (!line().isEmpty()) {} // trailers
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new IOException("an answer with neither Content-Length nor chunked framing");
            }
            if (close) close();
            return code;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void open() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    private static String chunkSize(String line) {
        int semi = line.indexOf(';');
        return (semi < 0 ? line : line.substring(0, semi)).trim();
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c = in.read(); ; c = in.read()) {
            if (c < 0) throw new IOException("the server closed the connection");
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) throw new IOException("the server closed the connection mid-body");
                k = 1;
            }
            n -= k;
        }
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        socket = null;
    }
}
