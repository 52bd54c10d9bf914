package io.meshguard.admission;

public enum Operation {
    CREATE, UPDATE, DELETE, CONNECT
}
