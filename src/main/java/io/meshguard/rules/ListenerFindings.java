package io.meshguard.rules;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.IstioProtocol;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.mesh.listener.Mechanism;
import io.meshguard.mesh.listener.MeshService;
import io.meshguard.mesh.listener.NetIp;
import io.meshguard.mesh.listener.ServiceConversion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * What the listener model reported, as findings: one per (code, other entry, port), with the namespaces where it
 * happens and who keeps the traffic in each. Messages, causes and fixes are generated from what the model
 * dropped and why, so they say only what is true of this case; every client-written value in them is clipped.
 */
final class ListenerFindings {

    private ListenerFindings() {
    }

    enum Kind { DROP, HOST, SNIFF }

    record GroupKey(String code, EntryKey other, int port) {

        /** Written out: a record's generated equality runs through method handles that C1 does not inline. */
        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof GroupKey key && port == key.port && code.equals(key.code)
                    && java.util.Objects.equals(other, key.other);
        }

        @Override
        public int hashCode() {
            return (31 * code.hashCode() + (other == null ? 0 : other.hashCode())) * 31 + port;
        }
    }

    /** One thing the model reported for one namespace; equal events from several namespaces are one. */
    record Event(Kind kind, String code, Severity severity, EntryKey other, int port, String listener,
            MeshService dropped, MeshService keeper, Mechanism mechanism, boolean nonHttpOnly, String reason,
            boolean ourDropped) {

        static Event drop(ServiceEntryFacts entry, MeshService dropped, int port, ListenerKey key, MeshService keeper,
                Mechanism mechanism, boolean nonHttpOnly, String reason) {
            boolean ourDropped = dropped.entry().key().equals(entry.key());
            EntryKey other = ourDropped ? (keeper == null ? entry.key() : keeper.entry().key()) : dropped.entry().key();
            String code = switch (mechanism) {
                case WELL_KNOWN_PORT -> OutboundListenerRule.WELL_KNOWN_PORT;
                case HTTP_PROXY -> OutboundListenerRule.HTTP_PROXY;
                case PREFIX_SHADOW -> OutboundListenerRule.PREFIX_SHADOW;
                default -> OutboundListenerRule.COLLISION;
            };
            return new Event(Kind.DROP, code, Severity.DENY, other, port, key.name(), dropped, keeper, mechanism,
                    nonHttpOnly, reason, ourDropped);
        }

        static Event hostIgnored(ServiceEntryFacts entry, MeshService lost, MeshService kept, String reason) {
            boolean ourDropped = lost.entry().key().equals(entry.key());
            EntryKey other = ourDropped ? kept.entry().key() : lost.entry().key();
            boolean identical = Declarations.differences(lost.entry(), kept.entry()).isEmpty();
            return new Event(Kind.HOST, identical ? OutboundListenerRule.DUPLICATE_HOST
                    : OutboundListenerRule.HOST_COLLISION, identical ? Severity.WARN : Severity.DENY, other, 0,
                    "", lost, kept, Mechanism.HOST_SELECTION, false, reason, ourDropped);
        }

        static Event sniffing(ServiceEntryFacts entry, ListenerKey key, MeshService http, MeshService tcp) {
            boolean oursHttp = http.entry().key().equals(entry.key());
            EntryKey other = oursHttp ? tcp.entry().key() : http.entry().key();
            return new Event(Kind.SNIFF, OutboundListenerRule.SNIFFING, Severity.WARN, other, key.port(), key.name(),
                    http, tcp, null, false, "", !oursHttp);
        }

        GroupKey groupKey() {
            return new GroupKey(code, other, port);
        }

        /**
         * This event where each service it names is {@code replaced} by another, and {@code other} by the entry of
         * the service that took the other side's place. A host selection event must keep its services: it depends
         * on the hosts themselves.
         */
        Event replacing(UnaryOperator<MeshService> replaced) {
            MeshService newDropped = replaced.apply(dropped);
            MeshService newKeeper = keeper == null ? null : replaced.apply(keeper);
            if (kind == Kind.HOST) {
                if (newDropped != dropped || newKeeper != keeper) {
                    throw new IllegalArgumentException("host selection depends on the hosts themselves");
                }
                return this;
            }
            EntryKey newOther = other.equals(dropped.entry().key()) ? newDropped.entry().key()
                    : keeper != null && other.equals(keeper.entry().key()) ? newKeeper.entry().key() : other;
            return new Event(kind, code, severity, newOther, port, listener, newDropped, newKeeper, mechanism,
                    nonHttpOnly, reason, ourDropped);
        }

        /** The event without what varies from one namespace to another: the reason stays, it names the winner. */
        Detail detail() {
            return new Detail(listener, dropped.entry().key(), dropped.hostname(),
                    keeper == null ? null : keeper.entry().key(), keeper == null ? "" : keeper.hostname(), mechanism,
                    nonHttpOnly);
        }
    }

    record Detail(String listener, EntryKey dropped, String droppedHost, EntryKey keeper, String keeperHost,
            Mechanism mechanism, boolean nonHttpOnly) {
    }

    /**
     * The events of one finding, across namespaces. The namespaces are kept as the lists the builds were given
     * (one list for every namespace that sees alike, shared between findings), and sorted only to be worded: an
     * entry exported to 50,000 namespaces by name does not make every finding about it hold 50,000 names.
     */
    static final class Group {
        private static final int DETAILS = 3;
        private final ServiceEntryFacts entry;
        private final GroupKey key;
        private Event first;
        private final Map<Detail, Event> details = new LinkedHashMap<>();
        private final Set<Detail> moreDetails = new HashSet<>();
        private final Map<String, Set<List<String>>> winners = new LinkedHashMap<>();
        private final Set<List<String>> namespaces = identitySet();

        Group(ServiceEntryFacts entry, GroupKey key) {
            this.entry = entry;
            this.key = key;
        }

        private static Set<List<String>> identitySet() {
            return java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        }

        /** @param in the namespaces of the build that reported it */
        void add(Event event, List<String> in) {
            if (first == null) {
                first = event;
            }
            Detail detail = event.detail();
            if (!details.containsKey(detail)) {
                if (details.size() < DETAILS) {
                    details.put(detail, event);
                } else {
                    moreDetails.add(detail);
                }
            }
            namespaces.add(in);
            if (event.kind() != Kind.SNIFF) {
                EntryKey winner = event.kind() == Kind.HOST || event.keeper() != null
                        ? event.keeper().entry().key() : null;
                String line = (winner == null ? "nobody" : winner.toString()) + "\u0000" + event.reason();
                winners.computeIfAbsent(line, l -> identitySet()).add(in);
            }
        }

        private static Set<String> sorted(Set<List<String>> lists) {
            Set<String> sorted = new TreeSet<>(ListenerFindings::namespaceOrder);
            lists.forEach(sorted::addAll);
            return sorted;
        }

        Finding finding() {
            return Finding.unworded(key.code(), first.severity(), field(), key.other(), key.port(),
                    Set.copyOf(sorted(namespaces)), this::words);
        }

        private String field() {
            if (first.kind() == Kind.HOST) {
                MeshService ours = first.ourDropped() ? first.dropped() : first.keeper();
                int i = entry.hosts().indexOf(ours.hostname());
                return "spec.hosts[" + Math.max(i, 0) + "]";
            }
            for (int i = 0; i < entry.ports().size(); i++) {
                if (entry.ports().get(i).number() == key.port()) {
                    return "spec.ports[" + i + "]";
                }
            }
            return "spec.ports";
        }

        private ServicePort ourPort() {
            for (ServicePort port : entry.ports()) {
                if (port.number() == key.port()) {
                    return port;
                }
            }
            return new ServicePort(key.port(), "");
        }

        private ServicePort portOf(ServiceEntryFacts facts) {
            for (ServicePort port : facts.ports()) {
                if (port.number() == key.port()) {
                    return port;
                }
            }
            return new ServicePort(key.port(), "");
        }

        private Finding words() {
            return switch (first.kind()) {
                case DROP -> dropWords();
                case HOST -> hostWords();
                case SNIFF -> sniffWords();
            };
        }

        private String otherName() {
            return key.other().equals(entry.key()) ? "itself" : Words.value(key.other().toString());
        }

        private Finding dropWords() {
            String field = field();
            ServicePort port = ourPort();
            ServiceEntryFacts otherFacts = first.ourDropped()
                    ? (first.keeper() == null ? entry : first.keeper().entry()) : first.dropped().entry();
            ServicePort otherPort = portOf(otherFacts);
            String otherDescription = otherName() + (otherPort.istioProtocol() == port.istioProtocol()
                    || otherFacts == entry ? "" : " (" + Words.value(otherPort.display()) + ")");
            String where = brief(sorted(namespaces));
            StringBuilder story = new StringBuilder();
            for (Event event : details.values()) {
                if (story.length() > 0) {
                    story.append("; ");
                }
                story.append(verdict(event));
            }
            if (!moreDetails.isEmpty()) {
                story.append("; and ").append(moreDetails.size()).append(" more");
            }
            String fix = Fixes.forDrop(entry, first, otherFacts);
            String message = "ServiceEntry " + Words.value(entry.key().toString()) + " port "
                    + Words.value(port.display()) + " collides with " + otherDescription + " on listener "
                    + Words.value(first.listener()) + " in namespaces " + where + ": " + story + ". "
                    + because(first) + ". Fix: " + fix + ".";
            String summary = Words.warning("port " + Words.value(port.display()) + " collides with "
                    + otherDescription + " on listener " + Words.value(first.listener()) + " in " + where + "; "
                    + keepsIt());
            return worded(field, message, summary, fix);
        }

        private String keepsIt() {
            List<String> parts = new ArrayList<>();
            winners.forEach((line, where) -> {
                String winner = line.substring(0, line.indexOf('\u0000'));
                parts.add(Words.value(winner) + " keeps it in " + brief(sorted(where)));
            });
            return String.join(", ", parts);
        }

        private String verdict(Event event) {
            MeshService dropped = event.dropped();
            String lost = event.nonHttpOnly() ? "the non-HTTP traffic of " : "";
            String droppedName = dropped.entry().key().equals(entry.key()) ? "this entry's"
                    : Words.value(dropped.entry().key().toString()) + "'s";
            StringBuilder out = new StringBuilder("istiod drops ").append(lost).append(droppedName).append(" host ")
                    .append(Words.value(dropped.hostname()));
            if (event.keeper() != null) {
                MeshService keeper = event.keeper();
                String keeperName = keeper.entry().key().equals(entry.key()) ? "this entry's"
                        : Words.value(keeper.entry().key().toString()) + "'s";
                out.append(" and ").append(keeperName).append(" host ").append(Words.value(keeper.hostname()))
                        .append(" keeps the listener (").append(event.reason()).append(")");
            }
            return out.toString();
        }

        private static String because(Event event) {
            return switch (event.mechanism()) {
                case CHAIN_CONFLICT -> "Both filter chains match the same traffic"
                        + (event.dropped().entry().ports().stream().anyMatch(p -> p.istioProtocol().isTls())
                                && !ListenerKey.wildcard(event.port()).name().equals(event.listener())
                                ? " (a TLS service on its own IP gets no SNI match)" : "")
                        + ", and istiod keeps only the first (mergeTCPFilterChains)";
                case WELL_KNOWN_PORT -> "istiod skips a service whose protocol differs from the listener's when "
                        + "either is MySQL or MongoDB, before comparing filter chains (isConflictWithWellKnownPort)";
                case HTTP_PROXY -> "An HTTP_PROXY port replaces the listener built before it, and a catch-all chain "
                        + "after it conflicts with its HTTP chain (buildSidecarOutboundListener)";
                case PREFIX_SHADOW -> "Envoy masks the CIDR to 0.0.0.0/0 and prefers any matching destination "
                        + "prefix over the catch-all chain, which istiod kept as a different match";
                case HOST_SELECTION -> "A proxy keeps one namespace's declaration of a host (selectServices)";
            };
        }

        private Finding hostWords() {
            String field = field();
            MeshService lost = first.dropped();
            MeshService kept = first.keeper();
            String host = Words.value(lost.hostname());
            List<String> differences = Declarations.differences(lost.entry(), kept.entry());
            String where = brief(sorted(namespaces));
            String winnersText = keepsIt().replace(" keeps it in ", "'s declaration is used in ");
            String message;
            String summary;
            String fix = "";
            if (differences.isEmpty()) {
                message = "ServiceEntry " + Words.value(entry.key().toString()) + " declares host " + host
                        + " exactly as " + otherName() + " does. In namespaces " + where
                        + " proxies use one of them: " + winnersText + "; nothing is lost.";
                summary = Words.warning("host " + host + " is also declared, identically, by " + otherName()
                        + "; proxies in " + where + " use one declaration (" + winnersText + ")");
            } else {
                fix = "declare the host the same way in both, or in one namespace only, or set exportTo so no "
                        + "namespace sees both";
                message = "ServiceEntry " + Words.value(entry.key().toString()) + " declares host " + host
                        + " differently from " + otherName() + " (" + String.join(", ", differences)
                        + "). In namespaces " + where + ", which see both and declare neither, istiod uses one "
                        + "declaration and ignores the other (selectServices): " + winnersText + ". Fix: " + fix
                        + ".";
                summary = Words.warning("host " + host + " is declared differently by " + otherName() + " ("
                        + String.join(", ", differences) + "); in " + where + " " + winnersText);
            }
            return worded(field, message, summary, fix);
        }

        private Finding sniffWords() {
            MeshService http = first.dropped();
            MeshService tcp = first.keeper();
            ServicePort port = ourPort();
            ServicePort httpPort = portOf(http.entry());
            String message = "port " + Words.value(port.display()) + " shares listener " + first.listener() + " with "
                    + otherName() + " (" + Words.value((first.ourDropped() ? httpPort : portOf(tcp.entry()))
                            .display()) + ") in namespaces " + brief(sorted(namespaces))
                    + ": it becomes protocol-sniffing and "
                    + Words.value(tcp.entry().key().toString()) + " takes all non-HTTP traffic. Set spec.addresses "
                    + "on the TCP entry to give it its own listener.";
            return worded(field(), message, Words.warning(message), "");
        }

        private Finding worded(String field, String message, String summary, String fix) {
            List<Cause> causes = new ArrayList<>();
            causes.add(new Cause(key.code(), field, message));
            if (key.other() != null) {
                causes.add(new Cause("CollidesWith", field, Words.value(key.other().toString())));
            }
            if (!first.listener().isEmpty()) {
                causes.add(new Cause("Listener", field, Words.value(first.listener())));
            }
            Set<String> scope = sorted(namespaces);
            causes.add(new Cause("Namespaces", field, Words.list(scope, 10, ",")));
            if (first.mechanism() != null) {
                causes.add(new Cause("IstioMechanism", field, first.mechanism().istioFunction()));
            }
            winners.forEach((line, where) -> {
                int split = line.indexOf('\u0000');
                causes.add(new Cause("Winner", field, Words.value(line.substring(0, split)) + " in "
                        + Words.list(sorted(where), 10, ",") + " (" + line.substring(split + 1) + ")"));
            });
            if (!fix.isEmpty()) {
                causes.add(new Cause("Fix", field, fix));
            }
            return new Finding(key.code(), first.severity(), field, message, summary, key.other(), key.port(),
                    causes, null, Set.copyOf(scope));
        }
    }

    /** {@code *} (every other namespace) first, then by name. */
    static int namespaceOrder(String a, String b) {
        boolean aOther = a.equals(OutboundListenerRule.OTHER);
        boolean bOther = b.equals(OutboundListenerRule.OTHER);
        if (aOther != bOther) {
            return aOther ? -1 : 1;
        }
        return a.compareTo(b);
    }

    /** "[a, b, c]", or the first ten and how many more. */
    static String brief(Set<String> namespaces) {
        return "[" + Words.list(namespaces, 10, ", ") + "]";
    }

    /** How two declarations of one host differ, as far as a proxy's listeners and clusters tell. */
    static final class Declarations {
        private Declarations() {
        }

        static List<String> differences(ServiceEntryFacts a, ServiceEntryFacts b) {
            List<String> out = new ArrayList<>(4);
            if (!portSet(a).equals(portSet(b))) {
                out.add("ports");
            }
            if (!addressSet(a).equals(addressSet(b))) {
                out.add("addresses");
            }
            if (a.resolution() != b.resolution()) {
                out.add("resolution");
            }
            if (!a.declaration().equals(b.declaration())) {
                out.add("endpoints, location or workloadSelector");
            }
            return out;
        }

        private static Set<String> portSet(ServiceEntryFacts facts) {
            Set<String> ports = new HashSet<>();
            for (ServicePort port : facts.ports()) {
                ports.add(port.number() + "/" + port.istioProtocol());
            }
            return ports;
        }

        private static Set<String> addressSet(ServiceEntryFacts facts) {
            Set<String> addresses = new HashSet<>();
            for (String address : facts.addresses()) {
                NetIp.Prefix ip = NetIp.parseAddr(address);
                NetIp.Prefix cidr = ip == null ? NetIp.parsePrefix(address) : ip;
                addresses.add(cidr == null ? address : cidr.masked());
            }
            return addresses;
        }
    }

    /** Only the fixes that work for the case at hand. */
    static final class Fixes {
        private Fixes() {
        }

        static String forDrop(ServiceEntryFacts entry, Event event, ServiceEntryFacts other) {
            List<String> fixes = new ArrayList<>(4);
            ServicePort port = null;
            for (ServicePort p : entry.ports()) {
                if (p.number() == event.port()) {
                    port = p;
                }
            }
            IstioProtocol protocol = port == null ? IstioProtocol.UNSUPPORTED : port.istioProtocol();
            boolean onWildcard = event.listener().equals(ListenerKey.wildcard(event.port()).name());
            boolean noAddresses = entry.addresses().isEmpty();
            boolean hasCidr = ServiceConversion.convertServices(entry).stream().anyMatch(s -> s.cidr() != null);
            switch (event.mechanism()) {
                case CHAIN_CONFLICT -> {
                    if (onWildcard && noAddresses) {
                        fixes.add("set spec.addresses (a service's own IPs give it a listener of its own)");
                    } else if (onWildcard && hasCidr) {
                        fixes.add("use a CIDR that does not mask to the other's");
                    } else if (!onWildcard) {
                        fixes.add("use an address " + (other == entry ? "per host" : "the other entry does not use"));
                    }
                    if (onWildcard && !protocol.isTls() && !protocol.isHttp() && protocol != IstioProtocol.MYSQL
                            && protocol != IstioProtocol.MONGO) {
                        fixes.add("declare the port TLS if the traffic is TLS (istiod then matches it by SNI)");
                    }
                }
                case WELL_KNOWN_PORT -> {
                    ServicePort theirs = null;
                    for (ServicePort p : other.ports()) {
                        if (p.number() == event.port()) {
                            theirs = p;
                        }
                    }
                    if (theirs != null && other != entry) {
                        fixes.add("declare the same protocol as " + Words.value(other.key().toString()) + " ("
                                + Words.value(theirs.display()) + ")");
                    }
                    if (protocol.listenerProtocol() != io.meshguard.mesh.listener.ListenerProtocol.HTTP) {
                        fixes.add("set spec.addresses to plain IPs (a CIDR still shares 0.0.0.0_" + event.port()
                                + ")");
                    }
                }
                case HTTP_PROXY -> {
                    if (protocol == IstioProtocol.HTTP_PROXY) {
                        fixes.add("declare the port HTTP: HTTP_PROXY is for Sidecar egress listeners");
                    } else if (protocol.listenerProtocol() != io.meshguard.mesh.listener.ListenerProtocol.HTTP) {
                        fixes.add("set spec.addresses to plain IPs (a listener of its own)");
                    }
                }
                case PREFIX_SHADOW -> {
                    if (hasCidr && !event.ourDropped()) {
                        fixes.add("replace the /0 CIDR with the range the service really has");
                    } else if (noAddresses) {
                        fixes.add("set spec.addresses (a listener or CIDR match of its own)");
                    }
                }
                default -> {
                }
            }
            if (other != entry && !other.namespace().equals(entry.namespace())) {
                fixes.add("set exportTo so no namespace sees both");
            }
            fixes.add("use another port number");
            return String.join(", or ", fixes);
        }
    }
}
