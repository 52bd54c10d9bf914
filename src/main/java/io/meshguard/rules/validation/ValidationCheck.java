package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;

/** One of istiod's per-object checks of a ServiceEntry. Pure: it reads the object and records what it finds. */
interface ValidationCheck {

    void check(ServiceEntrySpec entry, Problems problems);
}
