package org.ringkernel.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import org.ringkernel.inference.InferenceResponse;
import org.ringkernel.inference.ModelMetadata;
import org.ringkernel.inference.NamedTensor;
import org.ringkernel.inference.ServerMetadata;
import org.ringkernel.inference.TensorMetadata;

/** Writes the JSON bodies of the inference protocol's HTTP routes ({@link V2Routes}). */
final class V2Responses {
    private final JsonResponses json;

    V2Responses(JsonResponses json) {
        this.json = json;
    }

    /** {@code {"name","version","extensions":[…]}} */
    byte[] server(ServerMetadata server) {
        return json.write(out -> {
            out.writeStartObject();
            out.writeStringField("name", server.name());
            out.writeStringField("version", server.version());
            JsonResponses.strings(out, "extensions", server.extensions());
            out.writeEndObject();
        });
    }

    /** {@code {"live":true}} */
    byte[] live() {
        return json.write(out -> {
            out.writeStartObject();
            out.writeBooleanField("live", true);
            out.writeEndObject();
        });
    }

    /** {@code {"ready":…}} */
    byte[] serverReady(boolean ready) {
        return json.write(out -> {
            out.writeStartObject();
            out.writeBooleanField("ready", ready);
            out.writeEndObject();
        });
    }

    /** {@code {"name","ready"}} */
    byte[] modelReady(String name, boolean ready) {
        return json.write(out -> {
            out.writeStartObject();
            out.writeStringField("name", name);
            out.writeBooleanField("ready", ready);
            out.writeEndObject();
        });
    }

    /** {@code {"name","versions","platform","inputs":[{"name","datatype","shape"}],"outputs":[…]}} */
    byte[] metadata(ModelMetadata model) {
        return json.write(out -> {
            out.writeStartObject();
            out.writeStringField("name", model.name());
            JsonResponses.strings(out, "versions", model.versions());
            out.writeStringField("platform", model.platform());
            tensors(out, "inputs", model.inputs());
            tensors(out, "outputs", model.outputs());
            out.writeEndObject();
        });
    }

    /**
     * {@code {"model_name","model_version","id","outputs":[{"name","datatype","shape","data"}]}}, {@code id}
     * only when the request had one; data flat, row-major, non-finite values as {@link JsonResponses#floats}
     * writes them.
     */
    byte[] response(InferenceResponse response) {
        return json.write(out -> {
            out.writeStartObject();
            out.writeStringField("model_name", response.modelName());
            out.writeStringField("model_version", response.modelVersion());
            if (!response.id().isEmpty()) {
                out.writeStringField("id", response.id());
            }
            out.writeArrayFieldStart("outputs");
            for (NamedTensor output : response.outputs()) {
                out.writeStartObject();
                out.writeStringField("name", output.name());
                out.writeStringField("datatype", output.datatype());
                out.writeFieldName("shape");
                out.writeArray(output.shape(), 0, output.shape().length);
                JsonResponses.floats(out, "data", output.data());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    /** {@code {"error":"<message>"}}, the protocol's form: the status says the rest. */
    byte[] error(ApiError error) {
        return json.write(out -> {
            out.writeStartObject();
            out.writeStringField("error", error.message());
            out.writeEndObject();
        });
    }

    private static void tensors(JsonGenerator out, String field, List<TensorMetadata> tensors) throws IOException {
        out.writeArrayFieldStart(field);
        for (TensorMetadata tensor : tensors) {
            out.writeStartObject();
            out.writeStringField("name", tensor.name());
            out.writeStringField("datatype", tensor.datatype());
            out.writeArrayFieldStart("shape");
            for (long dim : tensor.shape()) {
                out.writeNumber(dim);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        out.writeEndArray();
    }
}
