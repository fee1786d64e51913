package org.ringkernel.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's metadata: its name, the jar's version, and no extensions of the protocol. */
class ServerMetadataTest {

    @Test
    void theVersionIsTheJarsOrTheUnpackagedOne() {
        assertEquals("0.2.0", ServerMetadata.version("0.2.0"));
        assertEquals(ServerMetadata.UNPACKAGED_VERSION, ServerMetadata.version(null));
        assertEquals(ServerMetadata.UNPACKAGED_VERSION, ServerMetadata.version(" "));
    }

    @Test
    void theServerIsRingkernelWithNoExtensions() {
        ServerMetadata metadata = ServerMetadata.current();
        assertEquals("ringkernel", metadata.name());
        assertEquals(List.of(), metadata.extensions());
    }
}
