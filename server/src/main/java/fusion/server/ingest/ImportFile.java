package fusion.server.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;

/**
 * A file of calls read one record at a time: {@link #advance} moves to the next record, and
 * {@link #read} turns it into the JSON object of one call (throwing
 * {@link fusion.core.model.InvalidInput} or {@link fusion.server.http.MalformedInput}, naming the
 * field, when it cannot). Skipping a record is only {@link #advance}: resuming does not parse what
 * was imported before.
 */
public interface ImportFile extends Closeable {
    /** Moves to the next record; false at the end of the file. */
    boolean advance() throws IOException;

    /** The current record's line number in the file, from 1. */
    long line();

    /** The current record as one call's JSON object. */
    ObjectNode read();

    /**
     * The current record's text, from which a call without a {@code messageId} gets a stable one:
     * importing the same line again is then a duplicate, not a second event.
     */
    String text();

    /** Bytes read so far, for the progress line. */
    long position();

    /** The file's size in bytes, 0 when unknown. */
    long size();
}
