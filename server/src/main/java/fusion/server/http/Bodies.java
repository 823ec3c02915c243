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
        boolean gzip = contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
        if (contentEncoding != null
                && !contentEncoding.isBlank()
                && !gzip
                && !contentEncoding.trim().equalsIgnoreCase("identity")) {
            throw new MalformedInput("unsupported Content-Encoding '" + contentEncoding + "'; use gzip or none");
        }
        try (InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > limit) {
                    throw new InvalidInput(
                            "$",
                            "the body is larger than the limit of " + limit + " bytes"
                                    + (gzip ? " once decompressed" : ""));
                }
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
}
