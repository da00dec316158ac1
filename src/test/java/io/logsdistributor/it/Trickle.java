package io.logsdistributor.it;

import java.util.ArrayList;
import java.util.List;

/** One agent posting a small packet every few milliseconds until closed, recording what was accepted. */
final class Trickle implements AutoCloseable {

    private final Thread thread;
    private final List<String> accepted = new ArrayList<>();
    private volatile boolean stopped;

    Trickle(RunningDistributor distributor, String prefix) {
        thread = new Thread(() -> {
            for (int i = 0; !stopped && i < 200_000; i++) {
                String id = prefix + "-" + i;
                try {
                    if (distributor.post(RunningDistributor.packet(id, 1 + i % 7)).statusCode() == 202) {
                        synchronized (accepted) {
                            accepted.add(id);
                        }
                    }
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // refused or cut off: never accepted, and the tests look only at what was
                }
            }
        }, prefix + "-trickle");
        thread.start();
    }

    List<String> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(10_000);
    }
}
