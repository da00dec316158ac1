package io.logsdistributor.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 client connection driven by hand, so that a test can tell exactly how each exchange
 * ended: answered, refused at connect (nothing listening), or closed by the server without an answer.
 * A library client would retry, pool or wrap these differently. Keeps the connection for the next
 * request unless the answer said {@code Connection: close}.
 */
final class RawHttp implements AutoCloseable {

    enum Outcome { ANSWERED, REFUSED, CLOSED_WITHOUT_ANSWER, TIMED_OUT }

    record Exchange(Outcome outcome, int status, Map<String, String> headers, String body, long sentNanos, long doneNanos) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final String host;
    private final int port;
    private final Duration readTimeout;
    private Socket socket;

    RawHttp(String host, int port, Duration readTimeout) {
        this.host = host;
        this.port = port;
        this.readTimeout = readTimeout;
    }

    static byte[] post(String path, String json, Map<String, String> headers) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n")
                .append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[start.length + body.length];
        System.arraycopy(start, 0, request, 0, start.length);
        System.arraycopy(body, 0, request, start.length, body.length);
        return request;
    }

    static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    Exchange send(byte[] request) {
        return send(request, request.length, () -> {
        });
    }

    /** Sends the first {@code split} bytes, runs {@code between} (a slow client's pause), then the rest. */
    Exchange send(byte[] request, int split, Runnable between) {
        long sent = System.nanoTime();
        if (socket == null) {
            try {
                Socket fresh = new Socket();
                fresh.connect(new InetSocketAddress(host, port), 2000);
                fresh.setSoTimeout((int) readTimeout.toMillis());
                fresh.setTcpNoDelay(true);
                socket = fresh;
            } catch (ConnectException e) {
                return new Exchange(Outcome.REFUSED, 0, Map.of(), "", sent, System.nanoTime());
            } catch (SocketTimeoutException e) {
                return new Exchange(Outcome.TIMED_OUT, 0, Map.of(), "connect timed out", sent, System.nanoTime());
            } catch (IOException e) {
                return new Exchange(Outcome.REFUSED, 0, Map.of(), e.toString(), sent, System.nanoTime());
            }
        }
        try {
            OutputStream out = socket.getOutputStream();
            out.write(request, 0, split);
            out.flush();
            between.run();
            out.write(request, split, request.length - split);
            out.flush();
            Exchange answer = read(socket.getInputStream(), sent);
            if ("close".equalsIgnoreCase(answer.header("Connection"))) {
                close();
            }
            return answer;
        } catch (SocketTimeoutException e) {
            close();
            return new Exchange(Outcome.TIMED_OUT, 0, Map.of(), "no answer within " + readTimeout, sent, System.nanoTime());
        } catch (IOException e) {
            close();
            return new Exchange(Outcome.CLOSED_WITHOUT_ANSWER, 0, Map.of(), e.toString(), sent, System.nanoTime());
        }
    }

    private static Exchange read(InputStream in, long sent) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP status line: " + status);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                chunks.write(in.readNBytes(size));
                line(in);
            }
            line(in);
            body = chunks.toByteArray();
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("body cut short");
            }
        }
        return new Exchange(Outcome.ANSWERED, Integer.parseInt(status.substring(9, 12)), headers,
                new String(body, StandardCharsets.UTF_8), sent, System.nanoTime());
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new EOFException("connection closed after '" + line + "'");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
