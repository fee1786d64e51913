package org.ringkernel.http;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One server with the default HTTP settings for every test class that only reads and computes, started on
 * first use and stopped when the whole test run ends. Test classes take it as a {@link TestServer} parameter
 * (of a {@code @BeforeAll} method, say). Tests that need other settings start their own.
 */
public final class SharedServer implements ParameterResolver {
    /** The kernels the shared server starts. */
    public static final String KERNELS = "echo, square, saxpy, stats, matmul, layer_norm";
    /** Its stream parallelism: small, so the NDJSON test can see the bound hold. */
    public static final int STREAM_PARALLELISM = 8;

    private static final String CONFIG = """
            ringkernel {
              kernels.start = [%s]
              http.stream-parallelism = %d
            }
            """.formatted(KERNELS, STREAM_PARALLELISM);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedServer.class, key -> new Stopping(TestServer.start(CONFIG)), Stopping.class)
                .server;
    }

    /** Stops the server when JUnit closes the root store, at the end of the run. */
    private record Stopping(TestServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
