package fusion.decisions.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@value #HEADER} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256>} where the MAC is
 * computed with the endpoint's secret over {@code <t> + "." + <raw body bytes>}. Signing the time
 * with the body lets a receiver refuse replays older than its tolerance; {@code v1} names the
 * scheme so another can be added beside it. A receiver may see several {@code v1} entries while a
 * secret is being rotated; any one matching is enough.
 */
public final class WebhookSignature {
    public static final String HEADER = "Fusion-Signature";
    /** Default tolerance between the signed time and the receiver's clock. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {}

    /** The header value for {@code body} sent at {@code at}. */
    public static String sign(String secret, Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac(secret, t, body));
    }

    /**
     * True when {@code header} carries a {@code v1} MAC of {@code body} under {@code secret} and its
     * time is within {@code tolerance} of {@code now}. Comparison is constant-time.
     */
    public static boolean verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null) {
            return false;
        }
        Long t = null;
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.startsWith("t=")) {
                try {
                    t = Long.parseLong(p.substring(2));
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        if (t == null || Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = mac(secret, t, body);
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.startsWith("v1=")) {
                try {
                    if (MessageDigest.isEqual(expected, HexFormat.of().parseHex(p.substring(3)))) {
                        return true;
                    }
                } catch (IllegalArgumentException notHex) {
                    // another entry may still match
                }
            }
        }
        return false;
    }

    public static boolean verify(String secret, String header, byte[] body, Instant now) {
        return verify(secret, header, body, now, DEFAULT_TOLERANCE);
    }

    private static byte[] mac(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
