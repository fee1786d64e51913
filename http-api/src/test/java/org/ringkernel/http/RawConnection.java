package org.ringkernel.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 connection over a plain socket, for tests that need what a well-behaved client library hides:
 * partial request heads, keep-alive under control, and telling a clean close from a reset.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the host and port of {@code base}, with reads that give up after {@link TestServer#WAIT}. */
    public static RawConnection open(URI base) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) TestServer.WAIT.toMillis());
            socket.setSoTimeout((int) TestServer.WAIT.toMillis());
            socket.setTcpNoDelay(true);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + base, e);
        }
    }

    /** {@code open(URI.create(url))}. */
    public static RawConnection open(String url) {
        return open(URI.create(url));
    }

    public RawConnection send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send", e);
        }
    }

    /** A whole request with a JSON body, kept alive. */
    public RawConnection postJson(String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        send("POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n");
        return send(body);
    }

    /** A GET, kept alive. */
    public RawConnection get(String path) {
        return send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
    }

    /**
     * Reads one whole response (body by Content-Length or chunked).
     *
     * @throws EOFException when the server closed the connection before the response was complete
     * @throws SocketException when it was reset
     */
    public Response read() throws IOException {
        String status = line();
        if (status == null) {
            throw new EOFException("the connection was closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        String body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else {
            body = new String(exactly(Integer.parseInt(headers.getOrDefault("content-length", "0"))),
                    StandardCharsets.UTF_8);
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, body);
    }

    /** Whether the server closes the connection (end of stream, not a reset) within {@link TestServer#WAIT}. */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("the connection failed instead of closing", e);
        }
    }

    /** Whether no byte arrives for {@code patience} (the connection staying open and silent). */
    public boolean silentFor(Duration patience) {
        try {
            socket.setSoTimeout((int) patience.toMillis());
            try {
                in.read();
                return false;
            } catch (SocketTimeoutException e) {
                return true;
            } finally {
                socket.setSoTimeout((int) TestServer.WAIT.toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = chunkSize(); size > 0; size = chunkSize()) {
            body.write(exactly(size));
            line();
        }
        String trailer;
        do {
            trailer = line();
        } while (trailer != null && !trailer.isEmpty());
        return body.toString(StandardCharsets.UTF_8);
    }

    private int chunkSize() throws IOException {
        String size = line();
        if (size == null) {
            throw new EOFException("the connection was closed inside a chunked body");
        }
        return Integer.parseInt(size.split(";")[0].strip(), 16);
    }

    private byte[] exactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the connection was closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    /** A CRLF-terminated line without its terminator, or null at the end of the stream. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * A response as read off the wire.
     *
     * @param headers by lower-case name
     */
    public record Response(int status, Map<String, String> headers, String body) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** Whether the server said it closes the connection after this response. */
        public boolean closes() {
            return header("connection").map(v -> v.equalsIgnoreCase("close")).orElse(false);
        }
    }
}
