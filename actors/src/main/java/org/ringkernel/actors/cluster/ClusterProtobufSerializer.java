package org.ringkernel.actors.cluster;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.ringkernel.actors.ErrorCode;
import org.ringkernel.actors.KernelTiming;

/**
 * The serializer of the messages that carry requests and answers between nodes, {@link KernelEntity.Compute}
 * and {@link Results}: protobuf, as {@code org/ringkernel/actors/cluster/cluster.proto} (shipped in this jar)
 * defines them, written and read field by field. They make up nearly all the traffic between nodes, and
 * reflection over records (as Jackson does) cost more per request than the rest of the hop; tensors go as
 * their little-endian float32 bytes. Bound in {@code reference.conf}; every other message between nodes is
 * Jackson CBOR.
 */
public final class ClusterProtobufSerializer extends SerializerWithStringManifest {
    private static final String COMPUTE = "C";
    private static final String RESULTS = "R";
    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final ErrorCode[] CODES = ErrorCode.values();

    private final ExtendedActorSystem system;
    private volatile ActorRefResolver resolver;

    /** Created by Pekko's serialization for {@code system}. */
    public ClusterProtobufSerializer(ExtendedActorSystem system) {
        this.system = system;
    }

    @Override
    public int identifier() {
        return 7411;
    }

    @Override
    public String manifest(Object message) {
        if (message instanceof KernelEntity.Compute) {
            return COMPUTE;
        }
        if (message instanceof Results) {
            return RESULTS;
        }
        throw new IllegalArgumentException("no protobuf form for " + message.getClass().getName());
    }

    private ActorRefResolver resolver() {
        ActorRefResolver current = resolver;
        if (current == null) {
            current = ActorRefResolver.get(Adapter.toTyped(system));
            resolver = current;
        }
        return current;
    }

    // ---- writing

    @Override
    public byte[] toBinary(Object message) {
        try {
            if (message instanceof KernelEntity.Compute compute) {
                return compute(compute);
            }
            if (message instanceof Results results) {
                return results(results);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no protobuf form for " + message.getClass().getName());
    }

    private byte[] compute(KernelEntity.Compute compute) throws IOException {
        String replyTo = resolver().toSerializationFormat(compute.replyTo());
        int size = CodedOutputStream.computeStringSize(2, replyTo);
        for (WireRequest request : compute.requests()) {
            size += nested(1, requestSize(request));
        }
        byte[] bytes = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (WireRequest request : compute.requests()) {
            out.writeTag(1, LENGTH_DELIMITED);
            out.writeUInt32NoTag(requestSize(request));
            writeRequest(out, request);
        }
        out.writeString(2, replyTo);
        out.checkNoSpaceLeft();
        return bytes;
    }

    private byte[] results(Results results) throws IOException {
        String entity = resolver().toSerializationFormat(results.entity());
        int acceptedSize = acceptedSize(results.accepted());
        int size = CodedOutputStream.computeStringSize(1, results.entityId()) + CodedOutputStream.computeStringSize(2, entity)
                + CodedOutputStream.computeStringSize(3, results.node())
                + (results.accepted().isEmpty() ? 0 : nested(4, acceptedSize));
        for (WireResult result : results.results()) {
            size += nested(5, resultSize(result));
        }
        byte[] bytes = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, results.entityId());
        out.writeString(2, entity);
        out.writeString(3, results.node());
        if (!results.accepted().isEmpty()) {
            out.writeTag(4, LENGTH_DELIMITED);
            out.writeUInt32NoTag(acceptedSize);
            for (long seq : results.accepted()) {
                out.writeInt64NoTag(seq);
            }
        }
        for (WireResult result : results.results()) {
            out.writeTag(5, LENGTH_DELIMITED);
            out.writeUInt32NoTag(resultSize(result));
            writeResult(out, result);
        }
        out.checkNoSpaceLeft();
        return bytes;
    }

    /** The bytes of a length-delimited field of {@code size} bytes, with its tag and length. */
    private static int nested(int field, int size) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    }

    private static int acceptedSize(List<Long> accepted) {
        int size = 0;
        for (long seq : accepted) {
            size += CodedOutputStream.computeInt64SizeNoTag(seq);
        }
        return size;
    }

    private static int shapeSize(int[] shape) {
        int size = 0;
        for (int dim : shape) {
            size += CodedOutputStream.computeInt32SizeNoTag(dim);
        }
        return size;
    }

    private static int tensorSize(WireTensor tensor) {
        return nested(1, shapeSize(tensor.shape())) + CodedOutputStream.computeByteArraySize(2, tensor.data());
    }

