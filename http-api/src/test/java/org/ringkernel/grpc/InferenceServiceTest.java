package org.ringkernel.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringkernel.grpc.GrpcClients.await;
import static org.ringkernel.grpc.GrpcClients.failure;
import static org.ringkernel.http.TestServer.awaitTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.grpc.javadsl.MetadataBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ringkernel.grpc.health.HealthCheckRequest;
import org.ringkernel.grpc.health.HealthCheckResponse.ServingStatus;
import org.ringkernel.grpc.inference.GRPCInferenceServiceClient;
import org.ringkernel.grpc.inference.InferParameter;
import org.ringkernel.grpc.inference.InferTensorContents;
import org.ringkernel.grpc.inference.ModelInferRequest;
import org.ringkernel.grpc.inference.ModelInferResponse;
import org.ringkernel.grpc.inference.ModelMetadataRequest;
import org.ringkernel.grpc.inference.ModelMetadataResponse;
import org.ringkernel.grpc.inference.ModelReadyRequest;
import org.ringkernel.grpc.inference.ServerLiveRequest;
import org.ringkernel.grpc.inference.ServerMetadataRequest;
import org.ringkernel.grpc.inference.ServerReadyRequest;
import org.ringkernel.http.Draining;
import org.ringkernel.http.SharedServer;
import org.ringkernel.http.TestServer;
import org.ringkernel.inference.InferenceModels;

/**
 * Every unary RPC of {@code inference.GRPCInferenceService} and the health check over a real port with the
 * generated client: answers, typed and raw tensors, params, requested outputs, and the INVALID_ARGUMENT, NOT_FOUND
 * and DEADLINE_EXCEEDED answers with messages that name the problem.
 */
@ExtendWith(SharedServer.class)
class InferenceServiceTest {
    private static TestServer server;
    private static GrpcClients clients;
    private static GRPCInferenceServiceClient client;

    @BeforeAll
    static void connect(TestServer shared) {
        server = shared;
        clients = new GrpcClients(server);
        client = clients.inference();
        awaitTrue(() -> server.kernels().readiness().ready(), "the kernels are active");
    }

    @AfterAll
    static void disconnect() {
        clients.close();
    }

