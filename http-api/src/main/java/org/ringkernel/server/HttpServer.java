package org.ringkernel.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Binds the routes, over HTTPS when a keystore is configured, and ties the binding to coordinated
 * shutdown: on SIGTERM the server stops accepting at once, lets requests in flight finish within the
 * shutdown deadline, then closes.
 */
public final class HttpServer {
    private HttpServer() {
    }

    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, Route route, HttpSettings settings) {
        ServerBuilder builder = Http.get(system).newServerAt(settings.iface(), settings.port());
        if (settings.tls().isPresent()) {
            builder = builder.enableHttps(ConnectionContext.httpsServer(sslContext(settings.tls().get())));
        }
        return builder.bind(route)
                .thenApply(binding -> binding.addToCoordinatedShutdown(settings.shutdownDeadline(), system));
    }

    /**
     * @throws IllegalArgumentException naming the keystore when it cannot be read or holds no usable key
     */
    static SSLContext sslContext(HttpSettings.TlsSettings tls) {
        char[] password = tls.password().toCharArray();
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("ringkernel.http.tls.keystore: cannot use '" + tls.keystore()
                    + "' as a PKCS12 keystore: " + e.getMessage(), e);
        }
    }

    /** Where a binding listens, as a URL: the configured interface and the bound port. */
    public static String url(ServerBinding binding, HttpSettings settings) {
        String scheme = settings.tls().isPresent() ? "https" : "http";
        return scheme + "://" + settings.iface() + ":" + binding.localAddress().getPort();
    }
}
