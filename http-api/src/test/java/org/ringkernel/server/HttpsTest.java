package org.ringkernel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigUtil;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringkernel.http.TestServer;

/**
 * HTTPS from {@code ringkernel.http.tls}: a self-signed PKCS12 keystore made with the JDK's keytool; a client
 * trusting that certificate gets answers, and plain HTTP to the same port gets none.
 */
class HttpsTest {
    private static final String PASSWORD = "changeit-test";

    @TempDir
    static Path dir;
    private static TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        keytool(keystore);
        server = TestServer.start("""
                ringkernel {
                  kernels.start = [square]
                  http.tls {
                    keystore = %s
                    keystore-password = "%s"
                  }
                }
                """.formatted(ConfigUtil.quoteString(keystore.toString()), PASSWORD), trustingClient(keystore));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theServerAnswersOverHttps() {
        assertTrue(server.running().url().startsWith("https://127.0.0.1:"), server.running().url());
        HttpResponse<String> health = server.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\"}\n", health.body());
        HttpResponse<String> squared = server.postJson("/api/kernels/square/process", "{\"inputs\":[{\"data\":[3]}]}");
        assertEquals(200, squared.statusCode(), squared.body());
        assertEquals("[9.0]", TestServer.json(squared).get("outputs").get(0).get("data").toString());
    }

    @Test
    void plainHttpToTheHttpsPortFails() {
        URI plain = URI.create(server.running().url().replaceFirst("^https:", "http:") + "/health");
        IOException e = assertThrows(IOException.class, () -> TestServer.newClient()
                .send(HttpRequest.newBuilder(plain).timeout(TestServer.WAIT).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
        assertFalse(e instanceof HttpTimeoutException, "the server should close the connection, not hang: " + e);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        HttpClient defaultTrust = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        IOException e = assertThrows(IOException.class, () -> defaultTrust.send(
                HttpRequest.newBuilder(server.uri("/health")).timeout(TestServer.WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
        assertFalse(e instanceof HttpTimeoutException, e.toString());
    }

    /** A self-signed RSA key for localhost and 127.0.0.1, made by the JDK's own keytool. */
    private static void keytool(Path keystore) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        // A quick-starting JVM for keytool: it runs for a second, so the optimizing compiler would not pay off.
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-J-XX:TieredStopAtLevel=1",
                "-J-XX:+UseSerialGC", "-genkeypair", "-alias", "server",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD,
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost"))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(TestServer.WAIT.toMillis(), TimeUnit.MILLISECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), "keytool failed: " + output);
        assertTrue(Files.size(keystore) > 0);
    }

    /** A client trusting exactly the certificate in {@code keystore}. */
    private static HttpClient trustingClient(Path keystore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = keys.getCertificate("server");
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .connectTimeout(TestServer.WAIT).build();
    }
}
