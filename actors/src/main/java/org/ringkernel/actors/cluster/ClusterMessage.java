package org.ringkernel.actors.cluster;

/**
 * Marks the messages that cross nodes. {@code reference.conf} binds it to Pekko's Jackson CBOR serializer, so
 * nothing between nodes uses Java serialization; tensors travel as byte strings of little-endian float32.
 */
public interface ClusterMessage {
}
