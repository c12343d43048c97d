package pm.vm;

/** A field an agent hand-over asks the customer for ({@code collect name, email}). */
public enum CollectField {
    /** The customer's name. */
    NAME("name"),
    /** The customer's email address. */
    EMAIL("email");

    private final String wireName;

    CollectField(String wireName) {
        this.wireName = wireName;
    }

    /** The field's name in the bundle and in the content JSON: {@code "name"}, {@code "email"}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The field called {@code wireName}.
     *
     * @throws IllegalArgumentException for a name this binding does not know
     */
    static CollectField fromWireName(String wireName) {
        for (CollectField field : values()) {
            if (field.wireName.equals(wireName)) {
                return field;
            }
        }
        throw new IllegalArgumentException("unknown collect field \"" + wireName + "\"");
    }
}
