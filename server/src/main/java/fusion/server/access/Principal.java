package fusion.server.access;

/** Who is calling the API: a token's id, the name it was issued to, and its role. */
public record Principal(String id, String name, Role role) {
    /** How the audit log names them. */
    public String actor() {
        return name + " (" + id + ")";
    }
}
