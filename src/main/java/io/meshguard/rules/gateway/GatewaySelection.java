package io.meshguard.rules.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which Gateways a gateway workload merges. istiod ({@code PushContext.mergeGateways} in
 * {@code pilot/pkg/model/push_context.go}) applies a Gateway to a proxy when its selector is a subset of the
 * proxy's labels ({@code labels.Instance.SubsetOf}; an empty selector applies to every gateway proxy), across
 * all namespaces unless {@code PILOT_SCOPE_GATEWAY_TO_NAMESPACE} is set.
 *
 * <p>meshguard does not see pods. It assumes each selector matches some workload, and that workload carries
 * no labels beyond what some Gateway's selector names. The workloads a Gateway with selector {@code S} reaches
 * are then: one labelled exactly {@code S}, and one for each other known selector {@code T} that contains
 * {@code S}. Each is merged from every Gateway whose selector is a subset of its labels. Two selectors that
 * merely could match one pod (neither contains the other) are not assumed to.
 */
public final class GatewaySelection {

    private GatewaySelection() {
    }

    /** {@code labels.Instance.SubsetOf}: every key of {@code selector} has the same value in {@code labels}. */
    public static boolean subsetOf(Map<String, String> selector, Map<String, String> labels) {
        if (selector.size() > labels.size()) {
            return false;
        }
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The label sets of the workloads a Gateway with {@code selector} reaches, its own first. */
    public static List<Map<String, String>> workloads(Map<String, String> selector,
            Collection<Map<String, String>> knownSelectors) {
        Set<Map<String, String>> workloads = new LinkedHashSet<>();
        workloads.add(selector);
        List<Map<String, String>> sorted = new ArrayList<>(knownSelectors);
        sorted.sort(java.util.Comparator.comparingInt((Map<String, String> m) -> m.size())
                .thenComparing(m -> new java.util.TreeMap<>(m).toString()));
        for (Map<String, String> other : sorted) {
            if (subsetOf(selector, other)) {
                workloads.add(other);
            }
        }
        return List.copyOf(workloads);
    }

    /** The known selectors that apply to a workload with {@code labels}. */
    public static List<Map<String, String>> applying(Map<String, String> labels,
            Collection<Map<String, String>> knownSelectors) {
        List<Map<String, String>> applying = new ArrayList<>();
        for (Map<String, String> s : knownSelectors) {
            if (subsetOf(s, labels)) {
                applying.add(s);
            }
        }
        return applying;
    }
}