    private static void writeTensor(CodedOutputStream out, int field, WireTensor tensor) throws IOException {
        out.writeTag(field, LENGTH_DELIMITED);
        out.writeUInt32NoTag(tensorSize(tensor));
        out.writeTag(1, LENGTH_DELIMITED);
        out.writeUInt32NoTag(shapeSize(tensor.shape()));
        for (int dim : tensor.shape()) {
            out.writeInt32NoTag(dim);
        }
        out.writeByteArray(2, tensor.data());
    }

    private static int paramSize(String name, double value) {
        return CodedOutputStream.computeStringSize(1, name) + CodedOutputStream.computeDoubleSize(2, value);
    }

    private static int requestSize(WireRequest request) {
        int size = CodedOutputStream.computeInt64Size(1, request.seq())
                + CodedOutputStream.computeInt64Size(4, request.timeoutNanos());
        if (!request.traceParent().isEmpty()) {
            size += CodedOutputStream.computeStringSize(5, request.traceParent());
        }
        for (WireTensor input : request.inputs()) {
            size += nested(2, tensorSize(input));
        }
        for (Map.Entry<String, Double> param : request.params().entrySet()) {
            size += nested(3, paramSize(param.getKey(), param.getValue()));
        }
        return size;
    }

    private static void writeRequest(CodedOutputStream out, WireRequest request) throws IOException {
        out.writeInt64(1, request.seq());
        for (WireTensor input : request.inputs()) {
            writeTensor(out, 2, input);
        }
        for (Map.Entry<String, Double> param : request.params().entrySet()) {
            out.writeTag(3, LENGTH_DELIMITED);
            out.writeUInt32NoTag(paramSize(param.getKey(), param.getValue()));
            out.writeString(1, param.getKey());
            out.writeDouble(2, param.getValue());
        }
        out.writeInt64(4, request.timeoutNanos());
        if (!request.traceParent().isEmpty()) {
            out.writeString(5, request.traceParent());
        }
    }

    private static int timingSize(KernelTiming timing) {
        return CodedOutputStream.computeInt64Size(1, timing.queuedNanos())
                + CodedOutputStream.computeInt64Size(2, timing.ringNanos())
                + CodedOutputStream.computeInt64Size(3, timing.kernelNanos())
                + CodedOutputStream.computeInt32Size(4, timing.batchSize())
                + CodedOutputStream.computeStringSize(5, timing.path());
    }

    private static int resultSize(WireResult result) {
        int size = CodedOutputStream.computeInt64Size(1, result.seq())
                + CodedOutputStream.computeEnumSize(3, result.error().map(code -> code.ordinal() + 1).orElse(0))
                + CodedOutputStream.computeStringSize(4, result.message())
                + CodedOutputStream.computeStringSize(5, result.backend())
                + nested(6, timingSize(result.timing()));
        for (WireTensor output : result.outputs()) {
            size += nested(2, tensorSize(output));
        }
        return size;
    }

    private static void writeResult(CodedOutputStream out, WireResult result) throws IOException {
        out.writeInt64(1, result.seq());
        for (WireTensor output : result.outputs()) {
            writeTensor(out, 2, output);
        }
        out.writeEnum(3, result.error().map(code -> code.ordinal() + 1).orElse(0));
        out.writeString(4, result.message());
        out.writeString(5, result.backend());
        KernelTiming timing = result.timing();
        out.writeTag(6, LENGTH_DELIMITED);
        out.writeUInt32NoTag(timingSize(timing));
        out.writeInt64(1, timing.queuedNanos());
        out.writeInt64(2, timing.ringNanos());
        out.writeInt64(3, timing.kernelNanos());
        out.writeInt32(4, timing.batchSize());
        out.writeString(5, timing.path());
    }

