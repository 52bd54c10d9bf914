package io.meshguard.mesh;

/** namespace/name: the identity of a ServiceEntry across its versions. */
public record EntryKey(String namespace, String name) implements Comparable<EntryKey> {

    public EntryKey {
        namespace = namespace.intern();
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
