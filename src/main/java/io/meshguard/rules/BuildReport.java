package io.meshguard.rules;

import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.listener.ListenerEvents;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.mesh.listener.Mechanism;
import io.meshguard.mesh.listener.MeshService;
import io.meshguard.mesh.listener.ServiceOrder;
import java.util.List;
import java.util.Map;

/**
 * Turns what one build of a proxy's listeners reports (for one namespace, or several whose proxies see the same
 * services) into {@link ListenerFindings.Event}s, each told from the side of an entry it concerns: the one that
 * loses and the one that keeps. Which entries are told is the subclass's choice: a review tells only the entry it
 * reviews, an audit every entry.
 */
abstract class BuildReport implements ListenerEvents {

    /** The namespaces of the build under way: one, or several whose proxies see the same services. */
    private List<String> namespaces;
    private String namespace;
    private Map<MeshService, ServiceOrder.Ranked> rankOf;

    void begin(List<String> namespaces, Map<MeshService, ServiceOrder.Ranked> rankOf) {
        this.namespaces = namespaces;
        this.namespace = namespaces.get(0);
        this.rankOf = rankOf;
    }

    /** Whether events are told from {@code entry}'s side. */
    abstract boolean tells(ServiceEntryFacts entry);

    /**
     * Whether an event that denies is also told to the entry that keeps the traffic (a review tells its entry
     * either way; an audit finds each loss on the side that loses).
     */
    boolean tellsKeeperOfDenial() {
        return true;
    }

    /** The event, told from {@code entry}'s side, happens in each of {@code namespaces}. */
    abstract void record(ServiceEntryFacts entry, ListenerFindings.Event event, List<String> namespaces);

    @Override
    public void dropped(MeshService dropped, int port, ListenerKey key, MeshService keeper, Mechanism mechanism,
            boolean nonHttpOnly) {
        boolean droppedSide = tells(dropped.entry());
        boolean keeperSide = keeper != null && tellsKeeperOfDenial() && tells(keeper.entry())
                && !sameEntry(dropped, keeper);
        if (!droppedSide && !keeperSide) {
            return;
        }
        if (keeper != null && keeper.hostname().equals(dropped.hostname())
                && keeper.namespace().equals(dropped.namespace())) {
            return; // one host, one namespace: both chains lead to the same cluster, nothing is lost
        }
        String reason = switch (mechanism) {
            case HTTP_PROXY -> "its HTTP_PROXY port replaces the listener";
            case PREFIX_SHADOW -> "its /0 destination prefix wins over the catch-all chain";
            default -> keeper == null ? "first on the listener"
                    : ServiceOrder.reason(rank(keeper), rank(dropped)).words();
        };
        if (droppedSide) {
            record(dropped.entry(), ListenerFindings.Event.drop(dropped.entry(), dropped, port, key, keeper,
                    mechanism, nonHttpOnly, reason), namespaces);
        }
        if (keeperSide) {
            record(keeper.entry(), ListenerFindings.Event.drop(keeper.entry(), dropped, port, key, keeper,
                    mechanism, nonHttpOnly, reason), namespaces);
        }
    }

    /** {@link io.meshguard.mesh.listener.HostSelection}'s report: the proxy uses {@code chosen}'s declaration. */
    void ignored(ServiceOrder.Ranked ignored, ServiceOrder.Ranked chosen) {
        MeshService lost = ignored.service();
        MeshService kept = chosen.service();
        if (namespace.equals(lost.namespace()) || namespace.equals(kept.namespace())) {
            return; // a namespace that declares the host uses its own declaration, by design
        }
        String reason = ServiceOrder.reason(chosen, ignored).words();
        if (tells(lost.entry())) {
            record(lost.entry(), ListenerFindings.Event.hostIgnored(lost.entry(), lost, kept, reason), namespaces);
        }
        if (tells(kept.entry()) && !sameEntry(lost, kept)) {
            ListenerFindings.Event event = ListenerFindings.Event.hostIgnored(kept.entry(), lost, kept, reason);
            if (event.severity() == Severity.WARN || tellsKeeperOfDenial()) {
                record(kept.entry(), event, namespaces);
            }
        }
    }

    @Override
    public void sniffing(ListenerKey key, MeshService http, MeshService tcp) {
        if (tells(http.entry())) {
            record(http.entry(), ListenerFindings.Event.sniffing(http.entry(), key, http, tcp), namespaces);
        }
        if (tells(tcp.entry()) && !sameEntry(http, tcp)) {
            record(tcp.entry(), ListenerFindings.Event.sniffing(tcp.entry(), key, http, tcp), namespaces);
        }
    }

    /** How the build under way ranks {@code service}; a service it did not rank is a public one. */
    ServiceOrder.Ranked rank(MeshService service) {
        ServiceOrder.Ranked ranked = rankOf.get(service);
        return ranked != null ? ranked : new ServiceOrder.Ranked(service, false);
    }

    private static boolean sameEntry(MeshService a, MeshService b) {
        return a.entry().key().equals(b.entry().key());
    }
}