    // ---- reading

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            if (COMPUTE.equals(manifest)) {
                return readCompute(in);
            }
            if (RESULTS.equals(manifest)) {
                return readResults(in);
            }
        } catch (IOException | RuntimeException e) {
            NotSerializableException unreadable = new NotSerializableException("a cluster message (manifest '" + manifest
                    + "') cannot be read: " + e.getMessage());
            unreadable.initCause(e);
            throw unreadable;
        }
        throw new NotSerializableException("no cluster message has the manifest '" + manifest + "'");
    }

    private KernelEntity.Compute readCompute(CodedInputStream in) throws IOException {
        List<WireRequest> requests = new ArrayList<>();
        String replyTo = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> requests.add(nestedIn(in, this::readRequest));
                case 2 -> replyTo = in.readString();
                default -> in.skipField(tag);
            }
        }
        ActorRef<Results> ref = resolver().resolveActorRef(replyTo);
        return new KernelEntity.Compute(requests, ref);
    }

    private Results readResults(CodedInputStream in) throws IOException {
        String entityId = "";
        String entity = "";
        String node = "";
        List<Long> accepted = new ArrayList<>();
        List<WireResult> results = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> entityId = in.readString();
                case 2 -> entity = in.readString();
                case 3 -> node = in.readString();
                case 4 -> readVarints(in, tag, accepted::add);
                case 5 -> results.add(nestedIn(in, ClusterProtobufSerializer::readResult));
                default -> in.skipField(tag);
            }
        }
        ActorRef<KernelEntity.Command> ref = resolver().resolveActorRef(entity);
        return new Results(entityId, ref, node, accepted, results);
    }

    /** A repeated varint field, packed (as written) or one value per tag (as protobuf readers must also take). */
    private static void readVarints(CodedInputStream in, int tag, LongConsumer values) throws IOException {
        if (WireFormat.getTagWireType(tag) != LENGTH_DELIMITED) {
            values.accept(in.readInt64());
            return;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
            values.accept(in.readInt64());
        }
        in.popLimit(limit);
    }

    /** A value read from a nested message of the stream. */
    private interface NestedReader<T> {
        T read(CodedInputStream in) throws IOException;
    }

    private static <T> T nestedIn(CodedInputStream in, NestedReader<T> reader) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        T value = reader.read(in);
        in.checkLastTagWas(0);
        in.popLimit(limit);
        return value;
    }

    private WireRequest readRequest(CodedInputStream in) throws IOException {
        long seq = 0;
        long timeout = 0;
        String traceParent = "";
        List<WireTensor> inputs = new ArrayList<>();
        Map<String, Double> params = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> seq = in.readInt64();
                case 2 -> inputs.add(nestedIn(in, ClusterProtobufSerializer::readTensor));
                case 3 -> {
                    Map.Entry<String, Double> param = nestedIn(in, ClusterProtobufSerializer::readParam);
                    params.put(param.getKey(), param.getValue());
                }
                case 4 -> timeout = in.readInt64();
                case 5 -> traceParent = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new WireRequest(seq, inputs, params, timeout, traceParent);
    }

    private static Map.Entry<String, Double> readParam(CodedInputStream in) throws IOException {
        String name = "";
        double value = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readString();
                case 2 -> value = in.readDouble();
                default -> in.skipField(tag);
            }
        }
        return Map.entry(name, value);
    }

    private static WireTensor readTensor(CodedInputStream in) throws IOException {
        List<Integer> shape = new ArrayList<>(4);
        byte[] data = new byte[0];
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> readVarints(in, tag, dim -> shape.add((int) dim));
                case 2 -> data = in.readByteArray();
                default -> in.skipField(tag);
            }
        }
        return new WireTensor(shape.stream().mapToInt(Integer::intValue).toArray(), data);
    }

    private static WireResult readResult(CodedInputStream in) throws IOException {
        long seq = 0;
        List<WireTensor> outputs = new ArrayList<>();
        Optional<ErrorCode> error = Optional.empty();
        String message = "";
        String backend = "";
        KernelTiming timing = KernelTiming.NONE;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> seq = in.readInt64();
                case 2 -> outputs.add(nestedIn(in, ClusterProtobufSerializer::readTensor));
                case 3 -> {
                    int code = in.readEnum();
                    if (code < 0 || code > CODES.length) {
                        throw new IOException("unknown error code " + code);
                    }
                    error = code == 0 ? Optional.empty() : Optional.of(CODES[code - 1]);
                }
                case 4 -> message = in.readString();
                case 5 -> backend = in.readString();
                case 6 -> timing = nestedIn(in, ClusterProtobufSerializer::readTiming);
                default -> in.skipField(tag);
            }
        }
        return new WireResult(seq, outputs, error, message, backend, timing);
    }

    private static KernelTiming readTiming(CodedInputStream in) throws IOException {
        long queued = 0;
        long ring = 0;
        long kernel = 0;
        int batch = 0;
        String path = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> queued = in.readInt64();
                case 2 -> ring = in.readInt64();
                case 3 -> kernel = in.readInt64();
                case 4 -> batch = in.readInt32();
                case 5 -> path = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new KernelTiming(queued, ring, kernel, batch, path);
    }
}
