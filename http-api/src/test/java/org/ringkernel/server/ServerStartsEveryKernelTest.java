package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ringkernel.actors.KernelInfo;
import org.ringkernel.http.TestServer;
import org.ringkernel.kernels.builtin.BuiltinKernels;
import org.ringkernel.server.config.ServerConfig;
import org.ringkernel.server.config.ServerSettings;

/**
 * The library starts kernels on first use, the server starts every built-in with itself: it serves them all and
 * its readiness covers them.
 */
class ServerStartsEveryKernelTest {

    @Test
    void withItsDefaultsTheServerRunsEveryBuiltinOnceStarted() throws Exception {
        ServerSettings settings = ServerConfig.validate(ConfigFactory.parseString("""
                ringkernel {
                  backend = cpu
                  http { interface = "127.0.0.1", port = 0, management.port = 0 }
                  grpc.enabled = off
                }
                """).withFallback(ServerConfig.defaults()).resolve());
        List<String> all = BuiltinKernels.ids().stream().sorted(KernelInfo.ID_ORDER).toList();
        assertEquals(all, settings.kernels().startKernels());

        RingKernelServer.Running running = RingKernelServer.start(settings);
        try {
            assertEquals(all, running.kernels().kernels().stream().map(KernelInfo::id).toList(),
                    "every built-in runs before a request arrives");
        } finally {
            running.stop();
            running.system().getWhenTerminated().toCompletableFuture().get(TestServer.WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }
}
