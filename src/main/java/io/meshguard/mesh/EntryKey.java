package io.meshguard.mesh;

/** namespace/name: the identity of a ServiceEntry across its versions. */
public record EntryKey(String namespace, String name) implements Comparable<EntryKey> {

    /**
     * Stands for the five characters the API server appends to {@code metadata.generateName} when it names a new
     * object ({@code SimpleNameGenerator}), which no webhook before the validating ones learns. {@code *} is not
     * allowed in an object's name, so a key ending in it never stands for a stored object.
     */
    public static final String GENERATED = "*****";
    /** The API server keeps at most this much of a generateName prefix (63 characters less the 5 it appends). */
    static final int GENERATE_PREFIX = 58;

    public EntryKey {
        namespace = namespace.intern();
    }

    /** The key of an object that has only {@code metadata.generateName}: its name is not known yet. */
    public static EntryKey generated(String namespace, String generateName) {
        String prefix = generateName.length() > GENERATE_PREFIX ? generateName.substring(0, GENERATE_PREFIX)
                : generateName;
        return new EntryKey(namespace, prefix + GENERATED);
    }

    /** Whether the name is one the API server has yet to generate ({@link #generated}). */
    public boolean isGenerated() {
        return name.endsWith(GENERATED);
    }

    /**
     * The name as it will look, for a rule on its length and characters: a generated one with lower-case letters
     * where the API server will put its random ones (which are lower-case letters and digits).
     */
    public String nameShape() {
        return isGenerated() ? name.substring(0, name.length() - GENERATED.length()) + "x".repeat(GENERATED.length())
                : name;
    }

    /**
     * Written out rather than left to the record: the generated equality runs through method handles, which the
     * server's C1-only JIT does not inline, and a review compares keys thousands of times. Namespaces are interned.
     */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof EntryKey key && namespace == key.namespace && name.equals(key.name);
    }

    @Override
    public int hashCode() {
        return 31 * namespace.hashCode() + name.hashCode();
    }

    @Override
    public int compareTo(EntryKey other) {
        int byNamespace = namespace.compareTo(other.namespace);
        return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
