package io.logsdistributor.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code replay FILE [--url URL] [--header 'Name: value']... [--max-wait-s N]}: posts every packet of a
 * dead-letter file back to a distributor's /ingest, as the bytes the agent sent. Progress is kept in
 * {@code FILE.progress}: run again after a kill, it goes on where it stopped (and, run again after it
 * finished, posts nothing). Lines not accepted are kept in {@code FILE.remaining}, to be replayed in
 * turn. With an operator's key every agent's packets are accepted; with an agent's key only its own.
 */
public final class DeadLetterReplay {

    /**
     * Where the replay of a file stands, counted over all the runs that replayed it.
     *
     * @param resumedAfter lines done by earlier runs (0: this run started at the first line)
     * @param remaining    the file of lines not accepted, or null when every line was
     */
    public record Result(long lines, long accepted, long kept, long unreadable, long resumedAfter, Path remaining) {
    }

    private DeadLetterReplay() {
    }

    /** @return the exit code: 0 when every packet was accepted, 1 when some are kept in FILE.remaining */
    public static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
        ReplayOptions options = ReplayOptions.parse(args);
        Result result = replay(options, out);
        out.println("replay of " + options.file() + ": " + result.lines() + " lines, " + result.accepted() + " accepted, "
                + result.kept() + " kept, " + result.unreadable() + " unreadable"
                + (result.resumedAfter() == 0 ? ""
                        : result.resumedAfter() == result.lines() ? " (all by earlier runs: nothing new to replay)"
                        : " (lines 1 to " + result.resumedAfter() + " by earlier runs)")
                + (result.remaining() == null ? "" : "; not accepted: " + result.remaining()));
        return result.remaining() == null ? 0 : 1;
    }

    public static Result replay(ReplayOptions options, PrintStream out) throws IOException, InterruptedException {
        ReplaySender sender = new ReplaySender(options.url(), options.headers(), options.maxWait(),
                duration -> Thread.sleep(duration.toMillis()), System::nanoTime);
        return new ReplayRun(options.file(), sender, out).run();
    }

    /** A replay with the default wait and no report, for callers that only need the result. */
    public static Result replay(Path file, URI url, List<String[]> headers) throws IOException, InterruptedException {
        List<ReplayOptions.Header> named = headers.stream().map(h -> new ReplayOptions.Header(h[0], h[1])).toList();
        return replay(new ReplayOptions(file, url, named, Duration.ofSeconds(ReplayOptions.DEFAULT_MAX_WAIT_S)),
                new PrintStream(OutputStream.nullOutputStream()));
    }
}
