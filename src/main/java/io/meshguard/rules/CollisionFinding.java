package io.meshguard.rules;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Words a collision between the entry under review and one already in the cluster as a denial. */
final class CollisionFinding {

    private static final String[] PORT_FIELDS = new String[64];

    static {
        for (int i = 0; i < PORT_FIELDS.length; i++) {
            PORT_FIELDS[i] = "spec.ports[" + i + "]";
        }
    }

    private CollisionFinding() {
    }

    /** "spec.ports[i]", without building the string again for every collision of a port. */
    static String portField(int portIndex) {
        return portIndex < PORT_FIELDS.length ? PORT_FIELDS[portIndex] : "spec.ports[" + portIndex + "]";
    }

    /** Adds the collision to {@code findings} by identity; it is put in words only if the decision lists it. */
    static void addTo(List<Finding> findings, String code, ServiceEntryFacts entry, ServicePort port, int portIndex,
            ServiceEntryFacts other, ServicePort otherPort, String what, String noun, String consequence, String fix,
            MeshConfig mesh) {
        findings.add(Finding.unworded(code, Severity.DENY, portField(portIndex), other.key(), port.number(),
                () -> of(code, entry, port, portIndex, other, otherPort, what, noun, consequence, fix, mesh)));
    }

    /**
     * @param what the thing they fight over, e.g. "listener 0.0.0.0_443" or "SNI host api.example.com on port 443"
     * @param noun what the winner keeps, e.g. "listener" or "host"
     * @param consequence what happens to the loser, in a clause
     * @param fix the remedies that work for this kind of collision
     */
    static Finding of(String code, ServiceEntryFacts entry, ServicePort port, int portIndex, ServiceEntryFacts other,
            ServicePort otherPort, String what, String noun, String consequence, String fix, MeshConfig mesh) {
        List<ProxyServiceOrder.Winner> winners = ProxyServiceOrder.winners(entry, other, mesh);
        List<String> namespaces = winners.stream().flatMap(w -> w.namespaces().stream()).toList();
        String verdicts = winners.stream()
                .map(w -> shortName(w.winner(), entry) + " keeps the " + noun + " in " + brief(w.namespaces()) + " ("
                        + w.reason() + ") and " + shortName(w.loser(), entry) + " " + consequence)
                .collect(Collectors.joining("; "));
        String otherDescription = other.key() + (otherPort.protocol().equals(port.protocol())
                ? "" : " (" + otherPort.display() + ")");
        String message = "ServiceEntry " + entry.key() + " port " + port.display() + " collides with "
                + otherDescription + " on " + what + " in namespaces " + brief(namespaces) + ": " + verdicts
                + ". Fix: " + fix + ".";
        String summary = "port " + port.display() + " collides with " + otherDescription + " on " + what + " in "
                + brief(namespaces) + "; " + winners.stream().map(w -> w.winner() + " keeps it in " + brief(w.namespaces()))
                .collect(Collectors.joining(", "));
        String field = portField(portIndex);
        List<Cause> causes = new ArrayList<>();
        causes.add(new Cause(code, field, message));
        causes.add(new Cause("CollidesWith", field, other.key().toString()));
        causes.add(new Cause("Listener", field, what));
        causes.add(new Cause("Namespaces", field, joined(namespaces)));
        for (ProxyServiceOrder.Winner w : winners) {
            causes.add(new Cause("Winner", field,
                    w.winner() + " in " + joined(w.namespaces()) + " (" + w.reason() + ")"));
        }
        causes.add(new Cause("Fix", field, fix));
        return new Finding(code, Severity.DENY, field, message, summary, other.key(), port.number(), causes);
    }

    /** At most this many namespaces are named in one finding: an exportTo can list thousands. */
    static final int NAMED_NAMESPACES = 10;

    /** "[a, b, c]", or the first {@link #NAMED_NAMESPACES} and how many more. */
    static String brief(List<String> namespaces) {
        return "[" + named(namespaces, ", ") + "]";
    }

    private static String joined(List<String> namespaces) {
        return named(namespaces, ",");
    }

    private static String named(List<String> namespaces, String separator) {
        if (namespaces.size() <= NAMED_NAMESPACES) {
            return String.join(separator, namespaces);
        }
        return String.join(separator, namespaces.subList(0, NAMED_NAMESPACES)) + separator + "... "
                + (namespaces.size() - NAMED_NAMESPACES) + " more";
    }

    private static String shortName(EntryKey key, ServiceEntryFacts entry) {
        return key.equals(entry.key()) ? entry.name() + " (this entry)" : key.toString();
    }
}
