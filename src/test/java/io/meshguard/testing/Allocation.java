package io.meshguard.testing;

import java.lang.management.ManagementFactory;

/** What the current thread has allocated: a cost bound that does not depend on how busy the machine is. */
public final class Allocation {

    private Allocation() {
    }

    /** Bytes allocated so far by the current thread, or -1 where the JVM does not say. */
    public static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return -1;
    }
}
