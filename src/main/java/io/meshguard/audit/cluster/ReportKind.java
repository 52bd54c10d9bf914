package io.meshguard.audit.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Locale;

/** The report kinds the audit can write: one object per ServiceEntry with failures, in the entry's namespace. */
public enum ReportKind {
    /** {@code openreports.io/v1alpha1} Report: the OpenReports API, the default. */
    OPENREPORTS("openreports.io", "v1alpha1", "Report", "reports"),
    /** {@code wgpolicyk8s.io/v1alpha2} PolicyReport: the Policy WG's API, which Kyverno and others still read. */
    POLICYREPORT("wgpolicyk8s.io", "v1alpha2", "PolicyReport", "policyreports");

    public final String group;
    public final String version;
    public final String kind;
    public final String plural;

    ReportKind(String group, String version, String kind, String plural) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    /** {@code openreports}, {@code policyreport} or {@code none} (null). */
    public static ReportKind parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "openreports" -> OPENREPORTS;
            case "policyreport" -> POLICYREPORT;
            case "none" -> null;
            default -> throw new IllegalArgumentException(
                    "meshguard.audit.reports must be openreports, policyreport or none, got '" + text + "'");
        };
    }
}
