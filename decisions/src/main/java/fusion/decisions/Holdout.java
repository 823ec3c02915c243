package fusion.decisions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A random share of people an action is withheld from, to measure whether it works. Who is held
 * out is stable: a person is in or out of an action's holdout by a hash of (seed, action, person),
 * the same on every decision, every server and every replay.
 *
 * @param share the share held out, from 0 (none) to 0.5
 * @param seed  changes who is drawn without changing how many
 */
public record Holdout(double share, long seed) {
    public static final Holdout NONE = new Holdout(0, 0);

    public Holdout {
        if (!(share >= 0 && share <= 0.5)) {
            throw new IllegalArgumentException("holdout.share: expected 0 to 0.5 but was " + share);
        }
    }

    /** Whether {@code customer} is held out of {@code action}. */
    public boolean holdsOut(String action, String customer) {
        if (share == 0) return false;
        return draw(action, customer) < share;
    }

    /** A uniform number in [0, 1) fixed by (seed, action, customer): the first 53 bits of their SHA-256. */
    double draw(String action, String customer) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] h = sha.digest((seed + "\u0000" + action + "\u0000" + customer).getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) bits = (bits << 8) | (h[i] & 0xff);
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
