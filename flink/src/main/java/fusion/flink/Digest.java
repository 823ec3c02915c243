package fusion.flink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in hex: how the job's state keeps an erased person's messageIds and names (as the single node's store does). */
final class Digest {
    /** Prefix of an erased messageId's key in the de-duplication state (no messageId starts with a NUL). */
    static final String ERASED = "\u0000erased:";
    /** Prefix of a name before it is digested, apart from messageIds (the store's identity digests use the same). */
    static final String IDENTITY = "\u0000identity\u0000";

    private Digest() {}

    static String of(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
