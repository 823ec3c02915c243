package fusion.core.identity;

import fusion.core.model.InvalidInput;

/** One identifier of a person: a known user id, or an anonymous (device, cookie) id. */
public record Identity(Kind kind, String value) {
    public enum Kind {
        USER,
        ANONYMOUS
    }

    public Identity {
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (value == null || value.isBlank()) {
            throw new InvalidInput(kind == Kind.USER ? "userId" : "anonymousId", "must not be empty");
        }
    }

    public static Identity user(String id) {
        return new Identity(Kind.USER, id);
    }

    public static Identity anonymous(String id) {
        return new Identity(Kind.ANONYMOUS, id);
    }

    /** {@code user:42} or {@code anon:abc}: the stored key. */
    public String key() {
        return (kind == Kind.USER ? "user:" : "anon:") + value;
    }

    public static Identity parseKey(String key) {
        if (key.startsWith("user:")) return user(key.substring(5));
        if (key.startsWith("anon:")) return anonymous(key.substring(5));
        throw new IllegalArgumentException("not an identity key: " + key);
    }
}
