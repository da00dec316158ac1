package io.logsdistributor.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka broker (KRaft) as a process of its own, started by bin/kafka-broker.sh from the
 * build's test classpath, so that a test can kill it and start it again on the same data directory.
 */
final class KafkaBroker implements AutoCloseable {

    private static final Path SCRIPT = Path.of("bin", "kafka-broker.sh").toAbsolutePath();

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    static KafkaBroker start(Path dir) throws IOException {
        KafkaBroker broker = new KafkaBroker(dir, JarProcess.freePort(), JarProcess.freePort());
        broker.start();
        return broker;
    }

    /** Starts (again) on the same directory and ports; returns once the port accepts connections. */
    void start() throws IOException {
        Path log = dir.resolve("broker.log");
        dir.toFile().mkdirs();
        process = new ProcessBuilder(SCRIPT.toString(), dir.resolve("data").toString(), String.valueOf(port),
                String.valueOf(controllerPort)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("the Kafka broker exited with " + process.exitValue() + "; see " + log);
            }
            return listening();
        });
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGKILL (the script execs the JVM, so this is the broker itself). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
