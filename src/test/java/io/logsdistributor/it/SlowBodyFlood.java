package io.logsdistributor.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thousands of hostile HTTP clients on one selector thread. Each connection sends a request head
 * announcing a large body and then trickles the body, whatever the server answers; in
 * {@link Mode#STALL}, a connection whose head the server took (no answer within a moment) sends all of
 * its body but the last 16 bytes at once and holds. A connection the server closes is opened again
 * after a pause, so the number of connections stays up for as long as the flood runs.
 */
final class SlowBodyFlood implements AutoCloseable {

    enum Mode { TRICKLE, STALL }

    private static final int TRICKLE_BYTES = 2048;
    private static final Duration TRICKLE_EVERY = Duration.ofMillis(500);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(2);
    private static final Duration REOPEN_AFTER = Duration.ofMillis(500);
    private static final int OPENS_PER_TICK = 50;

    private final InetSocketAddress server;
    private final int connections;
    private final byte[] head;
    private final long contentLength;
    private final Mode mode;
    private final Thread thread;
    private final ByteBuffer filler = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private volatile boolean running = true;

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong failedToOpen = new AtomicLong();
    private final AtomicLong stalledWithBody = new AtomicLong();
    private final AtomicLong closedWithoutAnswer = new AtomicLong();
    private final AtomicLong resetAfterIgnoringAnswer = new AtomicLong();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();

    /** One client connection's progress. */
    private static final class Client {
        final SocketChannel channel;
        final ByteBuffer head;
        long bodyLeft;
        long headSentAt;
        long nextTrickle;
        boolean bulk;
        boolean connected;
        final byte[] status = new byte[12];
        int statusBytes;

        Client(SocketChannel channel, byte[] head, long contentLength) {
            this.channel = channel;
            this.head = ByteBuffer.wrap(head);
            this.bodyLeft = contentLength;
        }

        String answer() {
            return statusBytes < 12 ? null : new String(status, 9, 3, StandardCharsets.US_ASCII);
        }
    }

    SlowBodyFlood(int port, int connections, String path, long contentLength, Map<String, String> headers, Mode mode) {
        this.server = new InetSocketAddress("127.0.0.1", port);
        this.connections = connections;
        this.contentLength = contentLength;
        this.mode = mode;
        StringBuilder request = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n")
                .append("Content-Type: application/json\r\nContent-Length: ").append(contentLength).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        this.head = request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        while (filler.hasRemaining()) {
            filler.put((byte) ' ');
        }
        this.thread = new Thread(this::run, "slow-body-flood");
        this.thread.setDaemon(true);
    }

    SlowBodyFlood start() {
        thread.start();
        return this;
    }

    int openNow() {
        return open.get();
    }

    /** The most connections open at once. */
    int maxOpen() {
        return maxOpen.get();
    }

    /** Connections that sent their body but the last 16 bytes and held (the server took the head). */
    long stalledWithBody() {
        return stalledWithBody.get();
    }

    /** Connections the server answered, or let send their body: each has met the server's defence. */
    long settled() {
        return answers.values().stream().mapToLong(AtomicLong::get).sum() + stalledWithBody.get();
    }

    /** The statuses the server answered, with the connections that got each, and how many it closed unanswered. */
    Map<String, Long> answers() {
        Map<String, Long> copy = new TreeMap<>();
        answers.forEach((status, n) -> copy.put(status, n.get()));
        copy.put("opened", opened.get());
        copy.put("failed to open", failedToOpen.get());
        copy.put("closed without answer", closedWithoutAnswer.get());
        copy.put("reset while sending its body", resetAfterIgnoringAnswer.get());
        return copy;
    }

    private void run() {
        Deque<Long> reopenAt = new ArrayDeque<>();
        for (int i = 0; i < connections; i++) {
            reopenAt.add(0L);
        }
        try (Selector selector = Selector.open()) {
            long nextTick = System.nanoTime();
            while (running) {
                long now = System.nanoTime();
                for (int n = 0; n < OPENS_PER_TICK && !reopenAt.isEmpty() && reopenAt.peekFirst() <= now; n++) {
                    reopenAt.pollFirst();
                    connect(selector, reopenAt);
                }
                if (now >= nextTick) {
                    nextTick = now + TICK.toNanos();
                    for (SelectionKey key : selector.keys()) {
                        if (key.isValid() && key.attachment() instanceof Client client && client.head.remaining() == 0) {
                            sendBody(key, client, reopenAt);
                        }
                    }
                }
                selector.select(Math.max(1, TICK.toMillis() / 2));
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key, (Client) key.attachment(), reopenAt);
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void connect(Selector selector, Deque<Long> reopenAt) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.connect(server);
            channel.register(selector, SelectionKey.OP_CONNECT, new Client(channel, head, contentLength));
        } catch (IOException e) {
            failedToOpen.incrementAndGet();
            reopenAt.addLast(System.nanoTime() + REOPEN_AFTER.toNanos());
        }
    }

    private void handle(SelectionKey key, Client client, Deque<Long> reopenAt) {
        try {
            if (key.isValid() && key.isConnectable()) {
                if (!client.channel.finishConnect()) {
                    return;
                }
                client.connected = true;
                opened.incrementAndGet();
                maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                key.interestOps(SelectionKey.OP_WRITE | SelectionKey.OP_READ);
            }
            if (key.isValid() && key.isReadable()) {
                readBuffer.clear();
                int read = client.channel.read(readBuffer);
                if (read < 0) {
                    end(key, client, reopenAt);
                    return;
                }
                readBuffer.flip();
                takeStatus(client);
            }
            if (key.isValid() && key.isWritable()) {
                if (client.head.hasRemaining()) {
                    client.channel.write(client.head);
                    if (!client.head.hasRemaining()) {
                        client.headSentAt = System.nanoTime();
                        key.interestOps(SelectionKey.OP_READ);
                    }
                } else {
                    sendBody(key, client, reopenAt);
                }
            }
        } catch (IOException e) {
            end(key, client, reopenAt);
        }
    }

    /**
     * Trickle a little now and then; in {@link Mode#STALL}, when the server has not answered the head in
     * a moment (it took the request), send all but the last 16 bytes at once and hold.
     */
    private void sendBody(SelectionKey key, Client client, Deque<Long> reopenAt) {
        try {
            long now = System.nanoTime();
            long budget;
            if (mode == Mode.STALL && (client.bulk || (client.answer() == null && now - client.headSentAt > ANSWER_WAIT.toNanos()))) {
                if (!client.bulk) {
                    client.bulk = true;
                    stalledWithBody.incrementAndGet();
                }
                budget = Long.MAX_VALUE;
            } else if (now >= client.nextTrickle) {
                client.nextTrickle = now + TRICKLE_EVERY.toNanos();
                budget = TRICKLE_BYTES;
            } else {
                return;
            }
            while (budget > 0 && client.bodyLeft > 16) {
                if (client.bulk && readAnswer(client)) {
                    // answered after all (a slow server): trickle like the others from now on
                    client.bulk = false;
                    stalledWithBody.decrementAndGet();
                    break;
                }
                filler.clear();
                filler.limit((int) Math.min(filler.capacity(), Math.min(budget, client.bodyLeft - 16)));
                int written = client.channel.write(filler);
                client.bodyLeft -= written;
                budget -= written;
                if (written == 0) {
                    // the socket is full: go on when it can take more
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
            }
            key.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            end(key, client, reopenAt);
        }
    }

    /** Reads what the server sent so far, without waiting; true once it answered. */
    private boolean readAnswer(Client client) throws IOException {
        readBuffer.clear();
        if (client.channel.read(readBuffer) > 0) {
            readBuffer.flip();
            takeStatus(client);
        }
        return client.answer() != null;
    }

    /** The status line's first bytes, from what was just read; the rest of the answer is of no interest. */
    private void takeStatus(Client client) {
        while (readBuffer.hasRemaining() && client.statusBytes < client.status.length) {
            client.status[client.statusBytes++] = readBuffer.get();
            if (client.statusBytes == client.status.length) {
                answers.computeIfAbsent(client.answer(), a -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    private void end(SelectionKey key, Client client, Deque<Long> reopenAt) {
        key.cancel();
        try {
            client.channel.close();
        } catch (IOException e) {
            // closed either way
        }
        if (client.connected) {
            open.decrementAndGet();
            if (client.answer() == null) {
                // a client that went on sending its body without reading an answer may lose that answer to
                // the reset of a server that closes with its bytes still arriving: not an answer refused
                (client.bulk ? resetAfterIgnoringAnswer : closedWithoutAnswer).incrementAndGet();
            }
        } else {
            failedToOpen.incrementAndGet();
        }
        reopenAt.addLast(System.nanoTime() + REOPEN_AFTER.toNanos());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
