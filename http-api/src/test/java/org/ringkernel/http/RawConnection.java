package org.ringkernel.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP/1.1 connection over a plain socket, for what a well-behaved client library hides or will not do:
 * partial request heads, malformed framing, bodies sent in pieces or never finished, keep-alive under the
 * test's control, a small receive buffer read at the client's own pace, and a clean close told from a reset.
 * Every read waits at most {@link TestServer#WAIT}; a connection that ends early fails the read with an
 * {@link UncheckedIOException} whose cause is an {@link EOFException}.
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

    /** A connection to the host and port of {@code base}. */
    public static RawConnection open(String base) {
        return open(URI.create(base), 0);
    }

    /** A connection to {@code server}'s main port. */
    public static RawConnection open(TestServer server) {
        return open(server, 0);
    }

    /** A connection to {@code server}'s main port whose receive buffer is {@code receiveBuffer} bytes (0: the system's). */
    public static RawConnection open(TestServer server, int receiveBuffer) {
        return open(server.uri("/"), receiveBuffer);
    }

    private static RawConnection open(URI base, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout((int) TestServer.WAIT.toMillis());
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) TestServer.WAIT.toMillis());
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + base, e);
        }
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

    /** Reads one whole response: its head, then a body framed by Content-Length, chunks, or the end of the connection. */
    public Response read() {
        Head head = readHead();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head.chunked()) {
            for (byte[] chunk = readChunk(); chunk != null; chunk = readChunk()) {
                body.writeBytes(chunk);
            }
        } else if (head.headers().containsKey("content-length")) {
            body.writeBytes(exactly(Integer.parseInt(head.headers().get("content-length"))));
        } else {
            body.writeBytes(toEnd());
        }
        return new Response(head.status(), head.headers(), body.toString(StandardCharsets.UTF_8));
    }

    /** Reads the head of a response. */
    public Head readHead() {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("not an HTTP/1.1 status line: '" + status + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        return new Head(Integer.parseInt(status.substring(9, 12)), headers);
    }

    /** The next chunk of a chunked body, or null after the last. */
    public byte[] readChunk() {
        int size = Integer.parseInt(line().split(";", 2)[0].strip(), 16);
        if (size == 0) {
            String trailer;
            do {
                trailer = line();
            } while (!trailer.isEmpty());
            return null;
        }
        byte[] chunk = exactly(size);
        if (!line().isEmpty()) {
            throw new AssertionError("a chunk not followed by CRLF");
        }
        return chunk;
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

    /** A CRLF-terminated line without its terminator. */
    private String line() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = next(); b != '\n'; b = next()) {
            if (b == -1) {
                throw new UncheckedIOException(new EOFException("the connection ended in the middle of a line: '"
                        + line.toString(StandardCharsets.ISO_8859_1) + "'"));
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private int next() {
        try {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] exactly(int length) {
        try {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new EOFException("the connection ended after " + bytes.length + " of " + length + " body bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] toEnd() {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The head of a response.
     *
     * @param headers by lower-case name
     */
    public record Head(int status, Map<String, String> headers) {
        boolean chunked() {
            return headers.getOrDefault("transfer-encoding", "").contains("chunked");
        }
    }

    /**
     * A whole response.
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
