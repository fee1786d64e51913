package org.ringkernel.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a plain socket, for what java.net.http will not do: malformed framing, bodies sent in
 * pieces or never finished, a small receive buffer read at the client's own pace. Every read waits at most
 * {@link TestServer#WAIT}.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A connection to {@code server}. */
    public static RawClient connect(TestServer server) {
        return connect(server, 0);
    }

    /** A connection to {@code server} whose receive buffer is {@code receiveBuffer} bytes (0: the system's). */
    public static RawClient connect(TestServer server, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout((int) TestServer.WAIT.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", server.uri("/").getPort()),
                    (int) TestServer.WAIT.toMillis());
            return new RawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The head of a response; header names in lower case. */
    public record Head(int status, Map<String, String> headers) {
        boolean chunked() {
            return headers.getOrDefault("transfer-encoding", "").contains("chunked");
        }
    }

    /** A whole response. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    public RawClient send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one whole response: its head, then a body framed by Content-Length, chunks, or the end of the connection. */
    public Response read() {
        Head head = readHead();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head.chunked()) {
            byte[] chunk;
            while ((chunk = readChunk()) != null) {
                body.writeBytes(chunk);
            }
        } else if (head.headers().containsKey("content-length")) {
            body.writeBytes(readExactly(Integer.parseInt(head.headers().get("content-length"))));
        } else {
            body.writeBytes(readToEnd());
        }
        return new Response(head.status(), head.headers(), body.toString(StandardCharsets.UTF_8));
    }

    public Head readHead() {
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new AssertionError("not an HTTP/1.1 status line: '" + status + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return new Head(Integer.parseInt(status.substring(9, 12)), headers);
    }

    /** The next chunk of a chunked body, or null after the last. */
    public byte[] readChunk() {
        String sizeLine = readLine();
        int size = Integer.parseInt(sizeLine.split(";", 2)[0].strip(), 16);
        if (size == 0) {
            while (!readLine().isEmpty()) {
                // Trailer fields, which the API never sends.
            }
            return null;
        }
        byte[] chunk = readExactly(size);
        if (!readLine().isEmpty()) {
            throw new AssertionError("a chunk not followed by CRLF");
        }
        return chunk;
    }

    /** Whether the server closed the connection (end of stream or reset) before sending anything more. */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = readByte()) != '\n') {
            if (b < 0) {
                throw new AssertionError("the connection ended in the middle of a line: '" + line + "'");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private int readByte() {
        try {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readExactly(int length) {
        try {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new AssertionError("the connection ended after " + bytes.length + " of " + length + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] readToEnd() {
        try {
            return in.readAllBytes();
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
}