    static ModelInferRequest.InferInputTensor input(String name, List<Long> shape, float... values) {
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float value : values) {
            contents.addFp32Contents(value);
        }
        return ModelInferRequest.InferInputTensor.newBuilder().setName(name).setDatatype("FP32").addAllShape(shape)
                .setContents(contents).build();
    }

    static ModelInferRequest square(String id, float... values) {
        return ModelInferRequest.newBuilder().setModelName("square").setId(id)
                .addInputs(input("x", List.of((long) values.length), values)).build();
    }

    static ByteString littleEndian(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return ByteString.copyFrom(bytes.array());
    }

    static float[] floats(ByteString raw) {
        float[] values = new float[raw.size() / 4];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private static float[] fp32(ModelInferResponse.InferOutputTensor output) {
        float[] values = new float[output.getContents().getFp32ContentsCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = output.getContents().getFp32Contents(i);
        }
        return values;
    }

    private static void assertStatus(CompletionStage<?> call, Status.Code code, String... fragments) {
        Status status = failure(call);
        assertEquals(code, status.getCode(), status.toString());
        for (String fragment : fragments) {
            assertTrue(status.getDescription() != null && status.getDescription().contains(fragment),
                    "expected '" + fragment + "' in: " + status.getDescription());
        }
    }

    @Test
    void theServerIsLiveReadyAndNamesItself() {
        assertTrue(await(client.serverLive(ServerLiveRequest.getDefaultInstance())).getLive());
        assertTrue(await(client.serverReady(ServerReadyRequest.getDefaultInstance())).getReady());
        assertEquals("ringkernel", await(client.serverMetadata(ServerMetadataRequest.getDefaultInstance())).getName());
    }

    @Test
    void aKernelIsAReadyModelOfVersionOne() {
        assertTrue(await(client.modelReady(ModelReadyRequest.newBuilder().setName("square").build())).getReady());
        assertTrue(await(client.modelReady(ModelReadyRequest.newBuilder().setName("square").setVersion("1").build()))
                .getReady());
        assertStatus(client.modelReady(ModelReadyRequest.newBuilder().setName("square").setVersion("2").build()),
                Status.Code.NOT_FOUND, "model 'square' has no version '2'");
        assertStatus(client.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()), Status.Code.NOT_FOUND,
                "nope");
    }

    @Test
    void metadataNamesTheSignaturesTensorsWithVariableDimensions() {
        ModelMetadataResponse matmul = await(client.modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("matmul").build()));
        assertEquals("matmul", matmul.getName());
        assertEquals(List.of("1"), matmul.getVersionsList());
        assertEquals("ringkernel", matmul.getPlatform());
        assertEquals(List.of("a", "b"), matmul.getInputsList().stream().map(t -> t.getName()).toList());
        assertEquals(List.of(-1L, -1L), matmul.getInputs(0).getShapeList());
        assertEquals("FP32", matmul.getInputs(0).getDatatype());
        assertEquals("c", matmul.getOutputs(0).getName());
        assertEquals(List.of(-1L, -1L), matmul.getOutputs(0).getShapeList());

        ModelMetadataResponse layerNorm = await(client.modelMetadata(ModelMetadataRequest.newBuilder()
                .setName("layer_norm").build()));
        assertEquals(List.of("x", "gamma", "beta"), layerNorm.getInputsList().stream().map(t -> t.getName()).toList());
        assertEquals(List.of(-1L), layerNorm.getInputs(1).getShapeList());
        assertStatus(client.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()),
                Status.Code.NOT_FOUND, "nope");
    }

    @Test
    void typedInputsGiveTypedOutputsAndTheIdIsEchoed() {
        ModelInferResponse response = await(client.modelInfer(square("req-7", 1, -2, 3)));
        assertEquals("req-7", response.getId());
        assertEquals("square", response.getModelName());
        assertEquals("1", response.getModelVersion());
        assertEquals(1, response.getOutputsCount());
        assertEquals("y", response.getOutputs(0).getName());
        assertEquals("FP32", response.getOutputs(0).getDatatype());
        assertEquals(List.of(3L), response.getOutputs(0).getShapeList());
        assertArrayEquals(new float[] {1, 4, 9}, fp32(response.getOutputs(0)));
        assertEquals(0, response.getRawOutputContentsCount());
    }

    @Test
    void rawInputsGiveRawOutputs() {
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("matmul").setId("raw")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("a").setDatatype("FP32")
                        .addAllShape(List.of(2L, 2L)))
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("b").setDatatype("FP32")
                        .addAllShape(List.of(2L, 1L)))
                .addRawInputContents(littleEndian(1, 2, 3, 4)).addRawInputContents(littleEndian(1, 1)).build();
        ModelInferResponse response = await(client.modelInfer(request));
        assertEquals("raw", response.getId());
        assertEquals(List.of(2L, 1L), response.getOutputs(0).getShapeList());
        assertTrue(!response.getOutputs(0).hasContents());
        assertArrayEquals(new float[] {3, 7}, floats(response.getRawOutputContents(0)));
    }

    @Test
    void inputsAreMatchedByNameAndParamsTakeNumbersAsInt64DoubleOrString() {
        ModelInferRequest.Builder saxpy = ModelInferRequest.newBuilder().setModelName("saxpy")
                .addInputs(input("y", List.of(2L), 10, 20)).addInputs(input("x", List.of(2L), 1, 2));
        assertArrayEquals(new float[] {13, 26}, fp32(await(client.modelInfer(saxpy.clone()
                .putParameters("alpha", InferParameter.newBuilder().setInt64Param(3).build()).build())).getOutputs(0)));
        assertArrayEquals(new float[] {10.5f, 21}, fp32(await(client.modelInfer(saxpy.clone()
                .putParameters("alpha", InferParameter.newBuilder().setDoubleParam(0.5).build()).build()))
                .getOutputs(0)));
        assertArrayEquals(new float[] {8, 16}, fp32(await(client.modelInfer(saxpy.clone()
                .putParameters("alpha", InferParameter.newBuilder().setStringParam("-2").build()).build()))
                .getOutputs(0)));
    }

    @Test
    void requestedOutputsAreReturnedAndAnUnknownOneIsRejected() {
        ModelInferRequest.Builder request = square("o", 2).toBuilder();
        ModelInferResponse response = await(client.modelInfer(request.clone()
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y")).build()));
        assertArrayEquals(new float[] {4}, fp32(response.getOutputs(0)));
        assertStatus(client.modelInfer(request.clone()
                        .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("z")).build()),
                Status.Code.INVALID_ARGUMENT, "model 'square' has no output 'z'", "its outputs are y");
    }

    @Test
    void anUnknownModelIsNotFound() {
        assertStatus(client.modelInfer(square("x", 1).toBuilder().setModelName("nope").build()), Status.Code.NOT_FOUND,
                "nope");
    }

    @Test
    void badShapesDatatypesLengthsAndParamsAreInvalidArguments() {
        assertStatus(client.modelInfer(ModelInferRequest.newBuilder().setModelName("square")
                        .addInputs(input("x", List.of(2L, 2L), 1, 2, 3)).build()),
                Status.Code.INVALID_ARGUMENT, "input 'x' has shape [2, 2] (4 elements) but 3 values");
        assertStatus(client.modelInfer(ModelInferRequest.newBuilder().setModelName("square")
                        .addInputs(input("x", List.of(2L), 1, 2).toBuilder().setDatatype("FP64")).build()),
                Status.Code.INVALID_ARGUMENT, "input 'x' has datatype FP64; kernels take FP32");
        assertStatus(client.modelInfer(ModelInferRequest.newBuilder().setModelName("square")
                        .addInputs(input("x", List.of(2L, 0L))).build()),
                Status.Code.INVALID_ARGUMENT, "input 'x'", "dimension 1 of shape [2, 0] is 0, must be at least 1");
        assertStatus(client.modelInfer(ModelInferRequest.newBuilder().setModelName("square")
                        .addInputs(input("w", List.of(1L), 1)).build()),
                Status.Code.INVALID_ARGUMENT, "model 'square' has no input 'w'", "its inputs are x");
        assertStatus(client.modelInfer(ModelInferRequest.newBuilder().setModelName("saxpy")
                        .addInputs(input("x", List.of(1L), 1)).build()),
                Status.Code.INVALID_ARGUMENT, "model 'saxpy' needs input 'y'; its inputs are x, y");
        assertStatus(client.modelInfer(ModelInferRequest.newBuilder().setModelName("matmul")
                        .addInputs(input("a", List.of(2L, 3L), 1, 2, 3, 4, 5, 6))
                        .addInputs(input("b", List.of(2L, 1L), 1, 2)).build()),
                Status.Code.INVALID_ARGUMENT, "matmul");
        assertStatus(client.modelInfer(ModelInferRequest.newBuilder().setModelName("square")
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                                .addShape(2))
                        .addRawInputContents(littleEndian(1, 2, 3)).build()),
                Status.Code.INVALID_ARGUMENT, "input 'x' has shape [2] (2 elements) but 3 values");
        assertStatus(client.modelInfer(square("p", 1).toBuilder()
                        .putParameters("gain", InferParameter.newBuilder().setInt64Param(2).build()).build()),
                Status.Code.INVALID_ARGUMENT, "model 'square' has no parameter 'gain'; its parameters are none");
        assertStatus(client.modelInfer(square("p", 1).toBuilder().setModelName("saxpy")
                        .addInputs(input("y", List.of(1L), 1))
                        .putParameters("alpha", InferParameter.newBuilder().setStringParam("lots").build()).build()),
                Status.Code.INVALID_ARGUMENT, "parameter 'alpha' is \"lots\", not a number");
    }

    @Test
    void aCallWhoseDeadlineIsShorterThanATickIsNotRun() {
        long received = received("square");
        GRPCInferenceServiceClient hurried = GRPCInferenceServiceClient.create(
                clients.settings(server).withDeadline(Duration.ofNanos(1000)), clients.system());
        try {
            assertStatus(hurried.modelInfer(square("late", 1)), Status.Code.DEADLINE_EXCEEDED);
        } finally {
            hurried.close();
        }
        InferenceService service = new InferenceService(new InferenceModels(server.kernels()),
                server.kernels().settings(), new NotDraining());
        GrpcServiceException refused = (GrpcServiceException) GrpcClients.failureCause(service.modelInfer(
                square("late", 1), new MetadataBuilder()
                        .addText(GrpcDeadline.HEADER, "1n").build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, refused.status().getCode());
        assertTrue(refused.status().getDescription().contains("it was not run"), refused.toString());
        assertEquals(received, received("square"), "the kernel took no request");
    }

    @Test
    void healthAnswersForTheServerItsServiceAndEachKernel() {
        assertEquals(ServingStatus.SERVING, clients.health(""));
        assertEquals(ServingStatus.SERVING, clients.health("inference.GRPCInferenceService"));
        assertEquals(ServingStatus.SERVING, clients.health("square"));
        Status unknown = failure(clients.healthClient().check(HealthCheckRequest.newBuilder().setService("nope")
                .build()));
        assertEquals(Status.Code.NOT_FOUND, unknown.getCode());
        assertTrue(unknown.getDescription().contains("unknown service 'nope'"), unknown.toString());
    }

    private static long received(String kernel) {
        return server.kernels().kernel(kernel).info().instances().stream()
                .mapToLong(instance -> instance.counters().received()).sum();
    }

    /** A server that is not shutting down. */
    private static final class NotDraining implements Draining {
        @Override
        public boolean draining() {
            return false;
        }

        @Override
        public CompletionStage<Done> whenDraining() {
            return new CompletableFuture<>();
        }
    }
}
