package io.meshguard.rules;

import io.meshguard.mesh.ServicePort;
import java.util.List;

/**
 * One port's collisions, up to a limit. A port shared with thousands of entries would otherwise make
 * one review build thousands of messages while it holds the index lock, and an answer too large to read.
 */
final class CollisionsOnPort {

    static final int LIMIT = 5;

    private final List<Finding> findings;
    private final String code;
    private final ServicePort port;
    private final int portIndex;
    private int added;
    private boolean truncated;

    CollisionsOnPort(List<Finding> findings, String code, ServicePort port, int portIndex) {
        this.findings = findings;
        this.code = code;
        this.port = port;
        this.portIndex = portIndex;
    }

    /** Adds the finding unless the limit is reached; false tells the caller to stop scanning this port. */
    boolean offer(Finding finding) {
        if (added == LIMIT) {
            truncated = true;
            return false;
        }
        findings.add(finding);
        added++;
        return true;
    }

    /** Says that more entries collide than are listed, when that is so. */
    void finish() {
        if (truncated) {
            String field = "spec.ports[" + portIndex + "]";
            String message = "More entries collide with port " + port.display() + " than the " + LIMIT
                    + " listed; fix those and apply again to see the rest.";
            findings.add(new Finding(code, Severity.DENY, field, message, message, null, port.number(),
                    List.of(new Cause(code, field, message))));
        }
    }
}
