package org.ringkernel.actors;

import org.ringkernel.bridge.runtime.Backend;

/**
 * What kernel actors need of their device: the backend that launches instances and the poller that reads
 * their completions. Replaced as a whole when the device restarts.
 */
record DeviceHandle(Backend backend, CompletionPoller poller) {

    String backendName() {
        return backend.kind().configName();
    }
}
