package io.meshguard.rules.validation;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * istioctl's analyzer IST0177 (ConflictingServiceEntryProtocol), as a warning: another ServiceEntry declares one of
 * this entry's hosts on the same port number with another protocol (compared upper-cased, so unset differs from
 * TCP), and their scopes meet. Scopes as the analyzer reads {@code exportTo}: unset or containing {@code *} is
 * everywhere (and meets every scope); otherwise the named namespaces, {@code .} as the entry's own; the mesh's
 * default export is not applied.
 *
 * <p>The candidates are the entries the index files under one of this entry's hosts.
 */
public final class ConflictingProtocolAnalyzer {

    public static final String CODE = "IST0177";

    private ConflictingProtocolAnalyzer() {
    }

    public static List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index) {
        Set<String> scopes = scopes(entry);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < entry.ports().size(); i++) {
            ServicePort port = entry.ports().get(i);
            Map<String, Set<ServiceEntryFacts>> byHost = new LinkedHashMap<>();
            for (ServiceEntryFacts other : candidates(entry, index)) {
                if (other.key().equals(entry.key()) || !meet(scopes, scopes(other))) {
                    continue;
                }
                for (ServicePort otherPort : other.ports()) {
                    if (otherPort.number() != port.number() || upper(otherPort).equals(upper(port))) {
                        continue;
                    }
                    for (String host : entry.hosts()) {
                        if (other.hosts().contains(host)) {
                            byHost.computeIfAbsent(host, h -> new HashSet<>()).add(other);
                        }
                    }
                }
            }
            for (Map.Entry<String, Set<ServiceEntryFacts>> conflict : byHost.entrySet()) {
                findings.add(finding(entry, i, port, conflict.getKey(), conflict.getValue()));
            }
        }
        return findings;
    }

    /** The entries that declare one of this entry's hosts (the index files every entry by host). */
    private static Set<ServiceEntryFacts> candidates(ServiceEntryFacts entry, IndexSnapshot index) {
        Set<ServiceEntryFacts> candidates = new HashSet<>();
        for (String host : entry.hosts()) {
            candidates.addAll(index.declaring(host));
        }
        return candidates;
    }

    private static String upper(ServicePort port) {
        return port.protocol().toUpperCase(java.util.Locale.ROOT);
    }

    private static Finding finding(ServiceEntryFacts entry, int index, ServicePort port, String host,
            Set<ServiceEntryFacts> others) {
        Set<String> names = new TreeSet<>();
        Set<String> protocols = new TreeSet<>();
        names.add(entry.key().toString());
        protocols.add(upper(port));
        EntryKey first = null;
        for (ServiceEntryFacts other : others) {
            names.add(other.key().toString());
            if (first == null || other.key().compareTo(first) < 0) {
                first = other.key();
            }
            for (ServicePort otherPort : other.ports()) {
                if (otherPort.number() == port.number()) {
                    protocols.add(upper(otherPort));
                }
            }
        }
        String field = "spec.ports[" + index + "].protocol";
        String message = "IST0177 ConflictingServiceEntryProtocol: Multiple ServiceEntries (" + String.join(", ", names)
                + ") define the same host \"" + host + "\" and port " + port.number()
                + " with conflicting protocols (" + String.join(", ", protocols) + ").";
        String whole = field + ": " + message;
        String summary = whole.length() <= 256 ? whole : whole.substring(0, 253) + "...";
        return new Finding(CODE, Severity.WARN, field, whole, summary, first, port.number(),
                List.of(new Cause(Problems.INVALID, field, message)));
    }

    /** The analyzer's scopes: {@code *} for unset or exported everywhere, else the namespaces ({@code .} = own). */
    private static Set<String> scopes(ServiceEntryFacts entry) {
        if (entry.exportTo().isEmpty() || entry.exportTo().contains("*")) {
            return Set.of("*");
        }
        Set<String> scopes = new HashSet<>();
        for (String value : entry.exportTo()) {
            scopes.add(value.equals(".") ? entry.namespace() : value);
        }
        return scopes;
    }

    private static boolean meet(Set<String> a, Set<String> b) {
        if (a.contains("*") || b.contains("*")) {
            return true;
        }
        for (String scope : a) {
            if (b.contains(scope)) {
                return true;
            }
        }
        return false;
    }
}
