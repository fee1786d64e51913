package org.ringkernel.actors.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** Splits what goes to another node into messages below the size Pekko's remoting takes. */
final class MessageSizes {
    private MessageSizes() {
    }

    /** {@code items} in order, in parts of at most {@code limit} bytes each (an item larger than that alone). */
    static <T> List<List<T>> split(List<T> items, ToLongFunction<T> bytes, long limit) {
        List<List<T>> parts = new ArrayList<>();
        List<T> part = new ArrayList<>();
        long size = 0;
        for (T item : items) {
            long itemBytes = bytes.applyAsLong(item);
            if (!part.isEmpty() && size + itemBytes > limit) {
                parts.add(part);
                part = new ArrayList<>();
                size = 0;
            }
            part.add(item);
            size += itemBytes;
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }
}
