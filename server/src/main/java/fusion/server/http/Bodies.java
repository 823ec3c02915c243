package fusion.server.http;

import fusion.core.model.InvalidInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads a request body, gunzipping it when asked, never more than a limit (a gzip bomb stops early). */
final class Bodies {
    private Bodies() {}

    static byte[] read(InputStream raw, String contentEncoding, int limit) {
        return read(raw, contentEncoding, -1, limit);
    }

    /**
     * The body of a request that announced {@code contentLength} bytes (-1: not announced, as a
     * chunked one). A plain body of known length is read straight into an array of that size,
     * not grown by copies (a batch of 500 calls is about 300 KB: the copies were a seventh of what
     * the server allocated per event). A declared length over the route's limit never gets here:
     * {@code HttpApi} answers 413 before the body is read.
     */
    static byte[] read(InputStream raw, String contentEncoding, long contentLength, int limit) {
        boolean gzip = contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
        if (contentEncoding != null
                && !contentEncoding.isBlank()
                && !gzip
                && !contentEncoding.trim().equalsIgnoreCase("identity")) {
            throw new MalformedInput("unsupported Content-Encoding '" + contentEncoding + "'; use gzip or none");
        }
        try (InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            if (!gzip && contentLength >= 0 && contentLength <= limit) return exactly(in, (int) contentLength);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > limit) throw tooLarge(limit, gzip);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (ZipException e) {
            throw new MalformedInput("the body is not valid gzip: " + e.getMessage());
        } catch (java.io.EOFException e) {
            throw new MalformedInput(gzip ? "the gzip body is truncated" : "the body is truncated");
        } catch (IOException e) {
            throw new MalformedInput("cannot read the body: " + e.getMessage());
        }
    }

    private static InvalidInput tooLarge(int limit, boolean gzip) {
        return new InvalidInput(
                "$", "the body is larger than the limit of " + limit + " bytes" + (gzip ? " once decompressed" : ""));
    }

    /** The {@code length} bytes a body announced; fewer is a truncated body, more is not the announced body. */
    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] out = new byte[length];
        int at = 0;
        while (at < length) {
            int n = in.read(out, at, length - at);
            if (n < 0) throw new java.io.EOFException();
            at += n;
        }
        if (in.read() >= 0)
            throw new MalformedInput("the body is longer than its Content-Length of " + length + " bytes");
        return out;
    }
}
