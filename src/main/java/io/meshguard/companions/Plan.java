package io.meshguard.companions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The companions one entry should have, and why some were not planned.
 *
 * @param objects the desired objects, sorted by kind and name
 * @param notes why a companion the entry would otherwise get was not planned, one sentence each
 * @param yields the hosts the SNI VirtualService leaves to VirtualServices that already route them
 */
public record Plan(List<ObjectNode> objects, List<String> notes, List<Yield> yields) {

    /** A host the SNI VirtualService does not route, because these VirtualServices ({@code ns/name}) already do. */
    public record Yield(String host, List<String> virtualServices) {

        static final int MAX_WARNING = 256;

        public Yield {
            virtualServices = List.copyOf(virtualServices);
        }

        public String message() {
            return "No SNI route for " + host + ": VirtualService " + String.join(", ", virtualServices)
                    + " already routes it on mesh, and a second one would conflict (istioctl IST0109).";
        }

        /** The message cut to the 256 characters the API server keeps of a warning. */
        public String summary() {
            String message = message();
            return message.length() <= MAX_WARNING ? message : message.substring(0, MAX_WARNING - 1) + "…";
        }
    }

    public Plan {
        objects = List.copyOf(objects);
        notes = List.copyOf(notes);
        yields = List.copyOf(yields);
    }

    /** The value of {@code meshguard.io/companions}: {@code Kind/name} of each object, sorted, comma-separated. */
    public String annotationValue() {
        return objects.stream().map(Companions::reference).sorted().collect(Collectors.joining(","));
    }
}
