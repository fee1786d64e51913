package org.ringkernel.http;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
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
        List<Tensor> outputs = result.outputs();
        int elements = 0;
        for (Tensor output : outputs) {
            elements += output.size();
        }
        byte[] body = new byte[elements * Float.BYTES];
        FloatBuffer floats = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        StringBuilder shapes = new StringBuilder();
        int at = 0;
        for (Tensor output : outputs) {
            output.copyTo(floats, at);
            at += output.size();
            if (!shapes.isEmpty()) {
                shapes.append(';');
            }
            for (int axis = 0; axis < output.rank(); axis++) {
                (axis == 0 ? shapes : shapes.append(',')).append(output.dim(axis));
            }
        }
        // The body array is handed over, not copied: nothing else holds it.
        return HttpResponse.create()
                .withEntity(ContentTypes.APPLICATION_OCTET_STREAM, ByteString.fromArrayUnsafe(body))
                .addHeader(RawHeader.create(OctetStreamRequestReader.SHAPE_HEADER, shapes.toString()));
    }
}
