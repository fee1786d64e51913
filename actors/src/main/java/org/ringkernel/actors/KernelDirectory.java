package org.ringkernel.actors;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The kernels running in one actor system, readable from any thread: each kernel supervisor publishes its
 * ref once and its {@link KernelInfo} whenever an instance reports. The extension answers lookups, listings
 * and readiness from here without asking actors.
 */
final class KernelDirectory {
    /** One kernel's stable ref and latest info. */
    record Entry(ActorRef<KernelCommand> ref, KernelInfo info) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    void publish(String id, ActorRef<KernelCommand> ref, KernelInfo info) {
        entries.put(id, new Entry(ref, info));
    }

    Optional<Entry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    List<KernelInfo> all() {
        return entries.values().stream().map(Entry::info).sorted(Comparator.comparing(KernelInfo::id)).toList();
    }
}
