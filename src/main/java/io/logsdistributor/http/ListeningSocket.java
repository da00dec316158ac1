package io.logsdistributor.http;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.TCPServerBase;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a Vert.x server from accepting connections while leaving the open ones alone, as nginx does on
 * a graceful shutdown. Vert.x 4 only closes the listening socket and every connection in one step, so
 * that requests already sent on an open connection would get no answer at all; Vert.x 5's
 * {@code HttpServer#shutdown} does this itself. Until then the listening channel is reached through
 * {@link TCPServerBase}'s fields; with a Vert.x where they are not found, the server just closes in
 * one step as before.
 */
final class ListeningSocket {

    private static final Logger LOG = LoggerFactory.getLogger(ListeningSocket.class);

    private ListeningSocket() {
    }

    /** @return whether the listening socket is closed now */
    static boolean close(HttpServer server) {
        try {
            Field actual = TCPServerBase.class.getDeclaredField("actualServer");
            Field bind = TCPServerBase.class.getDeclaredField("bindFuture");
            actual.setAccessible(true);
            bind.setAccessible(true);
            Object listening = actual.get(server);
            Future<?> bound = (Future<?>) bind.get(listening == null ? server : listening);
            if (bound == null || !(bound.result() instanceof Channel channel)) {
                LOG.warn("Cannot stop accepting ahead of closing the connections: no listening channel");
                return false;
            }
            return channel.close().await(5, TimeUnit.SECONDS);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Cannot stop accepting ahead of closing the connections: {}", e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
