package org.ringkernel.http;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;
import org.ringkernel.actors.KernelResult;
import org.ringkernel.bridge.kernel.Tensor;

/**
 * A result as a client asking {@code Accept: application/octet-stream} gets it: the outputs' little-endian
 * float32 elements one after the other, and their shapes in {@code X-Shape} ({@code 2,3;6}).
 */
final class BinaryResponses {
    private BinaryResponses() {
    }

    static HttpResponse of(KernelResult result) {
        int bytes = result.outputs().stream().mapToInt(t -> t.size() * Float.BYTES).sum();
        ByteBuffer body = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor output : result.outputs()) {
            body.asFloatBuffer().put(output.data());
            body.position(body.position() + output.size() * Float.BYTES);
        }
        String shapes = result.outputs().stream()
                .map(t -> Arrays.stream(t.shape()).mapToObj(String::valueOf).collect(Collectors.joining(",")))
                .collect(Collectors.joining(";"));
        // The body array is handed over, not copied: nothing else holds it.
        return HttpResponse.create()
                .withEntity(ContentTypes.APPLICATION_OCTET_STREAM, ByteString.fromArrayUnsafe(body.array()))
                .addHeader(RawHeader.create(OctetStreamRequestReader.SHAPE_HEADER, shapes));
    }
}
